// A class, and a new socket for every ping, closed once that ping is done: each ping then has
// a port of its own, and a reply to an earlier ping cannot even reach the socket that waits.
import { createSocket, type RemoteInfo } from 'node:dgram'
import { isIPv6 } from 'node:net'

interface Outcome {
  seq: number
  ms?: number
}

class Pinger {
  readonly outcomes: Outcome[] = []

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  async run(count: number): Promise<void> {
    for (let seq = 1; seq <= count; seq++) {
      const outcome = await this.one(seq)
      this.outcomes.push(outcome)
      console.log(outcome.ms === undefined ? `seq=${seq} timeout` : `seq=${seq} time=${outcome.ms.toFixed(2)} ms`)
    }
  }

  private one(seq: number): Promise<Outcome> {
    const socket = createSocket(isIPv6(this.host) ? 'udp6' : 'udp4')
    return new Promise((resolve) => {
      const start = performance.now()
      const end = (ms?: number) => {
        clearTimeout(timer)
        socket.close()
        resolve({ seq, ms })
      }
      const timer = setTimeout(() => end(), this.timeoutMs)
      socket.on('error', () => end())
      socket.on('message', (data: Buffer, from: RemoteInfo) => {
        if (from.address === this.host && from.port === this.port && data.toString() === `PONG ${seq}`) end(performance.now() - start)
      })
      socket.send(`PING ${seq}`, this.port, this.host)
    })
  }

  summary(): string[] {
    const ms = this.outcomes.flatMap((o) => (o.ms === undefined ? [] : [o.ms]))
    const sent = this.outcomes.length
    const lines = [`${sent} sent, ${ms.length} received, ${Math.round(((sent - ms.length) * 100) / sent)}% loss`]
    if (ms.length > 0) lines.push(`rtt min/avg/max = ${Math.min(...ms).toFixed(2)}/${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2)}/${Math.max(...ms).toFixed(2)} ms`)
    return lines
  }
}

const pinger = new Pinger(process.env.HOST ?? '127.0.0.1', Number(process.env.PORT ?? 8084), Number(process.env.TIMEOUT_MS ?? 1000))
await pinger.run(Number(process.env.COUNT ?? 4))
for (const line of pinger.summary()) console.log(line)
process.exitCode = pinger.outcomes.some((o) => o.ms !== undefined) ? 0 : 1
