// A correct server in another style: node:readline frames the lines and decodes UTF-8 safely.
import net from 'node:net'
import readline from 'node:readline'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

const server = net.createServer((socket) => {
  socket.on('error', () => {})
  socket.write('你好！\n')
  const lines = readline.createInterface({ input: socket, crlfDelay: Infinity })
  let answered = false
  // readline also hands over a last line that ends with the stream, newline or not.
  lines.on('line', (line) => {
    if (answered) return
    answered = true
    console.log(`客户端：${line}`)
    socket.end()
  })
  lines.on('close', () => socket.end())
  lines.on('error', () => {}) // readline re-emits the socket's errors (a reset, say)
})
server.on('error', (error) => {
  console.error(`cannot listen on ${HOST}:${PORT}: ${error.message}`)
  process.exitCode = 1
})
server.listen(PORT, HOST)
