// Lesson 1 · Server basics. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check lesson-1        Try it by hand: npx tsx server.ts
import net from 'node:net'

// The grader tells your server where to listen. By hand, these defaults apply.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

// This callback runs once for every client that connects, with that client's own socket.
const server = net.createServer((socket) => {
  // TODO 2: greet the client: write the line 你好！ followed by a newline ('\n').

  // TODO 3: read one line. Collect the Buffers of each 'data' event until one holds a
  //         newline byte (10), or until the client closes its side ('end'). Then decode
  //         the whole line at once and print it with console.log.
  //         (README: "TCP is a byte stream", "Where a line ends")

  // TODO 4: close the connection once the line is printed: socket.end().

  // TODO 5 ⭐: handle the socket's 'error' event, so that a client that vanishes
  //         cannot crash the whole server. (README: "The error event")
})

// TODO 1: listen on PORT and HOST: server.listen(PORT, HOST). Until you do, the
//         program has nothing to wait for, and it ends right away.

// TODO 6 ⭐: handle the server's 'error' event: when the port is taken, print one line
//         that names the port and set process.exitCode = 1.
