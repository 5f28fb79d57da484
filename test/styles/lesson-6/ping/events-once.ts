// events.once() with an AbortSignal as the timer: each turn awaits the next datagram, until the
// signal's time is up. Wrong datagrams are skipped and the same signal keeps counting down.
import dgram from 'node:dgram'
import { once } from 'node:events'
import { isIPv6 } from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)
const COUNT = Number(process.env.COUNT ?? 4)
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 1000)

const socket = dgram.createSocket(isIPv6(HOST) ? 'udp6' : 'udp4')
socket.on('error', (error) => console.error(`socket error: ${error.message}`))

async function ping(seq: number): Promise<number | null> {
  const signal = AbortSignal.timeout(TIMEOUT_MS)
  const start = process.hrtime.bigint()
  socket.send(`PING ${seq}`, PORT, HOST)
  try {
    for (;;) {
      const [message, from] = (await once(socket, 'message', { signal })) as [Buffer, dgram.RemoteInfo]
      if (from.port === PORT && from.address === HOST && message.equals(Buffer.from(`PONG ${seq}`))) {
        return Number(process.hrtime.bigint() - start) / 1e6
      }
    }
  } catch {
    return null // the signal's time ran out
  }
}

let received = 0
let min = Infinity
let max = 0
let sum = 0
for (let seq = 1; seq <= COUNT; seq++) {
  const ms = await ping(seq)
  if (ms === null) {
    console.log(`seq=${seq} timeout`)
    continue
  }
  received++
  min = Math.min(min, ms)
  max = Math.max(max, ms)
  sum += ms
  console.log(`seq=${seq} time=${ms.toFixed(1)} ms`)
}
socket.close()
console.log(`${COUNT} sent, ${received} received, ${Math.round((100 * (COUNT - received)) / COUNT)}% loss`)
if (received > 0) console.log(`rtt min/avg/max = ${min.toFixed(1)}/${(sum / received).toFixed(1)}/${max.toFixed(1)} ms`)
process.exitCode = received > 0 ? 0 : 1
