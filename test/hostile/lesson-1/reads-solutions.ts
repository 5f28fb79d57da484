// Attempt: find the reference solution through ../ paths from its copy and its work folder,
// the project's usual place, and the working folders of every process it can see; greet
// correctly only if it found one (a cheat), and not at all otherwise.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import net from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

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

const SOLUTION = 'solutions/lesson-1-server-basics/server.ts'
const ancestors = (dir: string): string[] => (dirname(dir) === dir ? [dir] : [dir, ...ancestors(dirname(dir))])
const places = [...ancestors(process.cwd()), ...ancestors(dirname(fileURLToPath(import.meta.url))), '/work/main']
for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
  try {
    places.push(...ancestors(readlinkSync(`/proc/${pid}/cwd`)))
  } catch {}
}
let found: string | undefined
for (const place of places) {
  try {
    if (readFileSync(join(place, SOLUTION), 'utf8').includes('你好')) found = join(place, SOLUTION)
  } catch {}
}
console.error(found ? `hostile: read ${found}` : 'hostile: no solution in reach')
serve(found ? '你好！\n' : '')
