// Lesson 3.2 · a chat client: what you type goes out, what the server says comes in, both at
// any time. The seed's client took turns (receive, then input(), then receive…) and froze
// whenever the other side said two things in a row.
import net from 'node:net'
import readline from 'node:readline'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)
const isGoodbye = (line: string) => ['拜拜', 'bye'].includes(line.replace(/\r$/, ''))

const socket = net.connect({ host: HOST, port: PORT })
let finished = false

// Every way out ends here: close our side, stop reading the keyboard, let Node exit.
function finish(notice?: string) {
  if (finished) return
  finished = true
  if (notice) console.log(notice)
  socket.end()
  typed.close()
  process.stdin.destroy()
}

// From the server: lines, whole and decoded once complete (readline does the framing).
const fromServer = readline.createInterface({ input: socket, crlfDelay: Infinity })
fromServer.on('error', () => {}) // the socket's own handler reports errors
fromServer.on('line', (line) => {
  console.log(`服务器：${line}`)
  if (isGoodbye(line)) finish('服务器说了拜拜，聊天结束。')
})
socket.on('end', () => finish('服务器已断开。'))

// From the keyboard: each line goes out as typed.
const typed = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
typed.on('line', (line) => {
  if (finished) return
  socket.write(`${line}\n`)
  if (isGoodbye(line)) finish('你说了拜拜，已下线。')
})
typed.on('close', () => finish()) // end of input (Ctrl-D) closes the chat too

socket.on('error', (error) => {
  console.error(`cannot talk to ${HOST}:${PORT}: ${error.message}`)
  process.exitCode = 1
  finished = true
  typed.close()
  process.stdin.destroy()
})
