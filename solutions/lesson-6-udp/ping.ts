// Lesson 6 · UDP: a pinger. COUNT pings, one at a time; each waits at most TIMEOUT_MS for its
// own PONG. UDP promises nothing: replies may be lost, late, doubled, or come from a stranger.
import dgram from 'node:dgram'
import { isIPv6 } from 'node:net'
import { performance } from 'node:perf_hooks'

// 1. Where to ping, how often, how long to wait: from the environment, with defaults.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)
const COUNT = Number(process.env.COUNT ?? 4)
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 1000)

// 2. The socket's family follows the address, as in the server.
const socket = dgram.createSocket(isIPv6(HOST) ? 'udp6' : 'udp4')
socket.on('error', (error) => console.error(`ping: ${error.message}`))

/** Sends ping `seq` and waits for its own reply: the round-trip time in ms, or undefined when
 * TIMEOUT_MS passes first. */
function ping(seq: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    // 3. Only PONG seq, from HOST:PORT, answers this ping: a late reply to an earlier ping, a
    //    duplicate, a stranger's datagram or garbage is ignored.
    const onMessage = (message: Buffer, from: dgram.RemoteInfo) => {
      if (from.address !== HOST || from.port !== PORT || message.toString('utf8') !== `PONG ${seq}`) return
      finish(performance.now() - sentAt)
    }
    // 4. The first of two events ends the wait: the reply, or the timer.
    const timer = setTimeout(() => finish(undefined), TIMEOUT_MS)
    const finish = (rtt: number | undefined) => {
      clearTimeout(timer)
      socket.off('message', onMessage)
      resolve(rtt)
    }
    socket.on('message', onMessage) // listening before sending: a quick reply is not missed
    const sentAt = performance.now()
    socket.send(`PING ${seq}`, PORT, HOST)
  })
}

const times: number[] = []
for (let seq = 1; seq <= COUNT; seq++) {
  const rtt = await ping(seq)
  if (rtt === undefined) {
    console.log(`seq=${seq} timeout`)
  } else {
    times.push(rtt)
    console.log(`seq=${seq} time=${rtt.toFixed(3)} ms`)
  }
}
socket.close() // 5. Nothing left to wait for: the program ends by itself.

const loss = Math.round((100 * (COUNT - times.length)) / COUNT)
console.log(`${COUNT} sent, ${times.length} received, ${loss}% loss`)
if (times.length > 0) {
  const avg = times.reduce((sum, t) => sum + t, 0) / times.length
  console.log(`rtt min/avg/max = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)} ms`)
}
process.exitCode = times.length > 0 ? 0 : 1
