// A correct client in another style: node:readline reads the greeting line.
import net from 'node:net'
import readline from 'node:readline'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

const socket = net.connect(PORT, HOST)
socket.on('error', (error) => {
  console.error(`cannot connect to ${HOST}:${PORT} (${error.message})`)
  process.exitCode = 1
})
const lines = readline.createInterface({ input: socket })
lines.on('error', () => {}) // readline re-emits the socket's errors; the socket's handler reports them
lines.once('line', (greeting) => {
  console.log(`服务器：${greeting}`)
  socket.end('我是客户端~~\r\n')
})
