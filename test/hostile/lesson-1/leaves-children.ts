// Attempt: leave processes behind that outlive the grading (a detached child, and one in a
// session of its own), then serve correctly.
import { spawn } from 'node:child_process'
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

spawn('sleep', ['300'], { detached: true, stdio: 'ignore' }).unref()
spawn('setsid', ['sleep', '300'], { stdio: 'ignore' }).unref()
serve('你好！\n')
