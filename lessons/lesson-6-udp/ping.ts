// Lesson 6 · ping. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-6 ping
// Try it by hand: npm run peer lesson-6 in one terminal, then npx tsx ping.ts here.
import dgram from 'node:dgram'
import { isIPv6 } from 'node:net'
import { performance } from 'node:perf_hooks'

// Where to ping, how many pings, and how long to wait for each reply.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)
const COUNT = Number(process.env.COUNT ?? 4)
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 1000)

// TODO 1: create the socket, of the type HOST needs: isIPv6(HOST) ? 'udp6' : 'udp4'.
//         Give it an 'error' handler that prints one line. (README: "udp4 or udp6")

/** Sends ping `seq` and waits for its reply: the round-trip time in ms, or undefined when
 *  TIMEOUT_MS passes first. (README: "Timeouts and round trips") */
function ping(seq: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    // TODO 2: listen for 'message' first, then send `PING ${seq}` to PORT and HOST, and note
    //         the time just before: const sentAt = performance.now().
    // TODO 3: only the datagram `PONG ${seq}`, from rinfo.address === HOST and
    //         rinfo.port === PORT, answers this ping: resolve with performance.now() - sentAt.
    //         Anything else (a late PONG, a duplicate, a stranger, garbage) is ignored.
    // TODO 4: a setTimeout of TIMEOUT_MS resolves with undefined. Whichever comes first wins:
    //         clear the timer and remove the 'message' listener either way.
  })
}

// TODO 5: for seq = 1 … COUNT, one at a time: const rtt = await ping(seq), then print
//         `seq=${seq} time=${rtt} ms` or `seq=${seq} timeout`.

// TODO 6: close the socket, so the program can end. Print the summary
//         `${sent} sent, ${received} received, ${loss}% loss` (loss rounded to a whole
//         number), and when something came back `rtt min/avg/max = ${min}/${avg}/${max} ms`.
//         Set process.exitCode = received > 0 ? 0 : 1.
