// Lesson 3.1 · an echo server: every line comes back to its sender, byte for byte, until 拜拜.
import net from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)
// A line longer than this is not a chat line; holding it would let one client fill our memory.
const MAX_LINE_BYTES = 64 * 1024

const isGoodbye = (line: Buffer) => ['拜拜', 'bye'].includes(line.toString('utf8').replace(/\r?\n$/, ''))

const server = net.createServer((socket) => {
  let pending: Buffer[] = [] // bytes of a line that has not ended yet
  let pendingBytes = 0
  let done = false

  socket.on('data', (chunk: Buffer) => {
    if (done) return
    let start = 0
    // One chunk may hold half a line, one line, or many: answer every complete line in it.
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const line = Buffer.concat([...pending, chunk.subarray(start, newline + 1)])
      pending = []
      pendingBytes = 0
      start = newline + 1
      if (isGoodbye(line)) {
        done = true
        socket.end('拜拜\n')
        return
      }
      socket.write(line) // the very bytes that came in, newline included
    }
    pending.push(chunk.subarray(start))
    pendingBytes += chunk.length - start
    if (pendingBytes > MAX_LINE_BYTES) {
      done = true
      console.error(`${socket.remoteAddress}:${socket.remotePort} sent ${pendingBytes} bytes without a newline; hanging up`)
      socket.destroy()
    }
  })

  socket.on('error', (error) => console.error(`a client went away: ${error.message}`))
})

server.on('error', (error) => {
  console.error(`cannot listen on ${HOST}:${PORT}: ${error.message}`)
  process.exitCode = 1
})
server.listen(PORT, HOST, () => console.log(`echoing on ${HOST}:${PORT}`))
