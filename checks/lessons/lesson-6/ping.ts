// Lesson 6 · ping: a UDP pinger. The grader is the pong server (pong.ts): it answers PING n with
// PONG n, or drops the reply, holds it back past TIMEOUT_MS, sends it twice, or lets a stranger
// answer first, as UDP and the network may. What the pinger prints is judged against what the
// grader did and when; its timing against COUNT × TIMEOUT_MS, with wide margins.

import { performance } from 'node:perf_hooks'
import { printedLines } from '../../engine/expect.ts'
import { fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import { exercise } from '../../engine/story.ts'
import { seconds, within } from '../../engine/wait.ts'
import { onIPv6 } from '../shared.ts'
import { freeDatagramPort, type DatagramPeer } from '../../peers/udp.ts'
import type { Program } from '../../run/program.ts'
import { capitalize } from '../../text/words.ts'
import { t } from '../../text/lang.ts'
import { DEFAULT_COUNT, DEFAULT_TIMEOUT_MS, replyDelays, expectExitCode, expectPings, expectResults, expectRun, expectSummary, readOutput, spans, startPinger, type PongServer } from './pong.ts'

const oneLineWhy = () => t("Handle the socket's 'error' event: print one line, and let the program end with exit code 1.")
/** More pings than Node allows listeners on one event before it warns (10). */
const LEAK_COUNT = 12
/** How much later than COUNT × TIMEOUT_MS a pinger that never hears back may end. */
const MARGIN_MS = 1500 * (limits.waitMs / 3000)

/** A loopback address other than `host`, to send from (Linux answers on all of 127.0.0.0/8). */
function otherLoopback(host: string): string | undefined {
  const parts = /^127\.(\d+)\.(\d+)\.(\d+)$/.exec(host)
  if (!parts || process.platform !== 'linux') return undefined
  return `127.${parts[1]}.${parts[2]}.${(Number(parts[3]) % 250) + 2}`
}

export default exercise(({ check, stretch }) => {
  let program: Program
  let pong: PongServer
  /** The replies the first run may count: all of them, unless a loaded machine raced one. */
  let received = DEFAULT_COUNT

  check(
    'sends PING 1 to the HOST and PORT it is given',
    { see: 'no-connection', why: 'Send each ping to HOST and PORT from the environment: socket.send(`PING ${seq}`, PORT, HOST).' },
    async (context) => {
      // Each reply a few ms after its ping: "at once", yet late enough that a pinger that sends
      // every ping without waiting shows.
      ;({ program, pong } = await startPinger(context, (seq, p) => p.reply(seq, { after: 5 })))
      await pong.expectFirstPing(program)
    },
  )

  check(
    'when every reply comes at once, ends long before COUNT × TIMEOUT_MS',
    { see: 'timeouts-and-round-trips' },
    async () => {
      const budget = DEFAULT_COUNT * DEFAULT_TIMEOUT_MS
      // Half: a pinger that sleeps TIMEOUT_MS after each ping is still sending at 3 s, and a
      // correct one has 2 s, on a loaded machine too, to send 4 pings and close.
      const limit = budget / 2
      const first = pong.pings[0]!.at
      // The time the grader itself took to answer (late, when the machine is loaded) is not the
      // pinger's: it is added as the replies go out.
      const ended = () => program.exited.then(() => true)
      for (;;) {
        const left = limit + replyDelays(pong) - (performance.now() - first)
        if (left <= 0) break
        if (await within(ended(), left, () => false)) {
          pong.endedAt = performance.now()
          return
        }
      }
      const sent = pong.pings.length
      const output = readOutput(program)
      fail(
        t`Every reply came back within a few ms, yet ${program.label} was still running ${seconds(limit)} after its first ping, having sent ${sent} of ${DEFAULT_COUNT} pings (COUNT × TIMEOUT_MS is ${seconds(budget)}).`,
        printedLines(program),
        {
          why: output.summary
            ? t('It printed its summary, then stayed: an open socket keeps a Node program alive. Call socket.close() once the last ping is done.')
            : t('Move on as soon as the reply comes: wait for the first of two events, the PONG or the timer, not for a fixed TIMEOUT_MS after every ping.'),
        },
      )
    },
  )

  check(
    `sends PING 1 to PING ${DEFAULT_COUNT} one at a time, each after the reply to the one before (COUNT defaults to ${DEFAULT_COUNT})`,
    { see: 'timeouts-and-round-trips' },
    async () => expectPings(program, pong, DEFAULT_COUNT),
  )

  check('prints seq=n time=T ms for each ping, in order', { see: 'timeouts-and-round-trips' }, async () => {
    received = expectResults(program, pong, Array(DEFAULT_COUNT).fill('reply'), { upper: spans(pong) })
  })

  check(
    `prints the summary, ${DEFAULT_COUNT} sent, ${DEFAULT_COUNT} received, 0% loss and rtt min/avg/max, and exits with code 0`,
    { see: 'timeouts-and-round-trips' },
    async () => {
      expectSummary(program, DEFAULT_COUNT, received)
      await expectExitCode(program, 0)
      pong.peer.close()
    },
  )

  check(
    'some pings dropped: seq=n timeout in their lines, the loss rounded, exit code 0',
    { see: 'nothing-is-guaranteed', why: 'A datagram can be lost, and nobody tells you: the timer is the only way to know. Wait at most TIMEOUT_MS, print seq=n timeout, and go on.' },
    async (context) => {
      // One ping of six: 16.67 % is 17 % rounded, and 16 % cut.
      const count = 6
      const timeoutMs = 300
      const dropped = context.random.int(2, count - 1)
      const run = await startPinger(context, (seq, p) => seq !== dropped && p.reply(seq), { count, timeoutMs })
      await expectRun(run, Array.from({ length: count }, (_, i) => (i + 1 === dropped ? 'timeout' : 'reply')), timeoutMs + limits.waitMs)
    },
  )

  check(
    'a reply later than TIMEOUT_MS, arriving while the next ping waits, is not taken for it',
    { see: 'nothing-is-guaranteed', why: 'A late PONG 1 is not PONG 2: compare the number in the reply with the ping you are waiting for.' },
    async (context) => {
      const timeoutMs = 400
      // Ping 1 is answered at once, so that the grader knows when ping 2 left. PONG 2 goes out
      // only once PING 3 has come (ping 2 has surely timed out), and PONG 3 100 ms after it: a
      // pinger that takes any PONG sends PING 4 before PONG 3 is on its way.
      const run = await startPinger(
        context,
        (seq, p) => {
          if (seq === 3) p.reply(2)
          if (seq !== 2) p.reply(seq, { after: seq === 3 ? 100 : seq === 4 ? 20 : 0 })
        },
        { count: 4, timeoutMs },
      )
      await expectRun(run, ['reply', 'timeout', 'reply', 'reply'], timeoutMs + limits.waitMs)
    },
  )

  check(
    'a reply sent twice counts once',
    { see: 'nothing-is-guaranteed', why: 'UDP may deliver a datagram twice. Once ping n has its reply, another PONG n is ignored.' },
    async (context) => {
      // Each PONG goes twice: back to back for odd pings, and 15 ms apart for even ones, so the
      // copy arrives while the next ping waits for its own reply (sent 30 ms after its ping).
      const run = await startPinger(context, (seq, p) => p.reply(seq, { after: 30, twice: seq % 2 === 1 ? 0 : 15 }), { count: 4, timeoutMs: 400 })
      await expectRun(run, ['reply', 'reply', 'reply', 'reply'], limits.waitMs)
    },
  )

  check(
    "ignores a stranger's datagram from another port or address, and garbage",
    {
      see: 'no-connection',
      why: 'Anyone can send a datagram to your socket. The reply is PONG n from HOST and PORT: check rinfo.address and rinfo.port as well as the text.',
    },
    async (context) => {
      const strangers: DatagramPeer[] = []
      const run = await startPinger(
        context,
        (seq, p) => {
          for (const stranger of strangers) p.deliver(`PONG ${seq}`, stranger)
          p.deliver(`PONG ${seq + 100}`)
          p.deliver(Buffer.from([0xff, 0xfe, 0x50]))
          p.deliver('PONG')
          p.reply(seq, { after: 60 })
        },
        {
          count: 3,
          timeoutMs: 400,
          ready: async (p) => {
            strangers.push(await context.udp(t('stranger')))
            const other = otherLoopback(p.address.address)
            if (other) strangers.push(await context.udp(t('stranger on another address'), { host: other, port: p.address.port }).catch(() => context.udp(t('stranger on another address'), { host: other })))
          },
        },
      )
      await expectRun(run, ['reply', 'reply', 'reply'], limits.waitMs)
    },
  )

  check(
    'a reply delayed by a known time shows an RTT no smaller than that delay',
    { see: 'timeouts-and-round-trips', why: 'The round-trip time runs from just before the ping goes out to the moment its reply comes: performance.now() at both ends.' },
    async (context) => {
      const delays = [0, 1, 2].map(() => context.random.int(60, 120))
      const run = await startPinger(context, (seq, p) => p.reply(seq, { after: delays[seq - 1]! }), { count: 3, timeoutMs: 1000 })
      await expectRun(run, ['reply', 'reply', 'reply'], limits.waitMs, { upper: true })
    },
  )

  check(
    'when no reply comes, ends within COUNT × TIMEOUT_MS and a small margin, with exit code 1',
    { see: 'timeouts-and-round-trips', why: 'Each ping waits TIMEOUT_MS at most: a setTimeout that ends the wait. Without it, a lost reply keeps the pinger waiting for ever.' },
    async (context) => {
      const count = 3
      const timeoutMs = 250
      const run = await startPinger(context, () => {}, { count, timeoutMs })
      await expectRun(run, Array(count).fill('timeout'), count * timeoutMs + MARGIN_MS)
    },
  )

  check(
    `${LEAK_COUNT} pings leave no 'message' listener behind (no MaxListenersExceededWarning)`,
    {
      see: 'timeouts-and-round-trips',
      why: "Each ping adds a 'message' listener; once its wait is over, by the reply or the timer, remove it with socket.off('message', onMessage). Else they pile up, one more per ping, and every datagram runs through all of them.",
    },
    async (context) => {
      const run = await startPinger(context, (seq, p) => p.reply(seq), { count: LEAK_COUNT, timeoutMs: 1000 })
      await expectRun(run, Array(LEAK_COUNT).fill('reply'), limits.waitMs)
      // Node warns once a socket holds more than 10 listeners for one event.
      const warning = run.program.stderr.lines.find((line) => line.includes('MaxListenersExceededWarning'))
      if (warning) fail(t`${capitalize(run.program.label)} kept a 'message' listener for every ping it sent, and Node warned about it:`, [warning])
    },
  )

  stretch(
    ...onIPv6(
      'udp4-or-udp6',
      async (v6) => {
        const run = await startPinger(v6, (seq, p) => p.reply(seq, { after: 5 }), { count: 3, timeoutMs: 1000 })
        await expectRun(run, ['reply', 'reply', 'reply'], limits.waitMs)
      },
      "::1 is IPv6's loopback address, and a udp4 socket cannot send to it: dgram, unlike net, takes the family from you. Create the socket with the type the address needs: isIPv6(HOST) ? 'udp6' : 'udp4'.",
    ),
  )

  stretch(
    'run by hand, with no HOST, pings 127.0.0.1',
    { see: 'no-connection', why: "By hand nobody passes HOST: process.env.HOST ?? '127.0.0.1' is where the pings go, and the address the PONGs must come from." },
    async (context) => {
      // A long TIMEOUT_MS: a timeout of ping 1 is then not excused as the grader's own slowness
      // (a PONG sent TIMEOUT_MS / 2 after the program began), even when it is slow to start.
      const timeoutMs = 5000
      const run = await startPinger(context, (seq, p) => p.reply(seq, { after: 5 }), { count: 1, timeoutMs, byHand: true })
      await expectRun(run, ['reply'], timeoutMs + limits.waitMs)
    },
  )

  stretch(
    'with nothing listening, prints timeouts or one line, and exits with code 1',
    {
      see: 'connect-on-a-udp-socket',
      why: "Nothing may answer at all. On a connected socket, the ICMP \"port unreachable\" comes back as an 'error' event (ECONNREFUSED): handle it.",
    },
    async ({ start, host }) => {
      const count = 2
      const timeoutMs = 250
      const pinger = await start({ port: await freeDatagramPort(host), env: { COUNT: String(count), TIMEOUT_MS: String(timeoutMs) } })
      const label = capitalize(pinger.label)
      const status = await pinger.waitForExit(count * timeoutMs + limits.waitMs)
      if (!status) fail(t`${label} was still running ${seconds(count * timeoutMs + limits.waitMs)} after it started, with nothing listening.`, printedLines(pinger))
      const output = [...pinger.stderr.lines, ...pinger.stdout.lines].filter((line) => line.trim() !== '')
      if (output.some((line) => /^\s+at .+(\(.*\)|:\d+:\d+)$/.test(line))) fail(t`${label} printed a stack trace.`, printedLines(pinger), { why: oneLineWhy() })
      const errors = pinger.stderr.lines.filter((line) => line.trim() !== '')
      if (errors.length > 1) fail(t`${label} printed ${errors.length} lines to stderr; one line is enough.`, errors.slice(0, 6), { why: oneLineWhy() })
      if (status.code !== 1) fail(t`${label} ${pinger.describeExit()}; expected exit code 1, as no reply came back.`, printedLines(pinger))
      if (readOutput(pinger).order.length > 0) {
        // It went on pinging: then every line is a timeout, and the summary says so.
        expectResults(pinger, undefined, Array(count).fill('timeout'))
        expectSummary(pinger, count, 0)
      } else if (output.length === 0) {
        fail(t`${label} printed nothing; expected timeouts, or one line saying what went wrong.`)
      }
    },
  )
})
