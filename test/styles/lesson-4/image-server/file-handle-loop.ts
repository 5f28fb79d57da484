// A correct server in another style: reads the file piece by piece with a FileHandle and
// waits for 'drain' by hand whenever the socket's buffer is full.
import net from 'node:net'
import { once } from 'node:events'
import { open } from 'node:fs/promises'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const IMAGE = process.env.IMAGE ?? 'beauty.png'

async function send(socket: net.Socket): Promise<void> {
  const file = await open(IMAGE)
  // One listener for the whole download, not one per full buffer.
  const closed = new Promise((resolve) => socket.once('close', resolve))
  try {
    for (;;) {
      const { bytesRead, buffer } = await file.read({ buffer: Buffer.alloc(256 * 1024) })
      if (bytesRead === 0) break
      if (socket.destroyed) return
      if (!socket.write(buffer.subarray(0, bytesRead))) {
        await Promise.race([once(socket, 'drain'), closed])
      }
    }
    socket.end()
  } finally {
    await file.close()
  }
}

net
  .createServer((socket) => {
    socket.on('error', (error) => console.error(`client left: ${error.message}`))
    send(socket).catch((error: Error) => {
      console.error(`cannot send ${IMAGE}: ${error.message}`)
      socket.destroy()
    })
  })
  .on('error', (error) => {
    console.error(`cannot listen on ${HOST}:${PORT}: ${error.message}`)
    process.exitCode = 1
  })
  .listen(PORT, HOST)
