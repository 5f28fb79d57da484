// The datagrams as an async iterator: events.on() queues every 'message' event, so the loop
// takes them one by one, in order, and none is lost between two turns.
import dgram from 'node:dgram'
import { on } from 'node:events'
import { isIPv6 } from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)

const socket = dgram.createSocket(isIPv6(HOST) ? 'udp6' : 'udp4')
const values = new Map<string, string>([['version', '0.6.1-iter']])

try {
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(PORT, HOST, () => {
      socket.off('error', reject)
      resolve()
    })
  })
} catch (error) {
  console.error(`port ${PORT} on ${HOST}: ${(error as Error).message}`)
  process.exit(1)
}

for await (const [message, rinfo] of on(socket, 'message') as AsyncIterable<[Buffer, dgram.RemoteInfo]>) {
  if (message.length > 1000) continue
  const text = message.toString('utf8').replace(/\r?\n$/, '')
  const at = text.indexOf('=')
  if (at >= 0) {
    const key = text.slice(0, at)
    if (key !== 'version') values.set(key, text.slice(at + 1))
  } else {
    socket.send(`${text}=${values.get(text) ?? ''}`, rinfo.port, rinfo.address, () => {})
  }
}
