// Lesson 3.3 · Chat server. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-3 chat-server
// By hand: npx tsx chat-server.ts, then npx tsx chat-client.ts in two more terminals.
import net from 'node:net'
import readline from 'node:readline'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)

// TODO 2: keep track of who is talking (one socket) and who is waiting (a queue, in order).

const server = net.createServer((socket) => {
  // TODO 3: if nobody is talking, this person's turn starts now; otherwise they join the
  //         queue. Read their lines with readline: print them if it is their turn, keep
  //         them for later if not. (README: "Waiting in line")

  // TODO 4: 拜拜 or bye from the person ends their turn: print that they left, close the
  //         socket, and start the next person's turn (showing what they said while waiting).
  //         A waiting person who closes leaves the queue.

  // TODO 6 ⭐: handle 'error' on the socket (and on its readline interface).
})

// TODO 5: read stdin with readline: send each typed line to the person whose turn it is,
//         or print a notice when nobody is there. Typing 拜拜 sends it, closes that
//         connection and starts the next turn.

// TODO 1: listen on PORT and HOST. Until you do, the program ends right away.
