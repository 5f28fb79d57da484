// A correct chat client in another style: setEncoding('utf8') (a StringDecoder keeps split
// characters whole) with hand-cut lines, and raw 'data' events from stdin.
import net from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)
const goodbye = (line: string) => /^(拜拜|bye)\r?$/.test(line)

const socket = net.connect(PORT, HOST)
let done = false
const stop = () => {
  if (done) return
  done = true
  socket.end()
  process.stdin.destroy()
}

let fromServer = ''
socket.setEncoding('utf8')
socket.on('data', (text: string) => {
  fromServer += text
  for (let i = fromServer.indexOf('\n'); i !== -1; i = fromServer.indexOf('\n')) {
    const line = fromServer.slice(0, i)
    fromServer = fromServer.slice(i + 1)
    console.log(`> ${line}`)
    if (goodbye(line)) return stop()
  }
})
socket.on('end', stop)
socket.on('error', (error) => {
  console.error(`${HOST}:${PORT}: ${error.message}`)
  process.exitCode = 1
  done = true
  process.stdin.destroy()
})

let typed = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (text: string) => {
  typed += text
  for (let i = typed.indexOf('\n'); i !== -1 && !done; i = typed.indexOf('\n')) {
    const line = typed.slice(0, i)
    typed = typed.slice(i + 1)
    socket.write(`${line}\n`)
    if (goodbye(line)) stop()
  }
})
process.stdin.on('end', stop)
