// Checks as stories. An exercise's checks run in order against one start of the learner's
// program (a start costs ~0.2 s, the checks themselves a few ms), so a later check may go on
// with a connection an earlier one opened, like chapters. The first failed check ends the
// story: what follows is "not run", as rustlings stops at the first problem.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Exercise, Lesson } from '../../lessons/index.ts'
import { CheckFailure, explaining, fail, type Explain } from './failure.ts'
import type { ExerciseObserver } from './observe.ts'
import { limits } from './limits.ts'
import { Connection, useMark } from '../peers/connection.ts'
import { connectToServer } from '../peers/client.ts'
import { HttpPeer } from '../peers/http.ts'
import { answering, type Reply } from '../peers/routes.ts'
import { ServerPeer } from '../peers/server.ts'
import { createRandom, type Random } from './random.ts'
import type { CheckResult, FailureReport, OutputTail } from './results.ts'
import { freePort, loopbackHost } from '../run/ports.ts'
import { compileTypeScript, Program } from '../run/program.ts'
import { resolveSee } from './see.ts'
import { seconds, within } from './wait.ts'

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
  /** A path in the grader's own temp folder (removed after grading), holding `data` if given. */
  scratch(name: string, data?: string | Buffer): string
  /** A port nothing listens on. */
  freePort(): Promise<number>
  /** The loopback address of this grading: the HOST programs get, where the peers listen. */
  host: string
  /** Reproducible randomness: the run's seed decides it. */
  random: Random
}

type Story = (context: CheckContext) => Promise<void>

interface CheckSpec {
  name: string
  stretch: boolean
  story: Story
  /** Where the README explains what this check is about, for any failure without its own. */
  explain: Explain
}

export interface ExerciseChecks {
  build(): CheckSpec[]
}

export interface StoryBook {
  check(name: string, explain: Explain, story: Story): void
  /** ⭐ A check beyond the exercise's requirements: shown, but not needed to pass. */
  stretch(name: string, explain: Explain, story: Story): void
}

/** Declares an exercise's checks. `define` runs anew for every grading, so state it keeps in
 * its closure (a connection one check opens and the next one reads) belongs to one run. */
export function exercise(define: (book: StoryBook) => void): ExerciseChecks {
  return {
    build() {
      const checks: CheckSpec[] = []
      define({
        check: (name, explain, story) => checks.push({ name, stretch: false, story, explain }),
        stretch: (name, explain, story) => checks.push({ name, stretch: true, story, explain }),
      })
      return checks
    },
  }
}

const LABELS = { server: 'your server', client: 'your client', stdio: 'your program' } as const

export interface Target {
  lesson: Lesson
  exercise: Exercise
  file: string
  /** How to run it when it is not TypeScript. */
  command?: string
}

/** Everything one grading run makes: programs, peers, connections. Disposed as a whole. */
class World {
  readonly origin = Date.now()
  readonly programs: Program[] = []
  readonly connections: Connection[] = []
  readonly servers: Array<ServerPeer | HttpPeer> = []
  shared?: Program
  clients = 0
  private scratchDir?: string

  constructor(
    readonly target: Target,
    readonly random: Random,
    readonly host: string,
  ) {}

  context(): CheckContext {
    return {
      random: this.random,
      host: this.host,
      freePort: () => freePort(this.host),
      http: async (reply) => {
        const peer = await HttpPeer.listen(answering(reply), this.host)
        this.servers.push(peer)
        return peer
      },
      scratch: (name, data) => {
        this.scratchDir ??= mkdtempSync(join(tmpdir(), 'netlings-grader-'))
        const path = join(this.scratchDir, name)
        if (data !== undefined) writeFileSync(path, data)
        return path
      },
      start: (request) => this.start(request),
      connect: async (server) => {
        const socket = await connectToServer(server, server.options.host!, server.options.port!)
        return this.adopt(new Connection(socket, `test client ${++this.clients}`, server, this.random, this.origin))
      },
      listen: async () => {
        const peer = await ServerPeer.listen(this.host)
        this.servers.push(peer)
        return {
          host: peer.host,
          port: peer.port,
          accept: async (program) => this.adopt(new Connection(await peer.accept(program), 'test server', program, this.random, this.origin)),
        }
      },
    }
  }

  private adopt(connection: Connection): Connection {
    this.connections.push(connection)
    return connection
  }

