// Lesson 3.1 · Echo server. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-3 echo-server     By hand: npx tsx echo-server.ts
import net from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)

const server = net.createServer((socket) => {
  // TODO 2: keep this connection's own buffer of bytes. On every 'data' event, cut out each
  //         complete line (up to and including a newline byte, 10) and keep the rest for later.
  //         A chunk may hold half a line, one line, or several. (README: "Lines in a byte stream")

  // TODO 3: write each complete line back, as the very same bytes.

  // TODO 4: if the line is 拜拜 or bye (ignore a \r before the newline), do not echo it:
  //         answer 拜拜\n and close the connection with socket.end(). (README: "Saying goodbye")

  // TODO 5 ⭐: handle 'error' on the socket, and hang up on a client whose line grows past
  //         64 KiB without a newline. (README: "When clients misbehave")
})

// TODO 1: listen on PORT and HOST. Until you do, the program ends right away.
