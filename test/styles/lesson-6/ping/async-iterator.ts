// Each ping reads the socket's datagrams through events.on(), an async iterator that ends with
// an AbortError when its signal fires: the timeout. Breaking out of the loop removes the listener.
import dgram from 'node:dgram'
import { on } from 'node:events'
import { isIPv6 } from 'node:net'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)
const COUNT = Number(process.env.COUNT ?? 4)
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 1000)

const socket = dgram.createSocket(isIPv6(HOST) ? 'udp6' : 'udp4')
socket.on('error', (error) => console.error(`ping: ${error.message}`))

const results: Array<number | undefined> = []
for (let seq = 1; seq <= COUNT; seq++) {
  const datagrams = on(socket, 'message', { signal: AbortSignal.timeout(TIMEOUT_MS) }) as AsyncIterableIterator<[Buffer, dgram.RemoteInfo]>
  const t0 = performance.now()
  socket.send(`PING ${seq}`, PORT, HOST)
  let rtt: number | undefined
  try {
    for await (const [data, rinfo] of datagrams) {
      if (rinfo.address === HOST && rinfo.port === PORT && data.toString('utf8') === `PONG ${seq}`) {
        rtt = performance.now() - t0
        break
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error
  }
  results.push(rtt)
  console.log(rtt === undefined ? `seq=${seq} timeout` : `seq=${seq} time=${Math.round(rtt * 1000) / 1000} ms`)
}
socket.close()

const times = results.filter((t): t is number => t !== undefined)
const loss = Math.round((100 * (COUNT - times.length)) / COUNT)
console.log(`${COUNT} sent, ${times.length} received, ${loss}% loss`)
if (times.length > 0) {
  const avg = times.reduce((a, b) => a + b, 0) / times.length
  const r = (n: number) => Math.round(n * 1000) / 1000
  console.log(`rtt min/avg/max = ${r(Math.min(...times))}/${r(avg)}/${r(Math.max(...times))} ms`)
}
process.exitCode = times.length > 0 ? 0 : 1
