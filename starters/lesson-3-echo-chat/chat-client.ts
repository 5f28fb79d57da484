// Lesson 3.2 · Chat client. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-3 chat-client
// By hand: npx tsx chat-server.ts in one terminal, npx tsx chat-client.ts in another.
import net from 'node:net'
import readline from 'node:readline'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)

// TODO 1: connect: const socket = net.connect({ host: HOST, port: PORT })

// TODO 2: print every line the server sends, as soon as it arrives:
//         readline.createInterface({ input: socket }).on('line', …)
//         Never wait for the keyboard before reading the socket. (README: "Two streams at once")

// TODO 3: send every line typed on stdin: readline.createInterface({ input: process.stdin })

// TODO 4: end the chat: when 拜拜 or bye is typed (send it first), when the server sends it,
//         when the server closes ('end'), and when stdin ends ('close'). Close the socket
//         and stop reading stdin, and the program exits with code 0. (README: "Saying goodbye")

// TODO 5 ⭐: handle 'error' on the socket: print one line naming HOST and PORT and set
//         process.exitCode = 1.
