// A lesson-1 server that passes every check but has a type error, as learners write it:
// PORT is a string or 8080, and listen() wants a number (TS2769 on the listen line). The
// grader runs it all the same; the report adds a note with the error. Named .broken.ts so that
// npm run typecheck leaves it out; test/cli.test.ts copies it to a submission as server.ts.
import net from 'node:net'

// 1. Where to listen: the grader passes HOST and PORT; by hand the defaults apply.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = process.env.PORT || 8080

// 2. One callback per connection: each client gets its own socket, so many can talk at once.
const server = net.createServer((socket) => {
  const who = `${socket.remoteAddress}:${socket.remotePort}`

  // 3. Send: strings become UTF-8 bytes. The newline tells the client where the line ends.
  socket.write('你好！\n')

  // 4. Receive: TCP delivers a stream of bytes, cut wherever the network likes. Keep the
  //    chunks as bytes and decode only a whole line, so no character is cut in half.
  const chunks: Buffer[] = []
  let done = false
  const finish = (line: Buffer) => {
    if (done) return
    done = true
    const text = line.toString('utf8').replace(/\r$/, '')
    console.log(`客户端 ${who}：${text}`)
    socket.end() // 5. Close our side: the conversation is over.
  }

  socket.on('data', (chunk: Buffer) => {
    const newline = chunk.indexOf(10) // 10 is the byte of '\n'
    if (newline === -1) {
      chunks.push(chunk)
      return
    }
    chunks.push(chunk.subarray(0, newline))
    finish(Buffer.concat(chunks))
  })

  // A client may close without a newline (the seed's Python client does): the line ends there.
  socket.on('end', () => finish(Buffer.concat(chunks)))

  // A client that vanishes (reset, crash) must not take the whole server down.
  socket.on('error', (error) => console.error(`connection with ${who} failed: ${error.message}`))
})

server.on('error', (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message
  console.error(`cannot listen on ${HOST}:${PORT}: ${reason}`)
  process.exitCode = 1
})

server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`))
