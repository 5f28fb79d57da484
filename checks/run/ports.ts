// Ports for learner servers. They are drawn below the ephemeral range (32768+ on Linux, 49152+
// on macOS), where the kernel never puts the local end of an outgoing connection, so a peer's
// connection in one grader cannot take the port that another grader just handed its program.

import { createServer } from 'node:net'
import type { Random } from '../engine/random.ts'

const LOW = 20000
const HIGH = 32768

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)))
  })
}

/**
 * The loopback address one grading uses. On Linux every 127.x.y.z address is this machine,
 * so each grading draws its own (not from the seed, which it would give away): a program that writes
 * 127.0.0.1 into its code instead of reading HOST is then not where the grader looks, and
 * is told so. Elsewhere only 127.0.0.1 is sure to exist.
 */
export function loopbackHost(random: Random): string {
  if (process.platform !== 'linux') return '127.0.0.1'
  return `127.${random.int(1, 254)}.${random.int(0, 255)}.${random.int(1, 254)}`
}

/** A port that nothing listens on right now. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    if (await tryListen(port, host)) return port
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH} on ${host}`)
}
