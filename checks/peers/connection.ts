// One TCP connection between a peer of the grader and the learner's program, seen from the
// peer's side. The client peer and the server peer both hand these out. Every write and every
// byte received goes into the transcript; every wait ends with a verdict in plain words.

import type { Socket } from 'node:net'
import { caretDiff, quoteBytes, withoutCR } from '../text/bytes.ts'
import { explaining, fail, type Explain } from '../engine/failure.ts'
import { limits } from '../engine/limits.ts'
import type { Random } from '../engine/random.ts'
import type { Program } from '../run/program.ts'
import { socketsOf } from '../run/sockets.ts'
import { seconds, settled, sleep, waitFor, waitWhileMoving, whileMoving, type Subscribe } from '../engine/wait.ts'
import { size } from '../text/words.ts'
import { t } from '../text/lang.ts'
import { splitPoints, type FragmentOptions } from './fragments.ts'
import { Transcript } from './transcript.ts'

export type { FragmentOptions } from './fragments.ts'

// A sequence rather than a clock: two events in the same millisecond still have an order.
let uses = 0
/** A new mark in the sequence: what a peer records as its last use. */
export const nextUse = () => ++uses
/** Marks "now" for usedSince(). */
export const useMark = () => uses

export class Connection {
  readonly transcript: Transcript
  /** The program closed its sending side (we read its FIN). */
  ended = false
  /** The connection broke: reset by the program, or destroyed. */
  broken?: string
  /** The program reset it (ECONNRESET): what we had not read yet may be lost. */
  private resetByProgram = false
  private inbox: Buffer[] = []
  private listeners = new Set<() => void>()
  private lastUsed = nextUse()
  /** While set, received bytes go here instead of the inbox (large transfers). */
  private sink?: (chunk: Buffer) => void

