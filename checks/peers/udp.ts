// A UDP socket of the grader's: a test client of a UDP server program, or the server a UDP
// client program talks to. There is no connection: each datagram is a message of its own, with
// the address it came from, and each one, both ways, goes into the peer's transcript, so a
// failure shows the exchange datagram by datagram, with the time each one crossed.

import { createSocket, type Socket } from 'node:dgram'
import { performance } from 'node:perf_hooks'
import { fail } from '../engine/failure.ts'
import { limits } from '../engine/limits.ts'
import { seconds, settled, sleep, waitFor, type Subscribe } from '../engine/wait.ts'
import { diagnoseEarlyExit } from '../run/diagnose.ts'
import type { Program } from '../run/program.ts'
import { datagramSocketsOf, hostPort, isAllInterfaces } from '../run/sockets.ts'
import { quoteBytes } from '../text/bytes.ts'
import { t } from '../text/lang.ts'
import { capitalize } from '../text/words.ts'
import { nextUse, useMark } from './connection.ts'

export interface Address {
  address: string
  port: number
}

export interface Datagram extends Address {
  bytes: Buffer
  /** performance.now() when the peer's handler saw it. */
  at: number
}

type Entry = ({ kind: 'in' | 'out'; bytes: Buffer; other: Address } | { kind: 'note'; text: string }) & {
  at: number
  /** useMark() when it happened: a failure shows what its own check saw. */
  mark?: number
}

const KEPT_ENTRIES = 2000
const socketType = (host: string) => (host.includes(':') ? 'udp6' : 'udp4') as 'udp6' | 'udp4'
const same = (a: Address, b: Address) => a.port === b.port && a.address === b.address

export class DatagramPeer {
  /** Every datagram that came in, in order. */
  readonly received: Datagram[] = []
  bytesMoved = 0
  private taken = 0
  private readonly entries: Entry[] = []
  private readonly names: Array<Address & { name: string }> = []
  private readonly listeners = new Set<() => void>()
  private handler?: (datagram: Datagram) => void
  /** When a check last sent, waited or served with this peer: a mark of useMark()'s sequence. */
  lastUse = nextUse()
  private closed = false

  private constructor(
    private readonly socket: Socket,
    /** "test client 1", "pong server". */
    readonly name: string,
    readonly host: string,
    readonly port: number,
  ) {
    socket.on('message', (bytes, from) => {
      const datagram = { bytes, address: from.address, port: from.port, at: performance.now() }
      this.bytesMoved += bytes.length
      this.received.push(datagram)
      this.record({ kind: 'in', bytes, other: from, at: datagram.at })
      this.handler?.(datagram)
      for (const listener of [...this.listeners]) listener()
    })
    // ICMP "port unreachable" for a datagram sent where nothing is bound: a note, not a crash.
    socket.on('error', (error) => this.note(t`${name}'s socket: ${error.message}`))
  }

  /** A socket bound on `host` (udp6 for an IPv6 address), at `port` or one the kernel picks. */
  static bind(host: string, name: string, port = 0): Promise<DatagramPeer> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: socketType(host) })
      socket.once('error', reject)
      socket.bind(port, host, () => {
        socket.off('error', reject)
        // Replies to a burst of requests must not overflow the grader's own buffer.
        try {
          socket.setRecvBufferSize(1 << 20)
        } catch {
          // The system's limit applies; pacing keeps the checks within it anyway.
        }
        resolve(new DatagramPeer(socket, name, host, socket.address().port))
      })
    })
  }

  get address(): Address {
    return { address: this.host, port: this.port }
  }

  /** Names an address in the transcript: "your server" rather than 127.4.5.6:20001. */
  know(address: Address, name: string): void {
    if (!this.names.some((known) => same(known, address))) this.names.push({ ...address, name })
  }

  nameOf(address: Address): string {
    return this.names.find((known) => same(known, address))?.name ?? hostPort(address.address, address.port)
  }

  /** Sends one datagram; resolves once it is on its way. */
  send(data: string | Buffer, to: Address): Promise<void> {
    this.lastUse = nextUse()
    const bytes = Buffer.from(data)
    this.bytesMoved += bytes.length
    this.record({ kind: 'out', bytes, other: to, at: performance.now() })
    return new Promise((resolve) => {
      if (this.closed) return resolve()
      this.socket.send(bytes, to.port, to.address, (error) => {
        if (error) this.note(t`sending failed: ${error.message}`)
        resolve()
      })
    })
  }

  note(text: string): void {
    this.record({ kind: 'note', text, at: performance.now() })
  }

  /** Hands every datagram from now on to `handler` as it arrives: a server that answers. They
   * are still kept in `received`, and taken by next() as well. */
  serve(handler: (datagram: Datagram) => void): void {
    this.lastUse = nextUse()
    this.handler = handler
  }

  /** Wakes a wait on every datagram that arrives. */
  readonly changes: Subscribe = (wake) => {
    this.listeners.add(wake)
    return () => this.listeners.delete(wake)
  }

  /** The next datagram not taken yet, or undefined after `ms` (or when `program` ends). */
  async next(ms = limits.waitMs, program?: Program): Promise<Datagram | undefined> {
    this.lastUse = nextUse()
    const sources = program ? [this.changes, settled(program.exited)] : [this.changes]
    await waitFor(() => this.received.length > this.taken || (program !== undefined && !program.running), sources, ms)
    return this.received.length > this.taken ? this.received[this.taken++] : undefined
  }

  /** Datagrams that came in and no next() has taken. */
  get untaken(): Datagram[] {
    return this.received.slice(this.taken)
  }

  /** Marks every datagram so far as taken. */
  skip(): void {
    this.taken = this.received.length
  }

  usedSince(mark: number): boolean {
    return this.lastUse > mark
  }

  private record(entry: Entry): void {
    entry.mark = useMark()
    if (this.entries.length === KEPT_ENTRIES) this.entries.splice(0, KEPT_ENTRIES / 2, { kind: 'note', text: t('earlier datagrams left out'), at: entry.at })
    this.entries.push(entry)
  }

  /** The exchange after `mark` (useMark()), a datagram a line, with the time since the first one. */
  render(maxLines = 14, mark = -1): string[] {
    const entries = this.entries.filter((entry) => entry.mark! > mark)
    const start = entries[0]?.at ?? 0
    const lines = entries.map((entry) => {
      const when = `${String(Math.round(entry.at - start)).padStart(5)} ms`
      if (entry.kind === 'note') return `${when}  ${t`(${entry.text})`}`
      const [from, to] = entry.kind === 'out' ? [this.name, this.nameOf(entry.other)] : [this.nameOf(entry.other), this.name]
      return `${when}  ${from} → ${to}: ${quoteBytes(entry.bytes, 60)}`
    })
    if (lines.length <= maxLines) return lines
    return [t`… ${lines.length - maxLines + 1} earlier lines …`, ...lines.slice(-(maxLines - 1))]
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.socket.close()
  }
}

