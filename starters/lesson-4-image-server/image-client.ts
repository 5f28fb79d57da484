// Lesson 4 · Image client. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-4 image-client
// Try it by hand: start an image server, then from this folder: npx tsx image-client.ts
import net from 'node:net'

// The grader tells your client where its server is and where to save (OUT). By hand,
// these defaults apply: new.png in the folder you run it from.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const OUT = process.env.OUT ?? 'new.png'

// TODO 1: connect: const socket = net.connect({ host: HOST, port: PORT })

// TODO 2: receive until the server closes, and write every byte to OUT. Keep Buffers, never
//         strings: a picture is not text. One line streams it to disk as it comes:
//           import { createWriteStream } from 'node:fs'   (at the top of the file)
//           socket.pipe(createWriteStream(OUT))
//         createWriteStream replaces an existing OUT. Never open it for appending ('a').
//         (README: "Bytes, not text", "Replace, do not append")

// TODO 3: once the server has closed and the file is written, let the program end by
//         itself with code 0: no process.exit(), no timer left running. You may print a
//         line on the write stream's 'finish' event. (README: "When the client is done")

// TODO 4 ⭐: stream to disk rather than collecting everything in memory. If you do collect
//         chunks, push them into an array and join them ONCE at the end; joining on every
//         chunk is quadratic. (README: "Collecting chunks: linear, not quadratic")
