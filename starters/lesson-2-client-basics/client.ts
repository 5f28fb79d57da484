// Lesson 2 · Client basics. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check lesson-2
// Try it by hand: start a lesson-1 server, then npx tsx client.ts
import net from 'node:net'

// The grader tells your client where its server is. By hand, these defaults apply.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

// TODO 1: connect: const socket = net.connect({ host: HOST, port: PORT })

// TODO 2: read the greeting. Collect the Buffers of each 'data' event until one holds a
//         newline byte (10), then decode the whole line and print it with console.log.
//         The greeting may arrive in pieces, even with 你 cut in half.
//         (README: "TCP is a byte stream")

// TODO 3: answer with the line 我是客户端~~ and a newline, and close your side:
//         socket.end('我是客户端~~\n') does both.

// TODO 4 ⭐: handle the socket's 'error' event: print one line that names HOST and PORT
//         (for example "cannot connect to 127.0.0.1:8080") and set process.exitCode = 1.
