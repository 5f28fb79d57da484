// The grader as a TCP server for the learner's client: it listens on a port the OS picks, and
// hands out each connection the client makes.

import { createServer, type Server, type Socket } from 'node:net'
import { fail } from '../engine/failure.ts'
import { capitalize } from '../text/words.ts'
import { lang, t } from '../text/lang.ts'
import { limits } from '../engine/limits.ts'
import { diagnoseConnecting, diagnoseEarlyExit } from '../run/diagnose.ts'
import type { Program } from '../run/program.ts'
import { hostPort } from '../run/sockets.ts'
import { seconds, settled, waitFor, type Subscribe } from '../engine/wait.ts'

export class ServerPeer {
  private waiting: Socket[] = []
  private listeners = new Set<() => void>()

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {
    server.on('connection', (socket) => {
      socket.on('error', () => {}) // errors are read through the Connection that adopts it
      this.waiting.push(socket)
      for (const listener of [...this.listeners]) listener()
    })
  }

  static listen(host = '127.0.0.1', port = 0): Promise<ServerPeer> {
    return new Promise((resolve, reject) => {
      const server = createServer({ allowHalfOpen: true })
      server.once('error', reject)
      server.listen({ host, port, exclusive: true }, () => {
        const address = server.address()
        resolve(new ServerPeer(server, host, typeof address === 'object' && address ? address.port : port))
      })
    })
  }

  private watch: Subscribe = (wake) => {
    this.listeners.add(wake)
    return () => this.listeners.delete(wake)
  }

  /** The next connection from `program`; fails with where it went instead, if it can tell. */
  async accept(program: Program, ms = limits.startMs): Promise<Socket> {
    await waitFor(() => this.waiting.length > 0 || !program.running, [this.watch, settled(program.exited)], ms)
    const socket = this.waiting.shift()
    if (socket) return socket
    const where = hostPort(this.host, this.port)
    const reason = diagnoseConnecting(program, this.host, this.port)
    if (!program.running) {
      // Chinese sentences follow one another without a space.
      const sentence = reason ? `${lang() === 'en' ? ' ' : ''}${capitalize(reason)}` : ''
      fail(`${t`${program.label} ${program.describeExit()} without connecting to ${where}.`}${sentence}`, [], {
        why: reason ? undefined : diagnoseEarlyExit(program, this.port),
      })
    }
    fail(reason ?? t`${program.label} did not connect to ${where} within ${seconds(ms)}.`)
  }

  close(): void {
    for (const socket of this.waiting) socket.destroy()
    this.server.close()
  }
}