/** A UDP port nothing is bound to on `host`, below the range the kernel picks ports from, so
 * that no peer's own socket takes it meanwhile. */
export async function freeDatagramPort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12768)
    const free = await new Promise<boolean>((resolve) => {
      const probe = createSocket({ type: socketType(host) })
      probe.once('error', () => (probe.close(), resolve(false)))
      probe.bind(port, host, () => probe.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error(`no free UDP port found on ${host}`)
}

/**
 * Waits until the program's server has a UDP socket bound on host:port, as /proc shows
 * (there is nothing to connect to, and a datagram sent before the bind is lost without a
 * word); explains why it never was. Where /proc cannot tell, waits for the program to settle.
 */
export async function untilBound(program: Program, host: string, port: number, ms = limits.startMs): Promise<void> {
  const deadline = Date.now() + ms
  const label = capitalize(program.label)
  let elsewhere: string | undefined
  for (let delay = 5; ; delay = Math.min(delay * 1.5, 25)) {
    const sockets = datagramSocketsOf(program.pid)
    if (sockets === undefined) {
      await program.quiet()
      return
    }
    const mine = sockets.find((socket) => socket.port === port && (socket.address === host || isAllInterfaces(socket.address)))
    if (mine) {
      program.reached = true
      return
    }
    if (!program.running) {
      await program.endedAfterAll(100)
      fail(t`${label} ${program.describeExit()} before it bound a UDP socket to ${hostPort(host, port)}.`, [], { why: diagnoseEarlyExit(program, port) })
    }
    // Seen twice, so that a socket on its way to the right place is not blamed.
    const wrong = sockets.find((socket) => socket.state === 'bound' && socket.port !== 0)
    const where = wrong && hostPort(wrong.address, wrong.port)
    if (wrong && where === elsewhere) {
      fail(
        wrong.port !== port
          ? t`${label} bound its UDP socket to ${where}, but the grader gave it PORT=${port}.`
          : t`${label} bound its UDP socket to ${where}, but the grader gave it HOST=${host}.`,
        [],
        { why: `Read both from the environment and pass them to bind(): socket.bind(PORT, HOST).` },
      )
    }
    elsewhere = where
    if (Date.now() > deadline) {
      const [wanted, quiet] = [hostPort(host, port), seconds(ms)]
      const message =
        sockets.length === 0
          ? t`Nothing was bound to ${wanted} (UDP) for ${quiet}, though ${program.label} is still running. It has no UDP socket at all.`
          : t`Nothing was bound to ${wanted} (UDP) for ${quiet}, though ${program.label} is still running.`
      fail(message, [], {
        why: "A UDP server calls bind(PORT, HOST) on a socket from dgram.createSocket(): until then, datagrams sent to it are lost.",
      })
    }
    await sleep(delay)
  }
}

/** The UDP socket a program holds that is bound to every interface, if it is (where /proc can tell). */
export function boundToEveryInterface(program: Program, port: number): string | undefined {
  const socket = datagramSocketsOf(program.pid)?.find((s) => s.port === port && isAllInterfaces(s.address))
  return socket && hostPort(socket.address, socket.port)
}

/** Where a client program's UDP socket is connected, if it connected one (where /proc can tell). */
export function connectedTo(program: Program): Address | undefined {
  const socket = datagramSocketsOf(program.pid)?.find((s) => s.state === 'connected')
  return socket && { address: socket.remoteAddress, port: socket.remotePort }
}

/** Bytes the kernel holds for the program's UDP sockets that it has not read yet. */
export function unreadDatagramBytes(program: Program): number | undefined {
  const sockets = datagramSocketsOf(program.pid)
  return sockets?.reduce((sum, socket) => sum + socket.unread, 0)
}
