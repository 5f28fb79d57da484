// A correct client in another style: async iteration over the socket, each chunk written
// (and awaited) with a FileHandle, so the socket is read only as fast as the disk writes.
import net from 'node:net'
import { once } from 'node:events'
import { open } from 'node:fs/promises'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const OUT = process.env.OUT ?? 'new.png'

const socket = net.connect({ host: HOST, port: PORT })
// Between the connect and the loop (while the file opens) no one else listens for 'error': a
// reset then would crash the program. The loop below still throws an error that came before.
socket.on('error', () => {})
try {
  await once(socket, 'connect')
  const file = await open(OUT, 'w')
  try {
    for await (const chunk of socket) await file.write(chunk as Buffer)
  } finally {
    await file.close()
  }
  console.log(`saved ${socket.bytesRead} bytes to ${OUT}`)
} catch (error) {
  console.error(`download from ${HOST}:${PORT} failed: ${(error as Error).message}`)
  process.exitCode = 1
}
