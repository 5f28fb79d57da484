// A correct server in another style: an async connection handler reading with for await.
import net from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8080)

async function converse(socket: net.Socket): Promise<void> {
  socket.write('你好！\n')
  const chunks: Buffer[] = []
  let printed = false
  for await (const chunk of socket as AsyncIterable<Buffer>) {
    if (printed) continue
    chunks.push(chunk)
    const bytes = Buffer.concat(chunks)
    const newline = bytes.indexOf(10)
    if (newline >= 0) {
      console.log(bytes.subarray(0, newline).toString('utf8').replace(/\r$/, ''))
      printed = true
      socket.end()
    }
  }
  if (!printed) {
    console.log(Buffer.concat(chunks).toString('utf8'))
    socket.end()
  }
}

const server = net.createServer((socket) => {
  converse(socket).catch((error: Error) => console.error(`a client went away: ${error.message}`))
})
server.on('error', (error) => {
  console.error(`cannot listen on port ${PORT}: ${error.message}`)
  process.exitCode = 1
})
server.listen(PORT, HOST)