  constructor(
    private readonly socket: Socket,
    readonly name: string,
    readonly program: Program,
    private readonly random: Random,
    origin: number,
  ) {
    this.transcript = new Transcript(name, program.label, origin)
    this.transcript.note(t`${name} connected`)
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => {
      this.transcript.programSent(chunk)
      if (this.sink) this.sink(chunk)
      else this.inbox.push(chunk)
      this.notify()
    })
    socket.on('end', () => {
      this.ended = true
      this.transcript.note(t`${program.label} closed its side of the connection`)
      this.notify()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // In the learner's terms: what the code means for this connection, not the code alone.
      this.resetByProgram ||= error.code === 'ECONNRESET'
      this.broken =
        error.code === 'ECONNRESET'
          ? t`${program.label} reset the connection`
          : error.code === 'EPIPE'
            ? t`${program.label} had already closed the connection when ${name} wrote (EPIPE)`
            : error.message
      this.transcript.note(this.broken)
      this.notify()
    })
    socket.on('close', () => {
      this.broken ??= t('the connection closed')
      this.notify()
    })
  }

  /** Whether a check did something with this connection after `mark` (from useMark()). */
  usedSince(mark: number): boolean {
    return this.lastUsed > mark
  }

  get lastUse(): number {
    return this.lastUsed
  }

  private use(): void {
    this.lastUsed = nextUse()
  }

  /** Bytes received and not yet read by a check. */
  get unread(): Buffer {
    if (this.inbox.length > 1) this.inbox = [Buffer.concat(this.inbox)]
    return this.inbox[0] ?? Buffer.alloc(0)
  }

  private take(length: number): Buffer {
    const all = this.unread
    this.inbox = length < all.length ? [all.subarray(length)] : []
    return all.subarray(0, length)
  }

  private watch: Subscribe = (wake) => {
    this.listeners.add(wake)
    return () => this.listeners.delete(wake)
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener()
  }

  private until(test: () => boolean, ms: number): Promise<boolean> {
    return waitFor(test, [this.watch, settled(this.program.exited)], ms)
  }

  send(data: string | Buffer): void {
    this.use()
    const bytes = Buffer.from(data)
    this.transcript.peerSent(bytes)
    this.socket.write(bytes)
  }

  /** Writes `data` in several writes with pauses between them, as a slow network would. */
  async sendInFragments(data: string | Buffer, options: FragmentOptions = {}): Promise<void> {
    const bytes = Buffer.from(data)
    const cuts =
      options.pieces === 'bytes'
        ? Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)
        : splitPoints(bytes, options.pieces ?? 4, options.splitInsideCharacter ?? false, this.random)
    await this.sendPieces(bytes, cuts, options.pauseMs ?? 20, options.beforeWrite)
  }

  /** Writes `data` cut at these offsets, `pauseMs` apart: each piece reaches the program as a
   * read of its own. Recorded as one send, in pieces. */
  async sendPieces(data: string | Buffer, cuts: number[], pauseMs: number, beforeWrite?: (start: number, end: number) => void): Promise<void> {
    this.use()
    const bytes = Buffer.from(data)
    const bounds = [0, ...cuts, bytes.length]
    const pieces = bounds.slice(1).map((end, i) => end - bounds[i]!)
    this.transcript.peerSent(bytes, pieces, pauseMs)
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) await sleep(pauseMs)
      if (this.socket.destroyed) return
      beforeWrite?.(bounds[i]!, bounds[i + 1]!)
      this.socket.write(bytes.subarray(bounds[i]!, bounds[i + 1]!))
    }
  }

  /** Bytes the program has sent on this connection so far (read or not). */
  get bytesReceived(): number {
    return this.socket.bytesRead
  }

  /** Bytes this peer has handed to the kernel, and those still waiting in its own buffer. */
  get bytesSent(): number {
    return this.socket.bytesWritten
  }

  get bytesQueued(): number {
    return this.socket.writableLength
  }

  /** Nothing more can be sent: closed, reset or destroyed. */
  get closed(): boolean {
    return this.socket.destroyed
  }

  /** Wakes a wait on every change: bytes arrived, the program closed, the connection broke. */
  readonly changes: Subscribe = (wake) => this.watch(wake)

  /** The next line's bytes, without its \n; fails in plain words if no whole line comes. */
  async readLine(ms = limits.waitMs): Promise<Buffer> {
    this.use()
    const lineEnd = () => this.unread.indexOf(10)
    await this.until(() => lineEnd() >= 0 || this.ended || this.broken !== undefined, ms)
    const end = lineEnd()
    if (end >= 0) return this.take(end + 1).subarray(0, end)
    const who = this.program.label
    const partial = this.unread
    if (partial.length > 0 && this.resetByProgram && !this.ended) {
      // Not a missing newline: a reset throws away what the peer had not read yet, so where
      // the bytes stop says nothing about the program's lines. The check's why applies.
      fail(t`${who} reset the connection in the middle of a line, after ${quoteBytes(partial)}.`)
    }
    if (partial.length > 0) {
      const sent = quoteBytes(partial)
      const quiet = seconds(ms)
      const message =
        this.ended || this.broken
          ? t`${who} sent ${sent} and then closed the connection, with no newline at the end.`
          : t`${who} sent ${sent} and nothing more for ${quiet}, with no newline at the end.`
      fail(message, [], {
        why: 'A line ends with "\\n". Without it the other side cannot know the message is complete.',
      })
    }
    if (this.broken) fail(t`${who} did not send a line to ${this.name}: ${this.broken}.`)
    if (this.ended) fail(t`${who} closed the connection to ${this.name} without sending a line.`)
    fail(t`${who} sent nothing to ${this.name} for ${seconds(ms)}.`)
  }

  /** Reads one line and compares it byte for byte with `expected` (a trailing \r is allowed).
   * A line that differs is shown as it came, \r and all, as the exchange above shows it. */
  async expectLine(expected: string, explain?: Explain): Promise<void> {
    await explaining(explain, async () => {
      const line = await this.readLine()
      if (!withoutCR(line).equals(Buffer.from(expected))) {
        fail(t`${this.program.label} sent a different line from the one expected.`, caretDiff(expected + '\n', Buffer.concat([line, Buffer.from('\n')])))
      }
    })
  }

  /** Reads one line and compares every byte of it, its \n included, with `expected`: for an
   * echo, where spaces, a tab and a \r are the sender's and must come back as they went. */
  async expectExactLine(expected: string | Buffer, explain?: Explain): Promise<void> {
    await explaining(explain, async () => {
      const want = Buffer.from(expected)
      const line = Buffer.concat([await this.readLine(), Buffer.from('\n')])
      if (line.equals(want)) return
      const changed = howEchoChanged(want, line)
      const label = this.program.label
      const message = changed ? t`${label} sent back a different line from the one it was sent: ${changed}.` : t`${label} sent back a different line from the one it was sent.`
      fail(message, caretDiff(want, line), {
        // What the line lost is the lesson here, more than how the bytes arrived.
        ...(changed && { why: 'An echo sends back the very bytes it received, the line end included: no trimming, no case change, nothing added or dropped.' }),
      })
    })
  }

  /** What arrives until the program closes its side or `ms` pass, whichever comes first. */
  async drain(ms = limits.waitMs): Promise<Buffer> {
    this.use()
    await this.until(() => this.ended || this.broken !== undefined, ms)
    return this.take(this.unread.length)
  }

  /** Everything until the program closes its side. */
  async readToEnd(ms = limits.waitMs): Promise<Buffer> {
    const rest = await this.drain(ms)
    if (!this.ended && !this.broken) {
      const [label, quiet] = [this.program.label, seconds(ms)]
      fail(rest.length ? t`${label} kept the connection open: it sent ${quoteBytes(rest)} and then nothing for ${quiet}.` : t`${label} kept the connection open: nothing for ${quiet}.`)
    }
    return rest
  }

  /** The program closes its side, with nothing more sent first; then the peer hangs up too,
   * as a real client or server would. */
  async expectClosed(explain?: Explain): Promise<void> {
    await explaining(explain, async () => {
      const rest = await this.readToEnd()
      if (rest.length > 0) fail(t`${this.program.label} sent ${quoteBytes(rest)} more before closing.`)
      if (!this.ended) fail(t`${this.program.label} did not close the connection cleanly: ${this.broken}.`)
    })
    if (!this.socket.writableEnded) this.socket.end()
  }

  /** Bytes up to and including `delimiter` (an HTTP head ends at "\r\n\r\n"). */
  async readUntil(delimiter: string, ms = limits.waitMs): Promise<Buffer> {
    this.use()
    const mark = Buffer.from(delimiter)
    await this.until(() => this.unread.includes(mark) || this.ended || this.broken !== undefined, ms)
    const at = this.unread.indexOf(mark)
    if (at >= 0) return this.take(at + mark.length)
    const label = this.program.label
    const closed = this.ended || this.broken
    if (this.unread.length) {
      const [got, wanted, within] = [quoteBytes(this.unread), quoteBytes(mark), seconds(ms)]
      fail(closed ? t`${label} sent ${got}, but not ${wanted} before the connection closed.` : t`${label} sent ${got}, but not ${wanted} within ${within}.`)
    }
    fail(closed ? t`${label} sent nothing before the connection closed.` : t`${label} sent nothing within ${seconds(ms)}.`)
  }

  /**
   * Everything until the program closes its side, handed to `consume` as it arrives instead of
   * kept, so that 50 MB cost no more than what `consume` does with them. Fails once nothing has
   * arrived for `stallMs` and the close has not come: a slow transfer on a loaded machine is
   * no bug, a stopped one is.
   */
  async receiveInto(consume: (chunk: Buffer) => void, stallMs: number): Promise<{ bytes: number; ms: number }> {
    this.use()
    const started = Date.now()
    let bytes = 0
    this.sink = (chunk) => {
      bytes += chunk.length
      consume(chunk)
    }
    for (const chunk of this.inbox.splice(0)) this.sink(chunk)
    try {
      await waitWhileMoving(() => this.ended || this.broken !== undefined, [this.watch, settled(this.program.exited)], () => bytes, stallMs)
    } finally {
      this.sink = undefined
    }
    if (!this.ended && !this.broken) {
      fail(
        bytes === 0
          ? t`${this.program.label} sent nothing for ${seconds(stallMs)}, and did not close the connection.`
          : t`${this.program.label} sent ${size(bytes)}, then nothing for ${seconds(stallMs)}, and did not close the connection.`,
      )
    }
    return { bytes, ms: Date.now() - started }
  }

  /** Sends `data` in writes of `chunkSize` bytes, waiting whenever the socket's buffer is full;
   * with `stallMs`, fails once the program has taken in nothing for that long. */
  async sendAll(data: Buffer, chunkSize: number, stallMs?: number): Promise<void> {
    this.use()
    this.transcript.peerStreamed(data, data.length, t`sent in writes of ${chunkSize} bytes`)
    for (let offset = 0; offset < data.length && !this.socket.destroyed; offset += chunkSize) {
      if (!this.socket.write(data.subarray(offset, offset + chunkSize))) {
        const drained = new Promise<void>((resolve) => {
          const done = () => {
            this.socket.off('drain', done)
            this.socket.off('close', done)
            resolve()
          }
          this.socket.on('drain', done)
          this.socket.on('close', done)
        })
        // What the program has taken in: what left this peer, less what still waits here.
        if (stallMs !== undefined && !(await whileMoving(drained, () => this.bytesSent - this.bytesQueued, stallMs))) {
          fail(t`${this.program.label} stopped reading: it took in nothing for ${seconds(stallMs)}, after ${size(this.bytesSent - this.bytesQueued)}.`)
        }
        await drained
      }
    }
  }

  /**
   * Waits until the program has seen everything this peer did, as /proc shows (Linux), for at
   * most `ms`: it has accepted the connection and read every byte sent on it, and, once the
   * peer has closed its side, let go of the socket. A check can then be sure what the program
   * knows. Never fails: a program may rightly leave a socket unread for a while.
   */
  async readByProgram(ms = 1000): Promise<void> {
    const port = this.socket.localPort
    const done = () => {
      const sockets = socketsOf(this.program.pid)
      if (sockets === undefined) return true
      const mine = sockets.filter((s) => s.remotePort === port)
      return this.socket.writableEnded ? mine.length === 0 : mine.some((s) => s.state === 'connected' && s.unread === 0)
    }
    const deadline = Date.now() + ms
    while (!done() && Date.now() < deadline && this.program.running) await sleep(10)
  }

  /** Stop reading, as a slow client would: the program's writes back up. */
  pause(): void {
    this.socket.pause()
  }

  resume(): void {
    this.socket.resume()
  }

  /** Half-close: "I am done sending", while still reading. */
  end(): void {
    this.use()
    this.transcript.note(t`${this.name} closed its sending side`)
    this.socket.end()
  }

  /** Abort the connection with a TCP reset, as a crashed or unplugged machine would. Resolves
   * once the reset is on its way: the socket closes its handle asynchronously, and a check
   * that connects again at once must not overtake it. */
  async reset(): Promise<void> {
    this.use()
    // (Not the key the program's reset uses: a peer's name ends in a number, and Chinese then
    // wants a space before the verb.)
    this.transcript.note(`${this.name} ${t('reset the connection')}`)
    const closed = new Promise((resolve) => this.socket.once('close', resolve))
    this.socket.resetAndDestroy()
    await closed
  }

  destroy(): void {
    this.socket.destroy()
  }
}

/** How an echoed line differs from the one sent, when it is one of the usual ways. */
function howEchoChanged(sent: Buffer, echoed: Buffer): string | undefined {
  const want = sent.toString('utf8')
  const got = echoed.toString('utf8')
  const body = (text: string) => text.replace(/\r?\n$/, '')
  if (body(want).trim() === body(got) && body(want) !== body(got)) return t('the spaces or tabs at its ends are gone (trim()?)')
  if (body(want) === body(got)) return want.endsWith('\r\n') ? t('its line end changed from \\r\\n to \\n') : t('its line end changed')
  if (body(want).toLowerCase() === body(got).toLowerCase() || body(want).toUpperCase() === body(got).toUpperCase()) return t('the case of its letters changed')
  if (body(want).replaceAll('\r', '') === body(got)) return t('the \\r inside it is gone')
  return undefined
}
