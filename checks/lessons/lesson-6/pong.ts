// The grader as the pinger's pong server: it hears `PING n` and decides, ping by ping, what UDP
// may do to the reply (answer at once, drop it, hold it back, send it twice, let a stranger
// answer first). It writes down when each ping came and when each PONG went, so that the RTT
// a pinger prints can be judged against times the grader knows for sure: a reply sent d ms
// after its ping came cannot have made a round trip shorter than d.

import { performance } from 'node:perf_hooks'
import { explaining, fail, type Explain } from '../../engine/failure.ts'
import { printedLines } from '../../engine/expect.ts'
import { limits } from '../../engine/limits.ts'
import { seconds, settled, waitFor } from '../../engine/wait.ts'
import type { CheckContext } from '../../engine/story.ts'
import { connectedTo, type Address, type Datagram, type DatagramPeer } from '../../peers/udp.ts'
import type { Program } from '../../run/program.ts'
import { hostPort } from '../../run/sockets.ts'
import { quoteBytes } from '../../text/bytes.ts'
import { capitalize } from '../../text/words.ts'
import { t } from '../../text/lang.ts'

export interface Ping {
  seq: number
  at: number
  /** Where it came from: the reply goes there (a pinger may use a new socket for each ping). */
  from: Address
}

/** What the grader does with ping `seq`, as it arrives. */
export type Plan = (seq: number, pong: PongServer) => void

interface Sent {
  bytes: Buffer
  at: number
  by: string
}

export class PongServer {
  /** The pings that came, in order: `PING n` datagrams, each n once. */
  readonly pings: Ping[] = []
  /** Anything else the pinger sent: a repeated ping, something that is not `PING n`. */
  readonly odd: Datagram[] = []
  /** Every datagram sent to the pinger, by the pong server or a stranger. */
  readonly sent: Sent[] = []
  /** Where the pinger's socket is, once it has sent something: the last ping's source. */
  pinger?: Address
  /** The first ping that came too early: before the last one's reply, long before its timeout. */
  early?: { seq: number; at: number; previous: Ping }
  /** When the pinger was started, and when it was seen to have ended. */
  startedAt = performance.now()
  endedAt?: number
  /** How the transcript names the pinger: the program's label. */
  pingerName = t('the pinger')
  private readonly answered = new Map<number, number>()
  /** For each ping, the earliest moment a pinger that keeps the rules can have sent it: its
   * start for PING 1; for PING n+1, PONG n going out, or TIMEOUT_MS after PING n's own. Known
   * for sure, however late the grader's loop hears datagrams on a loaded machine. */
  private readonly earliest = new Map<number, number>()

  constructor(
    readonly peer: DatagramPeer,
    readonly timeoutMs: number,
    private readonly plan: Plan,
  ) {
    peer.serve((datagram) => this.hear(datagram))
  }

  get address(): Address {
    return this.peer.address
  }

  private hear(datagram: Datagram): void {
    this.pinger = { address: datagram.address, port: datagram.port }
    this.peer.know(this.pinger, this.pingerName)
    const seq = /^PING ([1-9]\d*)$/.exec(datagram.bytes.toString('utf8'))?.[1]
    if (seq === undefined || this.pings.some((ping) => ping.seq === Number(seq))) {
      this.odd.push(datagram)
      return
    }
    const previous = this.pings.at(-1)
    let earliest = this.startedAt
    if (previous) {
      // Sent before PONG n went out, and before TIMEOUT_MS could have passed since PING n left
      // (2 ms for a timer's rounding): it did not wait.
      const before = this.earliest.get(previous.seq)!
      const answered = this.answered.get(previous.seq)
      if (answered === undefined && datagram.at < before + this.timeoutMs - 2) this.early ??= { seq: Number(seq), at: datagram.at, previous }
      earliest = Math.min(answered ?? Infinity, before + this.timeoutMs)
    }
    this.earliest.set(Number(seq), earliest)
    this.pings.push({ seq: Number(seq), at: datagram.at, from: this.pinger })
    this.plan(Number(seq), this)
  }

