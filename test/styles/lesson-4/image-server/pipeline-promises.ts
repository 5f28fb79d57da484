// A correct server in another style: an async connection handler with stream/promises.
import net from 'node:net'
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8082)
const IMAGE = process.env.IMAGE ?? 'beauty.png'

const server = net.createServer(async (socket) => {
  try {
    await pipeline(createReadStream(IMAGE), socket)
  } catch (error) {
    console.error(`download failed: ${(error as Error).message}`)
  }
})
server.on('error', (error) => {
  console.error(`cannot listen on ${HOST}:${PORT}: ${error.message}`)
  process.exitCode = 1
})
server.listen(PORT, HOST)
