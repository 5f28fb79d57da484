// The grader as a TCP client of the learner's server. Its first connection is also the
// readiness test: refused connections are retried until the server listens, so there is no
// fixed sleep and no throwaway probe (a probe would use up a server that serves one client).

import { connect as netConnect, type Socket } from 'node:net'
import { fail } from '../engine/failure.ts'
import { limits } from '../engine/limits.ts'
import { diagnoseEarlyExit, diagnoseListening } from '../run/diagnose.ts'
import type { Program } from '../run/program.ts'
import { hostPort, socketsOf } from '../run/sockets.ts'
import { seconds, sleep } from '../engine/wait.ts'
import { t } from '../text/lang.ts'

function attempt(host: string, port: number): Promise<Socket | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    // allowHalfOpen: the peer decides when its side closes, even after the program's FIN.
    const socket = netConnect({ host, port, allowHalfOpen: true })
    socket.once('connect', () => {
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', (error) => {
      socket.destroy()
      resolve(error)
    })
  })
}

/** Connects to the program's server, waiting for it to listen; explains why it never did. */
export async function connectToServer(program: Program, host: string, port: number, ms = limits.startMs): Promise<Socket> {
  const deadline = Date.now() + ms
  let nextLook = 0
  // Short retries: a refused connection on loopback costs a fraction of a millisecond, and
  // every millisecond between "it listens" and "we noticed" is added to the learner's wait.
  for (let delay = 5; ; delay = Math.min(delay * 1.5, 25)) {
    const result = await attempt(host, port)
    if (!(result instanceof Error)) {
      program.reached = true
      return result
    }
    if (!program.running || result.code === 'ECONNRESET') await program.endedAfterAll(100)
    if (!program.running) {
      if (program.reached) fail(t`${program.label} ${program.describeExit()} and no longer listens on ${hostPort(host, port)}.`)
      fail(t`${program.label} ${program.describeExit()} before it listened on ${hostPort(host, port)}.`, [], {
        why: diagnoseEarlyExit(program, port),
      })
    }
    if (result.code !== 'ECONNREFUSED') fail(t`Could not connect to ${program.label} at ${hostPort(host, port)}: ${result.message}.`)
    // What /proc says costs a read of the program's socket tables: once every 100 ms is enough
    // to find a server listening somewhere else, and leaves the grader's thread to the others.
    const look = Date.now() >= nextLook
    if (look) nextLook = Date.now() + 100
    const elsewhere = look ? diagnoseListening(program, host, port) : undefined
    if (elsewhere) fail(elsewhere)
    if (look && program.reached && socketsOf(program.pid)?.every((socket) => socket.state !== 'listen')) {
      if (await program.endedAfterAll()) fail(t`${program.label} ${program.describeExit()} and no longer listens on ${hostPort(host, port)}.`)
      fail(t`${program.label} no longer listens on ${hostPort(host, port)}: it served a client before, but now refuses new ones.`, [], {
        why: 'server.close() stops a server from accepting new connections. A server that should keep serving never calls it.',
      })
    }
    if (Date.now() > deadline) {
      fail(
        t`Nothing listened on ${hostPort(host, port)} for ${seconds(ms)}, though ${program.label} is still running.`,
        [],
        { why: 'A server must call listen(PORT, HOST) before any client can connect.' },
      )
    }
    await sleep(delay)
  }
}
