// Starting, watching and reaping one learner program. Nothing else in netlings spawns a
// learner's code. node:child_process rather than zx here: the runner needs a process group of
// its own per program, raw stdout bytes (a line is decoded only once it is whole) and stdin.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { limits } from '../engine/limits.ts'
import { inProject } from '../engine/paths.ts'
import { t } from '../text/lang.ts'
import { sleep, within } from '../engine/wait.ts'
import { processStat, untilQuiet } from './cpu.ts'
import { OutputLines } from './output.ts'
import { readRegularFile } from './regular-file.ts'
import { killEscaped, killEscapedNow, MARKER_VARIABLE, newMarker } from './escapes.ts'
import { filesNamedIn, innerPid, ProgramCgroup, sandboxCommand, sandboxed, sandboxInit } from './sandbox.ts'

export { OutputLines } from './output.ts'

const preload = pathToFileURL(inProject('checks/run/preload.mjs')).href
const SANDBOX_PRELOAD = '/netlings/preload.mjs'

/** An exception nothing caught, as the program's preload saw it (node programs only). */
export interface Crash {
  /** 'uncaughtException', or 'unhandledRejection' for a promise nobody awaited or caught. */
  origin: string
  name?: string
  message: string
  /** Node's error code: ECONNRESET, EADDRINUSE, ERR_INVALID_ARG_TYPE … */
  code?: string
  /** Source-mapped, with the learner's paths. */
  stack?: string
}

export interface ExitStatus {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface StartOptions {
  /** The learner's source file. */
  file: string
  env: Record<string, string>
  /** How messages name it: "your server". */
  label: string
  /** Where a server listens or a client connects: also passed as HOST and PORT. */
  host?: string
  port?: number
  /** Files to put in the program's working folder before it starts (an OUT that exists). */
  files?: Record<string, string | Buffer>
  /** How to run a program that is not TypeScript: `python3 {file}`. */
  command?: string
  /** The TypeScript file compiled (compileTypeScript), to run in plain node. */
  javascript?: string
}

/** bwrap passes a death by signal on as 128 + the signal's number. */
function sandboxExit(code: number | null, signal: NodeJS.Signals | null): ExitStatus {
  const name = code !== null && code > 128 ? Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0] : undefined
  return name ? { code: null, signal: name as NodeJS.Signals } : { code, signal }
}

