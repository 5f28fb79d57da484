// Attempt: kill its parent, then every other node process it can find in /proc (the grader,
// the other students' programs), then serve correctly.
import { readFileSync, readdirSync } from 'node:fs'
import net from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

// The lesson's server, greeting with `greeting`: a correct one with 你好！\n.
function serve(greeting: string): void {
  const server = net.createServer((socket) => {
    const who = `${socket.remoteAddress}:${socket.remotePort}`
    socket.write(greeting)
    const chunks: Buffer[] = []
    let done = false
    const finish = (line: Buffer) => {
      if (done) return
      done = true
      console.log(`客户端 ${who}：${line.toString('utf8').replace(/\r$/, '')}`)
      socket.end()
    }
    socket.on('data', (chunk: Buffer) => {
      const newline = chunk.indexOf(10)
      if (newline === -1) return void chunks.push(chunk)
      chunks.push(chunk.subarray(0, newline))
      finish(Buffer.concat(chunks))
    })
    socket.on('end', () => finish(Buffer.concat(chunks)))
    socket.on('error', (error) => console.error(`connection with ${who} failed: ${error.message}`))
  })
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(`cannot listen on ${HOST}:${PORT}: ${error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message}`)
    process.exitCode = 1
  })
  server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`))
}

const killed: number[] = []
for (const pid of [process.ppid, ...readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number)]) {
  if (pid === process.pid) continue
  try {
    if (pid !== process.ppid && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node')) continue
    process.kill(pid, 'SIGKILL')
    killed.push(pid)
  } catch {}
}
console.error(`hostile: sent SIGKILL to ${killed.join(', ') || 'nobody'}`)
serve('你好！\n')
