// A correct client in another style: top-level await with once() from node:events.
import net from 'node:net'
import { once } from 'node:events'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

const socket = net.connect({ host: HOST, port: PORT })
try {
  await once(socket, 'connect')
  const chunks: Buffer[] = []
  while (!chunks.some((chunk) => chunk.includes(10))) {
    const [chunk] = (await once(socket, 'data')) as [Buffer]
    chunks.push(chunk)
  }
  const bytes = Buffer.concat(chunks)
  console.log(bytes.subarray(0, bytes.indexOf(10)).toString('utf8'))
  socket.end('我是客户端~~\n')
} catch (error) {
  console.error(`cannot talk to ${HOST}:${PORT}: ${(error as Error).message}`)
  process.exitCode = 1
}
