// Lesson 4 · Image server. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-4 image-server
// Try it by hand, from this folder: npx tsx image-server.ts
import net from 'node:net'

// The grader tells your server where to listen and which file to send (IMAGE, an absolute
// path). By hand, these defaults apply: beauty.png in the folder you run it from.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const IMAGE = process.env.IMAGE ?? 'beauty.png'

// This callback runs once for every client that connects, with that client's own socket.
const server = net.createServer((socket) => {
  // TODO 2: send every byte of the file IMAGE to this client, then close the connection.
  //         Bytes, not text: never turn them into a string. One line does it all, for
  //         many clients at once, at each client's own pace:
  //           import { createReadStream } from 'node:fs'   (at the top of the file)
  //           createReadStream(IMAGE).pipe(socket)
  //         (README: "Bytes, not text", "The end of the file is the end of the stream")

  // TODO 3 ⭐: a client that leaves mid-download makes this socket emit 'error', and with no
  //         handler the whole server crashes. Use pipeline() from node:stream instead of
  //         pipe(): it handles errors on both streams. (README: "The error event")

  // TODO 4 ⭐: keep streaming from disk. readFileSync(IMAGE) would hold the whole file in
  //         memory, once per client. (README: "Streaming: memory that stays flat")
})

// TODO 1: listen on PORT and HOST: server.listen(PORT, HOST). Until you do, the program
//         has nothing to wait for, and it ends right away.
