// A connected socket: connect() sets the default peer, so send() needs no address, and the
// system drops datagrams from anyone else. Its ICMP "port unreachable" comes back as an 'error'
// event (ECONNREFUSED): one line, and the pinging stops.
import dgram from 'node:dgram'
import { isIPv6 } from 'node:net'
import { performance } from 'node:perf_hooks'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)
const COUNT = Number(process.env.COUNT ?? 4)
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 1000)

const socket = dgram.createSocket(isIPv6(HOST) ? 'udp6' : 'udp4')
let failure: Error | undefined
let abort: (() => void) | undefined
socket.on('error', (error) => {
  failure ??= error
  abort?.()
})
await new Promise<void>((resolve) => socket.connect(PORT, HOST, resolve))

function ping(seq: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const started = performance.now()
    const done = (rtt?: number) => {
      clearTimeout(timer)
      socket.off('message', hear)
      abort = undefined
      resolve(rtt)
    }
    const hear = (message: Buffer) => {
      if (message.toString() === `PONG ${seq}`) done(performance.now() - started)
    }
    const timer = setTimeout(done, TIMEOUT_MS)
    abort = done
    socket.on('message', hear)
    socket.send(`PING ${seq}`)
  })
}

const rtts: number[] = []
for (let seq = 1; seq <= COUNT && !failure; seq++) {
  const rtt = await ping(seq)
  if (failure) break
  if (rtt !== undefined) rtts.push(rtt)
  console.log(rtt === undefined ? `seq=${seq} timeout` : `seq=${seq} time=${rtt.toFixed(2)} ms`)
}
socket.close()

if (failure) {
  console.error(`ping ${HOST}:${PORT}: ${(failure as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'nothing is listening there' : failure.message}`)
  process.exitCode = 1
} else {
  console.log(`${COUNT} sent, ${rtts.length} received, ${Math.round(((COUNT - rtts.length) / COUNT) * 100)}% loss`)
  if (rtts.length) console.log(`rtt min/avg/max = ${Math.min(...rtts).toFixed(2)}/${(rtts.reduce((a, b) => a + b) / rtts.length).toFixed(2)}/${Math.max(...rtts).toFixed(2)} ms`)
  process.exitCode = rtts.length ? 0 : 1
}
