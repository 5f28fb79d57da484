// Lesson 2 · client basics: connect, print the server's greeting, answer, leave.
import net from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

// 1. Connect: the socket is ready to use once 'connect' fires, but writes made before it wait.
const socket = net.connect({ host: HOST, port: PORT })

// 2. Receive the greeting: bytes until the newline, decoded once the line is whole.
const chunks: Buffer[] = []
let answered = false
socket.on('data', (chunk: Buffer) => {
  if (answered) return
  const newline = chunk.indexOf(10)
  if (newline === -1) {
    chunks.push(chunk)
    return
  }
  chunks.push(chunk.subarray(0, newline))
  answered = true
  console.log(`服务器：${Buffer.concat(chunks).toString('utf8').replace(/\r$/, '')}`)

  // 3. Answer and close our side in one call: end() writes the line, then sends FIN.
  socket.end('我是客户端~~\n')
})

// 4. Errors (nothing listening, a reset) arrive as an event: one line for the user, exit code 1.
socket.on('error', (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'ECONNREFUSED' ? 'nothing is listening there' : error.message
  console.error(`cannot talk to ${HOST}:${PORT}: ${reason}`)
  process.exitCode = 1
})
