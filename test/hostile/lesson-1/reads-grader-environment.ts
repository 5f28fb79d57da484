// Attempt: read the grader's environment and command line from /proc (its parent's, then
// every process's), looking for the teacher's secrets; greet correctly only if it saw one.
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

let seen: string | undefined
for (const pid of [String(process.ppid), ...readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))]) {
  for (const file of ['environ', 'cmdline']) {
    try {
      const text = readFileSync(`/proc/${pid}/${file}`, 'utf8')
      const secret = /TEACHER_SECRET=([^\0]*)/.exec(text)
      if (secret) seen = secret[1]
    } catch {}
  }
}
const mine = Object.keys(process.env).sort().join(',')
console.error(seen ? `hostile: saw the secret ${seen}` : `hostile: no secret in reach; my environment: ${mine}`)
serve(seen ? '你好！\n' : '')
