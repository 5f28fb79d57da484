// Lesson 4 · image client: receive until the server closes, and save every byte to OUT.
// By hand, with the server running: npx tsx image-client.ts   (then compare new.png with beauty.png)
import net from 'node:net'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const OUT = process.env.OUT ?? 'new.png'

// 1. Connect. Until the connection is up, an error means nobody answered.
const socket = net.connect({ host: HOST, port: PORT })
const refused = (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'ECONNREFUSED' ? 'nothing is listening there' : error.message
  console.error(`cannot connect to ${HOST}:${PORT}: ${reason}`)
  process.exitCode = 1
}
socket.on('error', refused)

socket.once('connect', () => {
  socket.off('error', refused) // from here on, the pipeline reports errors
  // 2. Stream to disk: each chunk is written as it arrives, and the socket pauses while the
  //    disk catches up. No string, no joining: memory stays flat whatever the size.
  //    createWriteStream opens the file with flag 'w', which replaces an existing file (the
  //    seed's 'ab' would append to it). It is opened only now, so a server that is not
  //    there leaves an old OUT untouched.
  pipeline(socket, createWriteStream(OUT), (error) => {
    if (error) {
      console.error(`download from ${HOST}:${PORT} failed: ${error.message}`)
      process.exitCode = 1
    } else {
      // 3. The server closed and every byte is on disk: nothing is left to keep Node
      //    running, so the program exits by itself with code 0.
      console.log(`saved ${socket.bytesRead} bytes to ${OUT}`)
    }
  })
})
