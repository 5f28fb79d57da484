// Lesson 4 · image server: send every byte of the file IMAGE to each client, then close.
// By hand, run it from the lesson folder, where beauty.png is:
//   cd lessons/lesson-4-image-server && npx tsx ../../solutions/lesson-4-image-server/image-server.ts
import net from 'node:net'
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream'

// 1. Where to listen and what to send: the grader passes HOST, PORT and IMAGE (an absolute
//    path); by hand the defaults apply, and beauty.png is looked up in the current folder.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const IMAGE = process.env.IMAGE ?? 'beauty.png'

// 2. One callback per connection: every client gets its own read stream, so many clients
//    download at once, each at its own pace.
const server = net.createServer((socket) => {
  const who = `${socket.remoteAddress}:${socket.remotePort}`
  // 3. Stream the file: the read stream hands over 64 KiB at a time, as fast as this client
  //    takes them (backpressure), so a file of any size needs only a little memory. Bytes
  //    stay bytes: nothing is ever decoded. When the file ends, pipeline ends the socket,
  //    which tells the client the picture is complete.
  pipeline(createReadStream(IMAGE), socket, (error) => {
    // 4. Errors: a missing file, or a client that left mid-download (ECONNRESET, EPIPE).
    //    pipeline handles 'error' on both streams and closes both, so nothing crashes.
    if (error) console.error(`sending ${IMAGE} to ${who} failed: ${error.message}`)
    else console.log(`sent ${IMAGE} to ${who}`)
  })
})

server.on('error', (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message
  console.error(`cannot listen on ${HOST}:${PORT}: ${reason}`)
  process.exitCode = 1
})

server.listen(PORT, HOST, () => console.log(`serving ${IMAGE} on ${HOST}:${PORT}`))
