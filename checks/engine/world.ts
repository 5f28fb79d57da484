// Everything one grading run makes, and the context a check's story is told in: the learner's
// programs (started on demand, one shared by the story), the test peers, connections, scratch
// files. The story runner (story.ts) disposes of a world as a whole, whatever happened.

import { mkdtempSync, rmSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Exercise, Lesson } from '../../lessons/index.ts'
import { Connection } from '../peers/connection.ts'
import { connectToServer } from '../peers/client.ts'
import { HttpPeer } from '../peers/http.ts'
import { answering, type Reply } from '../peers/routes.ts'
import { ServerPeer } from '../peers/server.ts'
import { DatagramPeer } from '../peers/udp.ts'
import { type Random } from './random.ts'
import { freePort } from '../run/ports.ts'
import { compileTypeScript } from '../run/compile.ts'
import { Program } from '../run/program.ts'
import { t } from '../text/lang.ts'


export interface StartRequest {
  /** A program of its own for this check, not the one shared by the exercise. */
  fresh?: boolean
  /** Use this PORT instead of a free one (to start on a taken port, or where nothing listens). */
  port?: number
  /** Point a client at this test server. */
  to?: TestServer
  env?: Record<string, string>
  /** Files to put in the program's working folder first. */
  files?: Record<string, string | Buffer>
  /** As a learner starts it by hand: PORT given, no HOST, so its default applies (127.0.0.1).
   * A program of its own. */
  byHand?: boolean
  /** On a port a test server of the grader's already holds: a program of its own, whose
   * listen() must fail (EADDRINUSE). */
  takenPort?: boolean
}

export interface TestServer {
  host: string
  port: number
  /** The next connection the program makes to this server. */
  accept(program: Program): Promise<Connection>
}

export interface CheckContext {
  /** The learner's program: the one already running, or a new start of it. */
  start(request?: StartRequest): Promise<Program>
  /** A test client connected to a server program; the first one waits for it to listen. */
  connect(server: Program): Promise<Connection>
  /** A test server for a client program to connect to. */
  listen(): Promise<TestServer>
  /** An HTTP test server answering every request with `reply` (often `routes(…)`), recording
   * each request. */
  http(reply: Reply): Promise<HttpPeer>
  /** A path in the grader's own temp folder (removed after grading), holding `data` if given.
   * Written without blocking: the grader's one thread serves every grading beside this one. */
  scratch(name: string, data?: string | Buffer): Promise<string>
  /** A port nothing listens on. */
  freePort(): Promise<number>
  /** The loopback address of this grading: the HOST programs get, where the peers listen. */
  host: string
  /** The same context on IPv6's loopback: programs get HOST=::1 and the peers listen on ::1.
   * (A program shared by the story is never shared across the two.) */
  ipv6(): CheckContext
  /** A UDP socket of the grader's on this context's host (a test client, or the server a client
   * program talks to), at `port` or one the kernel picks; on `host` to stand on another
   * loopback address. Every datagram both ways goes into its transcript. */
  udp(name: string, options?: { port?: number; host?: string }): Promise<DatagramPeer>
  /** Reproducible randomness: the run's seed decides it. */
  random: Random
}


/** IPv6's loopback address, the one a ⭐ check of every lesson grades on. */
export const IPV6_LOOPBACK = '::1'

/** A start made early (World.startEarly): start({ byHand: true }), start({ takenPort: true }),
 * or start() on IPv6. */
export type Early = 'by-hand' | 'taken-port' | 'ipv6'

/** A request that asks for nothing of its own: no fresh start, port, address, environment or
 * files. Only such a start can be shared, or made early. */
const plain = (request: StartRequest) => !request.fresh && !request.port && !request.to && !request.env && !request.files

/** Which early start a request is, if any: byHand or takenPort alone, or nothing at all on
 * IPv6's loopback. */
function earlyKind(request: StartRequest, worldHost: string): Early | undefined {
  if (!plain(request)) return undefined
  if (request.byHand) return request.takenPort ? undefined : 'by-hand'
  if (request.takenPort) return 'taken-port'
  return worldHost === IPV6_LOOPBACK ? 'ipv6' : undefined
}

/** Where the lessons' programs go when HOST is not given: their default. */
const BY_HAND_HOST = '127.0.0.1'

/** How messages name the learner's program, in the language of the run. */
const labelOf = (kind: Exercise['kind']): string => (kind === 'server' ? t('your server') : kind === 'client' ? t('your client') : t('your program'))

export interface Target {
  lesson: Lesson
  exercise: Exercise
  file: string
  /** How to run it when it is not TypeScript. */
  command?: string
}

/** Everything one grading run makes: programs, peers, connections. Disposed as a whole. */
export class World {
  readonly origin = Date.now()
  readonly programs: Program[] = []
  readonly connections: Connection[] = []
  readonly servers: Array<ServerPeer | HttpPeer> = []
  readonly datagramPeers: DatagramPeer[] = []
  shared?: Program
  /** Every program started, those started early for a check that never came included. */
  private readonly launched: Program[] = []
  private readonly early = new Map<Early, Promise<Program>>()
  private readonly launching = new Set<Promise<void>>()
  clients = 0
  private scratchDir?: string

  constructor(
    readonly target: Target,
    readonly random: Random,
    readonly host: string,
  ) {}