/** A command template with {file} filled in, quoted for the shell. */
const fillCommand = (template: string, file: string) => template.replaceAll('{file}', `'${file.replaceAll("'", `'\\''`)}'`)

const live = new Set<Program>()

export class Program {
  readonly stdout: OutputLines
  readonly stderr: OutputLines
  readonly exited: Promise<ExitStatus>
  exit?: ExitStatus
  /** A peer has connected to it at least once (so it did listen). */
  reached = false
  /** Why the grader stopped it early: flooding output. */
  stoppedBecause?: string
  readonly startedAt = Date.now()
  /** Resolves once the program itself runs: at once, or inside a sandbox once bwrap has started
   * it, a few milliseconds on, so that a check that looks for it in /proc at once (a UDP
   * server's bind) finds it. */
  readonly started: Promise<void>
  /** In its environment as NETLINGS_RUN, inherited by every process it starts (escapes.ts). */
  readonly marker = newMarker()
  /** The program's working folder: where a relative OUT lands. */
  readonly workDir: string
  private readonly child: ChildProcess
  private readonly tempDir: string
  private readonly rewrite: (line: string) => string
  /** Under --isolate: the program's cgroups, and its own pid once found inside the sandbox. */
  private readonly cgroup?: ProgramCgroup
  private sandboxPid?: number
  /** The crash record once read: null when there is none. */
  private crashRecord?: Crash | null

  constructor(readonly options: StartOptions) {
    // The program runs from a copy in a package of its own ("type": "module"), so a file
    // graded from outside the project keeps ESM semantics, and cwd is an empty folder, so
    // whatever it writes lands there and not in the learner's lesson folder.
    if (options.command === undefined && options.javascript === undefined) throw new Error(`${options.file}: neither a command nor compiled JavaScript to run`)
    this.tempDir = mkdtempSync(join(tmpdir(), 'netlings-'))
    const srcDir = join(this.tempDir, 'src')
    const workDir = join(this.tempDir, 'work')
    this.workDir = workDir
    mkdirSync(srcDir)
    mkdirSync(workDir)
    for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(workDir, name), content)
    const copy = join(srcDir, basename(options.file))
    writeFileSync(copy, readRegularFile(options.file))
    // server.ts.mjs beside server.ts: its source map names server.ts, and so do the messages.
    const compiledCopy = `${copy}.mjs`
    if (options.javascript !== undefined) writeFileSync(compiledCopy, options.javascript)
    // No node_modules beside it: the lessons' programs use Node's built-ins only, and a link
    // to the project's was a road to solutions/ (tsx's tsImport of the reference solution).
    writeFileSync(join(srcDir, 'package.json'), '{ "type": "module" }\n')

    // Error messages should name the learner's file, not the temporary copy.
    const originalDir = dirname(options.file)
    const rewrite = (this.rewrite = (line: string) =>
      line
        .replaceAll(compiledCopy, copy)
        .replaceAll(pathToFileURL(srcDir).href, pathToFileURL(originalDir).href)
        .replaceAll(srcDir, originalDir))
    const onCap = () => {
      this.stoppedBecause ??= t`printed more than ${limits.outputCapBytes / 1024} KiB`
      this.kill('SIGKILL')
    }
    this.stdout = new OutputLines(rewrite, onCap)
    this.stderr = new OutputLines(rewrite, onCap)

    const env = {
      ...process.env,
      ...options.env,
      NETLINGS_PROGRAM: '1',
      NETLINGS_GRADER_PID: String(process.pid),
      NETLINGS_CRASH_FILE: this.crashFile,
      NETLINGS_ALIVE_FILE: this.aliveFile,
      [MARKER_VARIABLE]: this.marker,
    } as Record<string, string>
    delete env.NODE_OPTIONS // the grader's own loaders (vitest, a debugger) are not the learner's
    // TypeScript runs in node, compiled (a file that does not compile is never started);
    // anything else through its command, exec'd by the shell so that the program itself leads
    // the process group. (Only node programs get the preload, and so the orphan guard and the
    // crash record; the grader still reaps every group it started.)
    let [executable, args] = options.command
      ? ['/bin/sh', ['-c', `exec ${fillCommand(options.command, copy)}`]]
      : [process.execPath, ['--enable-source-maps', '--import', preload, compiledCopy]]
    if (sandboxed()) {
      // Only the exercise's variables and the preload's files, never the teacher's environment;
      // and no grader pid: the program cannot see the grader, and bwrap ends it if the grader dies.
      const inside = { ...options.env, NETLINGS_PROGRAM: '1', NETLINGS_CRASH_FILE: this.crashFile, NETLINGS_ALIVE_FILE: this.aliveFile }
      // The project's tests tag their programs, to find any left running.
      if (process.env.NETLINGS_TAG) Object.assign(inside, { NETLINGS_TAG: process.env.NETLINGS_TAG })
      // The preload at a path that names no project.
      const command = sandboxCommand({
        command: [executable, ...args.map((arg) => (arg === preload ? pathToFileURL(SANDBOX_PRELOAD).href : arg))],
        env: inside,
        // The temp folder holds the work folder, the crash record and the alive answer.
        writable: [this.tempDir],
        readOnly: [[srcDir, srcDir], [fileURLToPath(preload), SANDBOX_PRELOAD], ...filesNamedIn(options.env).map((file) => [file, file] as [string, string])],
        cwd: workDir,
      })
      // A shell moves itself into the program's cgroups, then becomes bwrap.
      this.cgroup = new ProgramCgroup(basename(this.tempDir))
      ;[executable, args] = ['/bin/sh', ['-c', `${this.cgroup.enter} exec "$@"`, 'sandbox', ...command]]
    }
    this.child = spawn(executable, args, {
      cwd: workDir,
      // bwrap itself is the sandbox's pid 1, whose environment the program can read.
      env: this.cgroup ? { PATH: '/usr/bin:/bin' } : env,
      detached: true, // a process group of its own, so the whole group can be killed
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    live.add(this)
    this.started = this.cgroup ? this.sandboxStarted() : Promise.resolve()
    this.child.stdin!.on('error', () => {}) // writing to a program that has exited is not our crash
    this.child.stdout!.on('data', (chunk: Buffer) => this.stdout.push(chunk))
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk))
    // A stream is done when its last byte has been delivered ('end'), or it was destroyed.
    const done = (stream: NodeJS.ReadableStream) => new Promise<void>((resolve) => (stream.once('end', resolve), stream.once('close', resolve)))
    const streamsDone = Promise.all([done(this.child.stdout!), done(this.child.stderr!)])
    this.exited = new Promise<ExitStatus>((resolve) => {
      this.child.once('exit', (code, signal) => {
        const status = this.statusOf(code, signal)
        void this.drain(streamsDone).then(() => {
          this.stdout.end()
          this.stderr.end()
          this.exit = status
          resolve(status)
        })
      })
      this.child.once('error', (error) => {
        this.stderr.push(Buffer.from(`${t`could not start: ${error.message}`}\n`))
        this.stdout.end()
        this.stderr.end()
        this.exit = { code: null, signal: null }
        resolve(this.exit)
      })
    })
  }

  /**
   * After the exit, until both streams have delivered their last byte. Linux closes a dying
   * process's files before its parent can reap it, so all the program wrote already waits in
   * the sockets, followed by the end of file, unless a process it started still holds them.
   * But the grader may hear of the exit before it has read that output (libuv reaps every
   * exited child at any SIGCHLD), and a loop kept busy past a timer runs the timer before it
   * polls: a timer alone must not end the output. So each wait ends with a poll (setImmediate
   * runs after the poll phase), and only a wait in which no byte arrived gives up: a grandchild
   * holding the pipes gets a moment, not forever; one that keeps printing, waitMs at most.
   * (scripts/overload-drain.ts forces the race: 20 of 20 runs lost output before this.)
   */
  private async drain(streamsDone: Promise<unknown>): Promise<void> {
    let finished = false
    void streamsDone.then(() => (finished = true))
    const deadline = Date.now() + limits.waitMs
    let seen = -1
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve)) // whatever the sockets hold is read first
      const bytes = this.stdout.bytes + this.stderr.bytes
      if (finished || bytes === seen || Date.now() > deadline) return
      seen = bytes
      let timer: NodeJS.Timeout | undefined
      await Promise.race([streamsDone, new Promise((resolve) => (timer = setTimeout(resolve, 200).unref()))])
      clearTimeout(timer)
    }
  }

  private async sandboxStarted(): Promise<void> {
    const deadline = Date.now() + limits.startMs
    while (this.pid === undefined && this.running && Date.now() < deadline) await sleep(2)
  }

  private get crashFile(): string {
    return join(this.tempDir, 'crash.json')
  }

  private get aliveFile(): string {
    return join(this.tempDir, 'alive')
  }

  /**
   * Does its event loop turn? Asks a node program (its preload answers SIGUSR2 from the loop)
   * and waits up to `ms` for the answer. Undefined for a program that cannot be asked: another
   * language, or one that has ended.
   */
  async responds(ms: number): Promise<boolean | undefined> {
    if (this.options.command !== undefined || !this.running || this.pid === undefined) return undefined
    rmSync(this.aliveFile, { force: true })
    try {
      process.kill(this.pid, 'SIGUSR2')
    } catch {
      return undefined
    }
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
      await sleep(10)
      if (existsSync(this.aliveFile)) return true
    }
    return false
  }

  /** The exception that ended the program, if one did (and it is a node program): only once it
   * has exited, and not with code 0. */
  crash(): Crash | undefined {
    if (this.options.command !== undefined || !this.exit || this.exit.code === 0) return undefined
    // Read once: the program has ended, so the record cannot change any more.
    if (this.crashRecord === undefined) {
      try {
        const record = JSON.parse(readFileSync(this.crashFile, 'utf8')) as Crash
        const valid = typeof record.message === 'string' && typeof record.origin === 'string'
        this.crashRecord = valid ? { ...record, stack: typeof record.stack === 'string' ? this.rewrite(record.stack) : undefined } : null
      } catch {
        this.crashRecord = null
      }
    }
    return this.crashRecord ?? undefined
  }

  /** The program's pid, which also names its process group. Sandboxed, the program is bwrap's
   * grandchild (bwrap, then the namespace's init), found once it has started. */
  get pid(): number | undefined {
    if (!this.cgroup || this.child.pid === undefined) return this.child.pid
    this.sandboxPid ??= innerPid(this.child.pid)
    return this.sandboxPid
  }

  /** False from the moment the process ends (its output may still be draining; see `exited`). */
  get running(): boolean {
    return this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  get label(): string {
    return this.options.label
  }

  /** "exited with code 1", "was killed by SIGKILL". Right from Node's 'exit' event: `exit`
   * itself waits for the output to drain, and a check that sees the program gone in that
   * moment must not be told it "is still running". */
  describeExit(): string {
    const status = this.exit ?? (this.running ? undefined : this.statusOf(this.child.exitCode, this.child.signalCode))
    if (!status) return t('is still running')
    if (this.stoppedBecause) return t`was stopped by the grader: it ${this.stoppedBecause}`
    if (status.signal) return t`was killed by ${status.signal}`
    return t`exited with code ${status.code}`
  }

  private statusOf(code: number | null, signal: NodeJS.Signals | null): ExitStatus {
    return this.cgroup ? sandboxExit(code, signal) : { code, signal }
  }

  /** Waits until the program has done what it had to do for now (see untilQuiet). */
  async quiet(): Promise<boolean> {
    return this.running && (await untilQuiet(this.pid))
  }

  writeInput(text: string): void {
    this.child.stdin!.write(text)
  }

  endInput(): void {
    this.child.stdin!.end()
  }

  /** Waits for the exit, or gives up after `ms`; never throws. */
  async waitForExit(ms: number): Promise<ExitStatus | undefined> {
    return within(this.exited, ms, () => undefined)
  }

  /**
   * For a program that has just let go of its sockets: is it on its way out? A crashing
   * process closes its sockets before Node hears of its exit, and under load Node may hear of
   * it late; the learner needs to hear of the crash, not of a closed socket. Waits a moment,
   * and longer once the kernel shows the process dying (exiting, a zombie, or gone). True if it ended,
   * and then its exit status is known: `running` turns false at Node's 'exit' event, but
   * `exit` (what describeExit() tells) only once the output has drained.
   */
  async endedAfterAll(ms = 500): Promise<boolean> {
    if (this.exit === undefined) await this.waitForExit(ms)
    if (this.exit === undefined && this.deadInKernel()) await this.waitForExit(limits.waitMs)
    return this.exit !== undefined
  }

  private deadInKernel(): boolean {
    if (process.platform !== 'linux' || this.pid === undefined) return false
    const stat = processStat(this.pid)
    return stat === undefined || stat.state === 'Z' || stat.exiting
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return
    // Sandboxed, a signal goes to the program's own group, as it would outside. SIGKILL also
    // ends the namespace's init, and with it every process inside (setsid and detached ones
    // too), and bwrap.
    const targets = !this.cgroup
      ? [-this.child.pid]
      : [this.pid === undefined ? undefined : -this.pid, ...(signal === 'SIGKILL' || this.pid === undefined ? [sandboxInit(this.child.pid), -this.child.pid] : [])]
    for (const target of targets) {
      if (target === undefined) continue
      try {
        process.kill(target, signal)
      } catch {
        // The group is already gone.
      }
    }
  }

  /** SIGTERM to the whole group, SIGKILL after a short grace, then the temp dir goes. */
  async stop(): Promise<void> {
    if (this.running) {
      this.kill('SIGTERM')
      await this.waitForExit(limits.graceMs)
    }
    // Even after the leader exits, a child it spawned may live on in the group.
    this.kill('SIGKILL')
    await this.waitForExit(limits.graceMs * 3)
    // …and one that left the group (detached, setsid) is found by the marker it inherited.
    // (In a sandbox none can: the end of its PID namespace ended them all.)
    if (!this.cgroup) await killEscaped(this.marker)
    this.child.stdin!.destroy()
    this.child.stdout!.destroy()
    this.child.stderr!.destroy()
    this.removeFiles()
    live.delete(this)
    // A cgroup can be removed once the kernel has let go of the last process in it: asked
    // again in the background, so that no verdict waits for it.
    const cgroup = this.cgroup
    if (cgroup && !cgroup.remove()) void (async () => {
      for (let tries = 0; tries < 50 && !cgroup.remove(); tries++) await sleep(20)
    })()
  }

  removeFiles(): void {
    rmSync(this.tempDir, { recursive: true, force: true })
    this.cgroup?.remove()
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((program) => program.stop()))
}

/** For process 'exit', where nothing asynchronous runs any more. */
export function killAllNow(): void {
  for (const program of live) {
    program.kill('SIGKILL')
    program.removeFiles()
  }
  killEscapedNow([...live].map((program) => program.marker))
  live.clear()
}

export function livePrograms(): number {
  return live.size
}