  /** Sends PONG `seq` now or `after` ms from now (again `twice` ms after that, if given). */
  reply(seq: number, options: { after?: number; twice?: number } = {}): void {
    this.later(options.after ?? 0, () => {
      if (!this.answered.has(seq)) this.answered.set(seq, performance.now())
      const to = this.pings.find((ping) => ping.seq === seq)?.from
      this.deliver(`PONG ${seq}`, this.peer, undefined, to)
      if (options.twice === 0) this.deliver(`PONG ${seq}`, this.peer, t('the same reply again'), to)
      else if (options.twice !== undefined) this.later(options.twice, () => this.deliver(`PONG ${seq}`, this.peer, t('the same reply again'), to))
    })
  }

  /** Sends the pinger a datagram (to where its last ping came from, unless `to` says): its
   * reply, garbage, or a stranger's PONG. */
  deliver(data: string | Buffer, by: DatagramPeer = this.peer, note?: string, to = this.pinger): void {
    if (!to) return
    if (note) by.note(note)
    by.know(to, this.pingerName)
    this.sent.push({ bytes: Buffer.from(data), at: performance.now(), by: by.name })
    void by.send(data, to)
  }

  /** Runs `action` `ms` from now. A timer runs before the loop reads its sockets: one that
   * fires late, on a loaded machine, would send a held-back reply before a ping already
   * waiting in the socket is heard, and hide that the pinger did not wait. So the reply waits
   * for that read first (setImmediate runs after it). */
  private later(ms: number, action: () => void): void {
    if (ms === 0) action()
    else setTimeout(() => setImmediate(action), ms).unref()
  }

  /** When the first PONG `seq` went out, if it did. */
  answeredAt(seq: number): number | undefined {
    return this.answered.get(seq)
  }

  /** The earliest moment a pinger that keeps the rules can have sent PING `seq`. */
  earliestSend(seq: number): number | undefined {
    return this.earliest.get(seq)
  }

  /** Waits for the first ping, explaining why none came. */
  async expectFirstPing(program: Program): Promise<Ping> {
    await waitFor(() => this.pings.length > 0 || this.odd.length > 0 || !program.running, [this.peer.changes, settled(program.exited)], limits.startMs)
    // A datagram sent just before the exit is read by the time the exit is known in full.
    if (this.pings.length === 0 && !program.running) await program.waitForExit(limits.waitMs)
    const label = capitalize(program.label)
    const where = hostPort(this.address.address, this.address.port)
    if (this.pings.length === 0 && this.odd.length > 0) {
      fail(t`${label} sent ${quoteBytes(this.odd[0]!.bytes, 60)} to ${where}; the first ping is the datagram "PING 1".`, [], {
        why: 'A ping is one datagram, `PING n` with n counting from 1, no newline: the datagram itself is the message.',
      })
    }
    if (this.pings.length === 0) {
      if (!program.running) fail(t`${label} ${program.describeExit()}, and no ping reached ${where}.`, printedLines(program))
      const elsewhere = connectedTo(program)
      const hint = elsewhere ? t` Its socket is connected to ${hostPort(elsewhere.address, elsewhere.port)}.` : ''
      fail(t`${label} sent nothing to ${where} for ${seconds(limits.startMs)}.${hint}`, [], {
        why: 'Send each ping to HOST and PORT from the environment: socket.send(`PING ${seq}`, PORT, HOST).',
      })
    }
    const first = this.pings[0]!
    if (first.seq !== 1) fail(t`${label}'s first ping was PING ${first.seq}; the pings count from 1.`)
    return first
  }

  /** Waits until `count` pings have come, or the pinger has ended. */
  async untilPings(program: Program, count: number): Promise<void> {
    await waitFor(() => this.pings.length >= count || !program.running, [this.peer.changes, settled(program.exited)], limits.waitMs)
  }

  /** What the pinger was sent between two moments, for a message. */
  sentBetween(from: number, to: number): Sent[] {
    return this.sent.filter((s) => s.at >= from && s.at <= to)
  }
}

/** Starts the pinger against a new pong server; `timeoutMs` and `count` go to TIMEOUT_MS and
 * COUNT when given (the defaults apply when not). `ready` runs once the pong server is bound,
 * before the pinger starts. */