  context(host = this.host): CheckContext {
    return {
      random: this.random,
      host,
      ipv6: () => this.context(IPV6_LOOPBACK),
      udp: async (name, options = {}) => {
        const peer = await DatagramPeer.bind(options.host ?? host, name, options.port)
        this.datagramPeers.push(peer)
        return peer
      },
      freePort: () => freePort(host),
      http: async (reply) => {
        const peer = await HttpPeer.listen(answering(reply), host)
        this.servers.push(peer)
        return peer
      },
      scratch: async (name, data) => {
        this.scratchDir ??= mkdtempSync(join(tmpdir(), 'netlings-grader-'))
        const path = join(this.scratchDir, name)
        if (data !== undefined) await writeFile(path, data)
        return path
      },
      start: (request) => this.start(request, host),
      connect: async (server) => {
        const socket = await connectToServer(server, server.options.host!, server.options.port!)
        return this.adopt(new Connection(socket, t`test client ${++this.clients}`, server, this.random, this.origin))
      },
      listen: async () => {
        const peer = await ServerPeer.listen(host)
        this.servers.push(peer)
        return {
          host: peer.host,
          port: peer.port,
          accept: async (program) => this.adopt(new Connection(await peer.accept(program), t('test server'), program, this.random, this.origin)),
        }
      },
    }
  }

  private adopt(connection: Connection): Connection {
    this.connections.push(connection)
    return connection
  }

  private async start(request: StartRequest = {}, worldHost = this.host): Promise<Program> {
    const reuse = plain(request) && !request.byHand && !request.takenPort && worldHost === this.host
    if (reuse && this.shared?.running) return this.shared
    const kind = reuse ? undefined : earlyKind(request, worldHost)
    const warm = kind && this.early.get(kind)
    if (warm) this.early.delete(kind)
    const program = await (warm || this.launch(request, worldHost))
    this.programs.push(program)
    if (reuse) this.shared = program
    return program
  }

  /** Starts a program, and keeps the start in `launching` until its Program exists, so that
   * dispose() stops it even when nothing waits for it any more (an early start nobody asked
   * for, a check given up on in the middle of a start). */
  private launch(request: StartRequest, worldHost: string): Promise<Program> {
    const launching = this.create(request, worldHost)
    const settled = launching.then(() => {}, () => {})
    this.launching.add(settled)
    void settled.then(() => this.launching.delete(settled))
    return launching
  }

  private async create(request: StartRequest, worldHost: string): Promise<Program> {
    const host = request.byHand ? BY_HAND_HOST : (request.to?.host ?? worldHost)
    const port = request.takenPort ? await this.squat(host) : (request.to?.port ?? request.port ?? (await freePort(host)))
    const javascript = this.target.command ? undefined : (await compileTypeScript(this.target.file)).javascript
    const program = new Program({
      file: this.target.file,
      command: this.target.command,
      javascript,
      label: labelOf(this.target.exercise.kind),
      host,
      port,
      env: { ...(!request.byHand && { HOST: host }), PORT: String(port), ...request.env },
      files: request.files,
    })
    this.launched.push(program)
    await program.started // sandboxed (--isolate), it starts a few milliseconds later
    return program
  }

  /** A test server that holds a port on `host` and accepts nobody: the port is taken. */
  private async squat(host: string): Promise<number> {
    const peer = await ServerPeer.listen(host)
    this.servers.push(peer)
    return peer.port
  }

  /**
   * Starts now a program a later check will ask for (`kind`), so that it boots while the checks
   * before that one run: a start is most of such a check's time. Only for a server, which
   * does nothing until a peer comes; the check then finds it as a fresh start would be, and
   * it is counted as started from then on (culprit() looks no further than the checks' own).
   */
  startEarly(kind: Early): void {
    if (this.early.has(kind)) return
    const request: StartRequest = kind === 'by-hand' ? { byHand: true } : kind === 'taken-port' ? { takenPort: true } : {}
    const started = this.launch(request, kind === 'ipv6' ? IPV6_LOOPBACK : this.host)
    started.catch(() => {}) // the check that asks for it is told, as for any start
    this.early.set(kind, started)
  }

  /** After a failed check the shared program may be in any state: the next check gets a new one. */
  retireShared(): void {
    this.shared = undefined
  }

  /** The program a failure is about: the one behind the connection the check used last, or
   * else the last one started. */
  culprit(mark: number): Program | undefined {
    const used = this.connections.filter((c) => c.usedSince(mark)).sort((a, b) => a.lastUse - b.lastUse)
    return used.at(-1)?.program ?? this.programs.at(-1)
  }

  /** Bytes that crossed the peers' sockets, both ways, so far. */
  bytesMoved(): number {
    let total = 0
    for (const connection of this.connections) total += connection.bytesReceived + connection.bytesSent
    for (const server of this.servers) if (server instanceof HttpPeer) total += server.bytesMoved()
    for (const peer of this.datagramPeers) total += peer.bytesMoved
    return total
  }

  async dispose(): Promise<void> {
    // A start still under way first: it may yet add a program, or a test server holding a port.
    await Promise.all(this.launching)
    for (const connection of this.connections) connection.destroy()
    for (const server of this.servers) server.close()
    for (const peer of this.datagramPeers) peer.close()
    await Promise.all(this.launched.map((program) => program.stop()))
    if (this.scratchDir) rmSync(this.scratchDir, { recursive: true, force: true })
  }
}

