// Stories more than one lesson tells. Each returns the arguments of check() or stretch(), so a
// lesson reads `stretch(...refusedConnection('the-error-event'))` and points to its own README.

import { expectBoundToHost, expectCleanError } from '../engine/expect.ts'
import type { Explain } from '../engine/failure.ts'
import type { CheckContext, CheckOptions } from '../engine/story.ts'

/** ⭐ A client started where nothing listens says so in one line and exits with code 1. */
export const refusedConnection = (see: string) =>
  [
    'with nothing listening, prints one line naming the address and exits with code 1',
    {
      see,
      why: "A refused connection arrives as an 'error' event (ECONNREFUSED). Handle it: print one line with the address, set process.exitCode = 1.",
    } satisfies Explain,
    async ({ start, freePort, host }: CheckContext) => {
      const port = await freePort()
      await expectCleanError(await start({ port }), [host, String(port)], 1)
    },
  ] as const

/** ⭐ A server started on a port that is taken says so in one line and exits with an error code.
 * Its start is made early (the program fails at once, wherever the story is). */
export const portTaken = (see: string) =>
  [
    'on a port that is taken, prints one line naming the port and exits',
    {
      see,
      why: "listen() reports a taken port as an 'error' event on the server (EADDRINUSE). Handle it: print one line, set a non-zero exit code.",
    } satisfies Explain,
    async ({ start }: CheckContext) => {
      const server = await start({ takenPort: true })
      await expectCleanError(server, [String(server.options.port)], 'non-zero')
    },
    { early: 'taken-port' } satisfies CheckOptions,
  ] as const

/** ⭐ A server run by hand, with no HOST, listens where the lessons' default says, 127.0.0.1,
 * and not on every interface (what listen() does with no host, or with ''). Started early. */
export const defaultHost = (see: string) =>
  [
    'run by hand, with no HOST, listens on 127.0.0.1 only',
    {
      see,
      why: "By hand nobody passes HOST, so the default applies: process.env.HOST ?? '127.0.0.1' keeps the server on this machine. With no host at all, listen() takes every network interface.",
    } satisfies Explain,
    async ({ start, connect }: CheckContext) => {
      const server = await start({ byHand: true })
      await connect(server)
      await expectBoundToHost(server)
    },
    { early: 'by-hand' } satisfies CheckOptions,
  ] as const

/** ⭐ The same program on IPv6's loopback: HOST=::1 (for an HTTP client, a URL on [::1]) and
 * the peers on ::1. A program that passes HOST on as it is needs no change; one that builds its
 * own address, or asks for IPv4 (family: 4, udp4), fails here. `story` is told in the IPv6
 * context. */
export const onIPv6 = (see: string, story: (context: CheckContext) => Promise<void>, why = IPV6_WHY, name = 'works the same over IPv6, with HOST=::1') =>
  [name, { see, why } satisfies Explain, (context: CheckContext) => story(context.ipv6())] as const

const IPV6_WHY =
  "::1 is IPv6's loopback address. Pass HOST to listen() or connect() as it is: Node picks an IPv6 socket (AF_INET6) from the address, so a correct program needs no change."