export async function startPinger(
  context: CheckContext,
  plan: Plan,
  options: { count?: number; timeoutMs?: number; ready?: (pong: PongServer) => Promise<void>; byHand?: boolean } = {},
): Promise<{ program: Program; pong: PongServer }> {
  // By hand nobody passes HOST: the pinger's default, 127.0.0.1, is where the pong server waits.
  const peer = await context.udp(t('pong server'), options.byHand ? { host: '127.0.0.1' } : undefined)
  const pong = new PongServer(peer, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, plan)
  await options.ready?.(pong)
  const env: Record<string, string> = {}
  if (options.count !== undefined) env.COUNT = String(options.count)
  if (options.timeoutMs !== undefined) env.TIMEOUT_MS = String(options.timeoutMs)
  pong.startedAt = performance.now()
  const program = await context.start({ port: peer.port, env, byHand: options.byHand })
  pong.pingerName = program.label
  return { program, pong }
}

export const DEFAULT_COUNT = 4
export const DEFAULT_TIMEOUT_MS = 1000

// ——— What the pinger prints ———

export interface PingOutput {
  /** seq → each line printed for it: a time in ms, or 'timeout'. */
  results: Map<number, Array<number | 'timeout'>>
  /** The seqs in the order their lines were printed. */
  order: number[]
  summary?: { sent: number; received: number; loss: number; line: string }
  rtt?: { min: number; avg: number; max: number; line: string }
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`
const RESULT = new RegExp(String.raw`(?:^|\s)seq=(\d+) (?:time=${NUMBER} ms|(timeout))$`)
const SUMMARY = /(?:^|\s)(\d+) sent, (\d+) received, (\d+)% loss$/
const RTT = new RegExp(String.raw`(?:^|\s)rtt min/avg/max = ${NUMBER}/${NUMBER}/${NUMBER} ms$`)

export function readOutput(program: Program): PingOutput {
  const output: PingOutput = { results: new Map(), order: [] }
  for (const line of program.stdout.lines) {
    const result = RESULT.exec(line)
    if (result) {
      const seq = Number(result[1])
      const list = output.results.get(seq) ?? []
      list.push(result[3] ? 'timeout' : Number(result[2]))
      output.results.set(seq, list)
      output.order.push(seq)
      continue
    }
    const summary = SUMMARY.exec(line)
    if (summary) output.summary ??= { sent: Number(summary[1]), received: Number(summary[2]), loss: Number(summary[3]), line }
    const rtt = RTT.exec(line)
    if (rtt) output.rtt ??= { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]), line }
  }
  return output
}

/** Waits for the pinger to end by itself within `ms` of its first ping; says what it was doing
 * if it did not. */
export async function expectEnds(program: Program, pong: PongServer, ms: number, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const first = pong.pings[0]?.at ?? pong.startedAt
    if (await program.waitForExit(Math.max(0, ms - (performance.now() - first)))) {
      pong.endedAt = performance.now()
      return
    }
    const output = readOutput(program)
    const label = capitalize(program.label)
    const last = pong.pings.at(-1)
    const why = output.summary
      ? t('It printed its summary, then stayed: an open socket keeps a Node program alive. Call socket.close() once the last ping is done.')
      : last && pong.answeredAt(last.seq) === undefined
        ? t`It is still waiting for PONG ${last.seq}, which the grader never sent: wait at most TIMEOUT_MS for each reply (a setTimeout), then go on.`
        : undefined
    const sent = pong.pings.length
    fail(
      sent === 1
        ? t`${label} was still running ${seconds(ms)} after its first ping, having sent 1 ping.`
        : t`${label} was still running ${seconds(ms)} after its first ping, having sent ${sent} pings.`,
      printedLines(program),
      { why },
    )
  })
}

/**
 * The pinger printed one line for each of pings 1..expected.length, in order: a time where a
 * reply was expected, no smaller than the grader's own delay (minus 1 ms for rounding) and no
 * larger than `upper` allows, and `timeout` where none was. Returns how many replies it was
 * right to count (see raced()).
 */
export function expectResults(program: Program, pong: PongServer | undefined, expected: Array<'reply' | 'timeout'>, explain?: Explain & { upper?: (seq: number) => number }): number {
  let received = 0
  const output = readOutput(program)
  const label = capitalize(program.label)
  const shown = printedLines(program, 12)
  const fails = (message: string, why?: string) => fail(message, shown, { why: why ?? explain?.why, see: explain?.see })
  for (const [i, kind] of expected.entries()) {
    const seq = i + 1
    const lines = output.results.get(seq) ?? []
    const want = kind === 'reply' ? `seq=${seq} time=T ms` : `seq=${seq} timeout`
    if (lines.length === 0) fails(t`${label} printed no line seq=${seq} …; expected ${want}.`, t('Print one line for each ping: seq=n time=T ms when its reply came, seq=n timeout when none did.'))
    if (lines.length > 1) fails(t`${label} printed ${lines.length} lines for seq=${seq}; one line per ping.`, t('A reply that comes twice (UDP may duplicate a datagram) is still one reply: count the first, ignore the rest.'))
    const [result] = lines
    if (kind === 'timeout' && result !== 'timeout') {
      fails(t`${label} printed seq=${seq} time=${result} ms, but no reply to ping ${seq} came in time; expected seq=${seq} timeout.`, pong ? pongWhy(pong, seq) : t('Nothing listened: no reply could come.'))
    }
    if (kind === 'reply' && result === 'timeout' && pong && raced(pong, seq)) continue
    if (kind === 'reply') received++
    if (kind === 'reply' && result === 'timeout') {
      const at = pong?.answeredAt(seq)
      const ping = pong?.pings.find((p) => p.seq === seq)
      fails(
        at !== undefined && ping
          ? t`${label} printed seq=${seq} timeout, but the grader sent PONG ${seq}, ${Math.round(at - ping.at)} ms after PING ${seq} came (TIMEOUT_MS is ${pong?.timeoutMs} ms).`
          : t`${label} printed seq=${seq} timeout, but the grader sent PONG ${seq} (TIMEOUT_MS is ${pong?.timeoutMs} ms).`,
      )
    }
    if (kind === 'reply' && typeof result === 'number' && pong) expectTime(program, pong, seq, result, explain?.upper?.(seq), fails)
  }
  const extra = [...output.results.keys()].filter((seq) => seq > expected.length)
  if (extra.length > 0) fails(t`${label} printed a line for seq=${extra[0]}, but it was to send ${expected.length} pings.`)
  const sorted = output.order.every((seq, i) => i === 0 || seq > output.order[i - 1]!)
  if (!sorted) fails(t`${label} printed the seq lines out of order: ${output.order.map((s) => `seq=${s}`).join(', ')}.`)
  return received
}

/**
 * Whether a ping the grader answered may still have timed out in a correct pinger on a loaded
 * machine: the reply went out TIMEOUT_MS / 2 or more after the earliest moment the ping can
 * have left (the grader's loop heard it late, its timer ran late, or the pinger's first send
 * left long after its timer started). A reply sent well within the time, and ignored, is a bug.
 */
function raced(pong: PongServer, seq: number): boolean {
  const answered = pong.answeredAt(seq) ?? Infinity // its timer had not even fired
  const earliest = pong.earliestSend(seq)
  return earliest !== undefined && answered - earliest >= pong.timeoutMs / 2
}

/** How long the grader took, in all, to send the replies it sent: time the pinger waited on it. */
export function replyDelays(pong: PongServer): number {
  return pong.pings.reduce((sum, ping) => sum + Math.max(0, (pong.answeredAt(ping.seq) ?? ping.at) - ping.at), 0)
}

function expectTime(program: Program, pong: PongServer, seq: number, time: number, upper: number | undefined, fails: (message: string, why?: string) => never): void {
  const ping = pong.pings.find((p) => p.seq === seq)
  if (!ping) return
  const at = pong.answeredAt(seq)
  const label = capitalize(program.label)
  // Judged once the pinger has ended: a PONG not sent by then never reached it.
  const floor = at === undefined ? Infinity : at - ping.at
  if (time < floor - 1) {
    const before = pong.sentBetween(ping.at, at ?? pong.pings.find((p) => p.seq === seq + 1)?.at ?? Infinity)
    const taken = before.length > 0 ? t` Before it, it had been sent ${before.slice(0, 4).map((s) => t`${quoteBytes(s.bytes, 30)} (by the ${s.by})`).join(', ')}.` : ''
    const sent = at === undefined ? t`the grader had not sent PONG ${seq} at all while it ran` : t`the grader sent PONG ${seq} ${Math.round(floor)} ms after PING ${seq} came`
    fails(
      t`${label} printed seq=${seq} time=${time} ms, but ${sent}: no reply to ping ${seq} was back sooner.${taken}`,
      before.length > 0
        ? t`Only the datagram PONG ${seq}, from HOST and PORT, answers ping ${seq}: check the text and rinfo.address and rinfo.port, and ignore everything else.`
        : t('Take the time just before you send, and again when the reply comes: performance.now() gives milliseconds.'),
    )
  }
  if (upper !== undefined && time > upper) {
    fails(t`${label} printed seq=${seq} time=${time} ms, more than the ${Math.round(upper)} ms the whole exchange of ping ${seq} can have taken.`, t('The time is in milliseconds: performance.now() gives them directly; process.hrtime.bigint() gives nanoseconds (divide by 1e6).'))
  }
}

/** Why a ping the grader did not answer in time was taken as answered. */
function pongWhy(pong: PongServer, seq: number): string {
  const late = pong.answeredAt(seq) !== undefined
  return late
    ? t`PONG ${seq} came only after TIMEOUT_MS: by then ping ${seq} had timed out, and the late reply is ignored.`
    : t`No PONG ${seq} was ever sent. Whatever it took for it was another datagram: only PONG ${seq}, from HOST and PORT, answers ping ${seq}.`
}

/** The summary line, `S sent, R received, L% loss`, and the rtt line exactly when R > 0, its
 * numbers those of the printed times (within 1 ms, for rounding). */
export function expectSummary(program: Program, sent: number, received: number, explain?: Explain): void {
  const output = readOutput(program)
  const label = capitalize(program.label)
  const loss = Math.round((100 * (sent - received)) / sent)
  const want = `${sent} sent, ${received} received, ${loss}% loss`
  const shown = printedLines(program, 12)
  const fails = (message: string, why?: string) => fail(message, shown, { why: why ?? explain?.why, see: explain?.see })
  if (!output.summary) fails(t`${label} printed no summary line; expected ${want}.`)
  const { summary } = output
  if (summary!.sent !== sent || summary!.received !== received || summary!.loss !== loss) {
    const rounding = summary!.sent === sent && summary!.received === received
    fails(
      t`${label} printed the summary ${quoteBytes(summary!.line)}; expected ${want}.`,
      rounding
        ? t`The loss is rounded to a whole number: Math.round(100 * ${sent - received} / ${sent}) is ${loss}.`
        : t('Count each ping once: sent when it goes out, received when its own PONG comes in time. Duplicates, late replies and strangers count for nothing.'),
    )
  }
  const times = [...output.results.values()].map((lines) => lines[0]).filter((t): t is number => typeof t === 'number')
  if (received === 0) {
    if (output.rtt || program.stdout.lines.some((line) => /rtt/.test(line))) {
      fails(t`${label} printed an rtt line with no reply to take it from.`, t('With nothing received there is no min, avg or max (Math.min() of nothing is Infinity): print the rtt line only when R > 0.'))
    }
    return
  }
  if (!output.rtt) fails(t`${label} printed no line rtt min/avg/max = a/b/c ms.`)
  const { min, avg, max } = output.rtt!
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length
  const near = (a: number, b: number) => Math.abs(a - b) <= 1
  if (!near(min, Math.min(...times)) || !near(max, Math.max(...times)) || !near(avg, mean)) {
    fails(
      t`${label} printed ${quoteBytes(output.rtt!.line)}, but its times were ${times.join(', ')} ms: min ${Math.min(...times)}, avg ${Number(mean.toFixed(3))}, max ${Math.max(...times)}.`,
      t('Take min, avg and max over the round-trip times of the replies that came: Math.min(...times), the sum divided by times.length, Math.max(...times).'),
    )
  }
}

/** How the pinger ended: with `code`, and no stack trace. */
export async function expectExitCode(program: Program, code: number, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const status = await program.waitForExit(limits.waitMs)
    if (!status || program.stoppedBecause || status.code !== code) {
      fail(t`${capitalize(program.label)} ${program.describeExit()}; expected exit code ${code}.`, printedLines(program), {
        why: code === 0 ? t('Exit with code 0 when at least one reply came back: process.exitCode = received > 0 ? 0 : 1.') : t('Exit with code 1 when no reply came back: process.exitCode = received > 0 ? 0 : 1.'),
      })
    }
  })
}

/** The pinger sent PING 1 … PING `count`, one at a time, each once, and nothing else. */
export async function expectPings(program: Program, pong: PongServer, count: number, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    await pong.untilPings(program, count)
    const label = capitalize(program.label)
    if (pong.early) {
      const { seq, at, previous } = pong.early
      const when = t`PING ${seq} came ${Math.round(at - previous.at)} ms after PING ${previous.seq}, before the grader had sent PONG ${previous.seq}`
      // What it had been sent meanwhile is what it took for the reply; with nothing, it did not wait.
      const taken = pong.sentBetween(previous.at, at)
      if (taken.length > 0) {
        fail(t`${label} took another datagram for the reply to PING ${previous.seq}: ${when}. It had been sent ${taken.slice(0, 4).map((s) => t`${quoteBytes(s.bytes, 30)} (by the ${s.by})`).join(', ')}.`, [], {
          why: t`Only the datagram PONG ${previous.seq}, from HOST and PORT, answers ping ${previous.seq}: check the text, rinfo.address and rinfo.port, and ignore everything else.`,
        })
      }
      fail(t`${label} did not wait for the reply: ${when}, and long before its TIMEOUT_MS (${pong.timeoutMs} ms) was up.`, [], {
        why: 'One ping at a time: send PING n+1 only once PONG n has come, or TIMEOUT_MS has passed without it.',
      })
    }
    const seqs = pong.pings.map((ping) => ping.seq)
    if (seqs.join() !== Array.from({ length: count }, (_, i) => i + 1).join()) {
      const message = seqs.length === 0 ? t`${label} sent no ping; expected PING 1 to PING ${count}.` : t`${label} sent ${seqs.map((seq) => `PING ${seq}`).join(', ')}; expected PING 1 to PING ${count}.`
      fail(message, printedLines(program), {
        why: t`COUNT pings, from PING 1 to PING COUNT: COUNT comes from the environment, ${DEFAULT_COUNT} when it is not set.`,
      })
    }
    const odd = pong.odd[0]
    if (odd) {
      fail(t`${label} also sent ${quoteBytes(odd.bytes, 60)}.`, [], {
        why: 'Each ping goes once, as the datagram `PING n`: a reply that does not come is a timeout, not a reason to send the ping again.',
      })
    }
  })
}

/** Upper bounds for each ping's RTT: from the ping before it (or the start) to the ping after
 * it (or the end), plus slack. A time printed in microseconds is far beyond. */
export const spans = (pong: PongServer) => (seq: number) => {
  const before = pong.pings[seq - 2]?.at ?? pong.startedAt
  const after = pong.pings[seq]?.at ?? pong.endedAt ?? performance.now()
  return after - before + 100
}

/**
 * A run judged whole: the pinger ends within `endsWithin` ms of its first ping, having sent
 * PING 1 … PING n one at a time; it prints a line for each ping as `expected` says, then the
 * summary, and exits with 0 when some reply came, 1 when none did.
 */
export async function expectRun(run: { program: Program; pong: PongServer }, expected: Array<'reply' | 'timeout'>, endsWithin: number, options: { upper?: boolean } = {}): Promise<void> {
  const { program, pong } = run
  await pong.expectFirstPing(program)
  await expectEnds(program, pong, endsWithin)
  await expectPings(program, pong, expected.length)
  const received = expectResults(program, pong, expected, options.upper ? { upper: spans(pong) } : undefined)
  expectSummary(program, expected.length, received)
  await expectExitCode(program, received > 0 ? 0 : 1)
  // The run is over: replies still held back have nobody to go to.
  pong.peer.close()
}