  private async start(request: StartRequest = {}): Promise<Program> {
    const reuse = !request.fresh && !request.port && !request.to && !request.env && !request.files
    if (reuse && this.shared?.running) return this.shared
    const host = request.to?.host ?? this.host
    const port = request.to?.port ?? request.port ?? (await freePort(host))
    const javascript = this.target.command ? undefined : await compileTypeScript(this.target.file)
    const program = new Program({
      file: this.target.file,
      command: this.target.command,
      javascript,
      label: LABELS[this.target.exercise.kind],
      host,
      port,
      env: { HOST: host, PORT: String(port), ...request.env },
      files: request.files,
    })
    this.programs.push(program)
    if (reuse) this.shared = program
    return program
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
    return total
  }

  async dispose(): Promise<void> {
    for (const connection of this.connections) connection.destroy()
    for (const server of this.servers) server.close()
    await Promise.all(this.programs.map((program) => program.stop()))
    if (this.scratchDir) rmSync(this.scratchDir, { recursive: true, force: true })
  }
}

async function report(error: unknown, world: World, mark: number, program: Program | undefined): Promise<FailureReport> {
  if (!(error instanceof CheckFailure)) {
    const message = error instanceof Error ? error.message : String(error)
    return { message: `The grader itself failed: ${message}. This is a bug in netlings, not in your program.`, details: [] }
  }
  // A connection that broke is often the first sign of a crash; the exit itself may be a
  // moment behind, and a crash is what the learner needs to hear about first. (Where no
  // connection broke, or the program ended normally, its own message says more.)
  const broke = world.connections.some((c) => c.usedSince(mark) && (c.broken || c.ended))
  if (broke && program?.running) await program.waitForExit(100)
  const crashed = program !== undefined && !program.running && (program.exit?.code !== 0 || program.exit?.signal !== null)
  let message = error.message
  const details: string[] = []
  if (broke && crashed && !message.includes(program.describeExit())) {
    details.push(capitalize(message))
    message = `${program.label} ${program.describeExit()} during this check.`
  }
  // The connections this check used, the one it used last at the bottom, where the eye lands.
  const active = world.connections.filter((c) => c.usedSince(mark)).sort((a, b) => a.lastUse - b.lastUse)
  for (const connection of active.slice(-3)) {
    details.push(`The exchange with ${connection.name}:`, ...connection.transcript.render(active.length > 1 ? 8 : 14).map((l) => '  ' + l))
  }
  details.push(...error.details)
  return { message: capitalize(message), details, why: error.why, see: resolveSee(error.see, world.target.lesson) }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

function tailOf(program: Program): OutputTail {
  return {
    label: program.label,
    stdout: program.stdout.tail(10),
    stderr: program.stderr.tail(10),
    capped: program.stdout.capped || program.stderr.capped,
  }
}

export async function runStories(
  checks: ExerciseChecks,
  target: Target,
  seed: number,
  observer?: ExerciseObserver,
): Promise<{ checks: CheckResult[]; output?: OutputTail }> {
  // The host from a random of its own, so that it leaves the seed's test data as it was.
  const world = new World(target, createRandom(seed), loopbackHost(createRandom(seed ^ 0x10c41)))
  const results: CheckResult[] = []
  let output: OutputTail | undefined
  let stopped: string | undefined
  const specs = checks.build()
  const record = (result: CheckResult) => {
    results.push(result)
    if (result.status !== 'skip') observer?.checkEnded(result.status)
  }
  try {
    for (const [at, spec] of specs.entries()) {
      const base = { name: spec.name, stretch: spec.stretch }
      if (stopped) {
        record({ ...base, status: 'skip', durationMs: 0, skipped: stopped })
        continue
      }
      const started = Date.now()
      const mark = useMark()
      const before = world.bytesMoved()
      observer?.checkStarted({ ...base, index: at + 1, total: specs.length, bytes: () => world.bytesMoved() - before })
      try {
        await within(explaining(spec.explain, () => spec.story(world.context())), limits.checkMs, () => fail(`The check did not finish within ${seconds(limits.checkMs)}.`))
        record({ ...base, status: 'pass', durationMs: Date.now() - started })
      } catch (error) {
        const culprit = world.culprit(mark)
        const failure = await report(error, world, mark, culprit)
        world.retireShared()
        record({ ...base, status: 'fail', durationMs: Date.now() - started, failure })
        if (!output && culprit) output = tailOf(culprit)
        // A stretch check fails alone; a required one ends the story.
        if (!spec.stretch) stopped = 'an earlier check failed'
      }
    }
  } finally {
    await world.dispose()
  }
  return { checks: results, output }
}
