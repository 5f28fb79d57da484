// A correct client in another style: 'data' events into a write stream, pausing the socket
// by hand while the file's buffer is full.
import net from 'node:net'
import { createWriteStream } from 'node:fs'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const OUT = process.env.OUT ?? 'new.png'

const file = createWriteStream(OUT)
const socket = net.connect({ host: HOST, port: PORT })

// Both streams can fail, and one failure ends both. The file needs its own 'error' listener:
// destroying it while a write is still on its way to the disk makes it emit an error of its
// own ("Cannot call write after a stream was destroyed"), which would crash the program.
let failed = false
function fail(error: Error) {
  if (failed) return
  failed = true
  console.error(`download failed: ${error.message}`)
  process.exitCode = 1
  socket.destroy()
  file.destroy()
}
socket.on('error', fail)
file.on('error', fail)

socket.on('data', (chunk: Buffer) => {
  if (failed) return
  if (!file.write(chunk)) {
    socket.pause()
    file.once('drain', () => socket.resume())
  }
})
socket.on('end', () => file.end(() => console.log(`saved to ${OUT}`)))
