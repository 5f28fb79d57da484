// A correct client in another style: 'data' events into a write stream, pausing the socket
// by hand while the file's buffer is full.
import net from 'node:net'
import { createWriteStream } from 'node:fs'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const OUT = process.env.OUT ?? 'new.png'

const file = createWriteStream(OUT)
const socket = net.connect({ host: HOST, port: PORT })
socket.on('data', (chunk: Buffer) => {
  // After a reset the file is destroyed, and bytes already read may still come: drop them.
  if (file.destroyed) return
  if (!file.write(chunk)) {
    socket.pause()
    file.once('drain', () => socket.resume())
  }
})
socket.on('end', () => file.end(() => console.log(`saved to ${OUT}`)))
socket.on('error', (error) => {
  console.error(`download failed: ${error.message}`)
  process.exitCode = 1
  file.destroy()
})
