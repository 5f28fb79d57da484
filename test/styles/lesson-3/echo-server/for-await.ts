// A correct echo server in another style: an async function per connection, for await over
// the socket, lines cut from one growing byte buffer with a size limit.
import net from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)
const LIMIT = 64 * 1024

async function echo(socket: net.Socket): Promise<void> {
  let buffered: Buffer = Buffer.alloc(0)
  let over = false
  // Leaving a for await destroys the socket, which could drop a reply still being written:
  // after the goodbye, the loop just reads on until the client closes too.
  for await (const chunk of socket as AsyncIterable<Buffer>) {
    if (over) continue
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk
    let newline: number
    while (!over && (newline = buffered.indexOf(10)) !== -1) {
      const line = buffered.subarray(0, newline + 1)
      buffered = buffered.subarray(newline + 1)
      const text = line.toString('utf8').trimEnd()
      if (text === '拜拜' || text === 'bye') {
        socket.end('拜拜\n')
        over = true
      } else {
        socket.write(line)
      }
    }
    if (buffered.length > LIMIT) {
      socket.destroy()
      return
    }
  }
}

net
  .createServer((socket) => {
    socket.on('error', () => {})
    echo(socket).catch(() => socket.destroy())
  })
  .on('error', (error) => {
    console.error(`cannot listen on ${HOST}:${PORT}: ${error.message}`)
    process.exitCode = 1
  })
  .listen(PORT, HOST)
