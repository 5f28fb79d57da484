// npm run bench: how long a verdict takes, against the bare cost of starting a program.
// Medians of several runs, and ratios; nothing here passes or fails.

import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { cpSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { $ } from 'zx'
import { lessons } from '../lessons/index.ts'

const RUNS = Number(process.env.BENCH_RUNS) || 7
$.quiet = true

async function median(label: string, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  await run() // warm the tsx cache, as a learner's second run would be
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  const middle = times[Math.floor(times.length / 2)]!
  console.log(`${label.padEnd(46)} ${(middle / 1000).toFixed(3)} s   (min ${(times[0]! / 1000).toFixed(3)}, max ${(times.at(-1)! / 1000).toFixed(3)})`)
  return middle
}

/** Medians of RUNS rounds, each of which runs every entry once, in turn (after one warm-up
 * round: the tsx cache warm, as a learner's second run would find it). */
async function inTurns(entries: Array<[string, () => Promise<unknown>]>): Promise<number[]> {
  const times = entries.map((): number[] => [])
  for (const [, run] of entries) await run()
  for (let round = 0; round < RUNS; round++) {
    for (const [i, [, run]] of entries.entries()) {
      const started = performance.now()
      await run()
      times[i]!.push(performance.now() - started)
    }
  }
  return entries.map(([label], i) => {
    const sorted = times[i]!.sort((a, b) => a - b)
    const middle = sorted[Math.floor(sorted.length / 2)]!
    console.log(`${label.padEnd(46)} ${(middle / 1000).toFixed(3)} s   (min ${(sorted[0]! / 1000).toFixed(3)}, max ${(sorted.at(-1)! / 1000).toFixed(3)})`)
    return middle
  })
}

const scratch = mkdtempSync(join(tmpdir(), 'netlings-bench-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))
const empty = join(scratch, 'empty.ts')
writeFileSync(empty, '')
// The grader as npm runs it: bin/netlings.mjs, plain JavaScript (its bundle is built once, below).
const cli = 'bin/netlings.mjs'

console.log(`netlings bench: median of ${RUNS} runs each, on ${process.platform} with Node ${process.version}\n`)
// The bare starts and the verdicts take turns, a round at a time: this machine's speed drifts
// (a bare start measured 0.36 s and 0.78 s an hour apart), and a ratio means something only
// when both sides saw the same machine.
const timed: Array<[string, () => Promise<unknown>]> = [
  ['bare start: tsx empty.ts', () => $`node_modules/.bin/tsx ${empty}`],
  ['bare start: node --import tsx empty.ts', () => $`node --import tsx ${empty}`],
  ...lessons.map((lesson): [string, () => Promise<unknown>] => [`verdict: check ${lesson.id} --solution`, () => $`node ${cli} check ${lesson.id} --solution`]),
  ['verdict: check all --solution', () => $`node ${cli} check all --solution`],
]
const rounds = await inTurns(timed)
const [bareTsx, bareImport] = rounds.slice(0, 2) as [number, number]
const verdicts = lessons.map((lesson, i): [string, number] => [lesson.id, rounds[2 + i]!])
const all = rounds.at(-1)!

// The type check beside a grading: a learner's file, new content every run (so TypeScript has
// no cached answer), graded with it and without it (NETLINGS_NO_TYPECHECK=1).
const learner = join(scratch, 'learner')
mkdirSync(learner)
let edits = 0
const edited = () => writeFileSync(join(learner, 'server.ts'), `${readFileSync('test/type-error/server.broken.ts', 'utf8')}\n// edit ${++edits}\n`)
const withTypes = await median('verdict: lesson-1, a new learner file, type check beside', () => (edited(), $`node ${cli} check lesson-1 --dir ${learner}`))
const withoutTypes = await median('verdict: the same, without the type check', () => (edited(), $({ env: { ...process.env, NETLINGS_NO_TYPECHECK: '1' } })`node ${cli} check lesson-1 --dir ${learner}`))

console.log('\nratios to one bare TypeScript start (node --import tsx of an empty file); a verdict includes the grader’s own start and every start of the program:')
for (const [id, time] of verdicts) {
  const target = id === 'lesson-1' ? '  (target ≤ 2×)' : ''
  console.log(`  ${id}: ${(time / bareImport).toFixed(2)}×${target}   (${(time / bareTsx).toFixed(2)}× a bare tsx start)`)
}
console.log(`  all ${lessons.reduce((n, l) => n + l.exercises.length, 0)} exercises: ${(all / bareImport).toFixed(1)}× (target ≤ 15×), ${(all / 1000).toFixed(2)} s`)
console.log(`  the type check beside a grading adds ${((withTypes - withoutTypes) / 1000).toFixed(3)} s to a lesson-1 verdict (${(withTypes / withoutTypes).toFixed(2)}×)`)

// Lesson 4: bytes per second of the reference solutions on 50 MB, against a plain
// stream.pipeline program (file → socket, socket → file) run exactly the same way (its own
// process, node --import tsx), so that only the code differs. Timed from the connection on,
// so starting a program does not count.
const SIZE = 50 * 1024 * 1024
const image = join(scratch, 'big.bin')
writeFileSync(image, randomBytes(SIZE))
const lesson4 = join('solutions', 'lesson-4-image-server')
const imports = "import { connect, createServer } from 'node:net'; import { createReadStream, createWriteStream } from 'node:fs'; import { pipeline } from 'node:stream/promises';"
const baselineServer = join(scratch, 'baseline-server.mjs')
const baselineClient = join(scratch, 'baseline-client.mjs')
writeFileSync(baselineServer, `${imports} createServer((s) => pipeline(createReadStream(process.env.IMAGE), s).catch(() => {})).listen(Number(process.env.PORT), process.env.HOST)`)
writeFileSync(baselineClient, `${imports} await pipeline(connect(Number(process.env.PORT), process.env.HOST), createWriteStream(process.env.OUT))`)

const run = (file: string, env: Record<string, string>) =>
  $({ env: { ...process.env, HOST: '127.0.0.1', ...env }, nothrow: true })`node --import tsx ${file}`

/** Retries until the program listens (events.once would reject on 'error', so plain listeners). */
async function connectWhenListening(port: number): Promise<Socket> {
  for (;;) {
    const socket = connect(port, '127.0.0.1')
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true))
      socket.once('error', () => resolve(false))
    })
    if (connected) return socket
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A server program sends `image`; the bench saves it. */
async function serving(program: string): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 10000)
  const server = run(program, { PORT: String(port), IMAGE: image })
  const socket = await connectWhenListening(port)
  const started = performance.now()
  await pipeline(socket, createWriteStream(join(scratch, 'out-server.bin')))
  const ms = performance.now() - started
  await server.kill()
  return ms
}

/** The bench sends `image`; a client program saves it and exits. */
async function saving(program: string): Promise<number> {
  const server = createServer((socket) => void pipeline(createReadStream(image), socket).catch(() => {}))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const out = join(scratch, 'out-client.bin')
  let started = 0
  server.once('connection', () => (started = performance.now()))
  await run(program, { PORT: String((server.address() as AddressInfo).port), OUT: out })
  const ms = performance.now() - started
  server.close()
  if (statSync(out).size !== SIZE) throw new Error('the client saved the wrong number of bytes')
  return ms
}

console.log(`\nlesson 4 throughput on ${SIZE / 1024 / 1024} MB (from connection to last byte on disk):`)
const rate = (ms: number) => `${(SIZE / 1024 / 1024 / (ms / 1000)).toFixed(0)} MB/s`
const servers = [
  await median('server: plain stream.pipeline program', () => serving(baselineServer)),
  await median('server: image-server.ts (solution)', () => serving(join(lesson4, 'image-server.ts'))),
]
const clients = [
  await median('client: plain stream.pipeline program', () => saving(baselineClient)),
  await median('client: image-client.ts (solution)', () => saving(join(lesson4, 'image-client.ts'))),
]
for (const [side, [base, solution]] of [['server', servers], ['client', clients]] as const) {
  console.log(`  ${side}: baseline ${rate(base!)}, solution ${rate(solution!)}: ${(base! / solution!).toFixed(2)}× the baseline (target ≥ 0.8×)`)
}

// A teacher's class: 30 submissions (here, copies of the solutions), graded one lesson at a
// time, as an assignment is. One run each: a class takes up to a minute per lesson.
// BENCH_CLASS=0 skips it.
if (process.env.BENCH_CLASS !== '0') {
  const CLASS = 30
  const classDir = join(scratch, 'class')
  const submissions = Array.from({ length: CLASS }, (_, i) => join(classDir, `s${String(i + 1).padStart(2, '0')}`))
  for (const dir of submissions) cpSync('solutions', dir, { recursive: true })
  console.log(`\na class of ${CLASS} submissions (copies of the solutions), one run per lesson (target: about a minute):`)
  for (const lesson of lessons) {
    const started = performance.now()
    const graded = await $({ nothrow: true })`node ${cli} check ${lesson.id} --dir ${submissions}`
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const verdict = graded.exitCode === 0 ? 'all pass' : `exit ${graded.exitCode}: not every submission passed`
    console.log(`  ${lesson.id}: ${seconds} s (${verdict})`)
  }
}

// What --isolate costs a class: N copies of lesson 1's solution graded with it (a sandbox per
// program, a network namespace per grader slot) and without, alternately, so that a busy
// machine weighs on both alike. The target: at most 15 % more for a class of 30
// (BENCH_ISOLATE_CLASS=N for another size, BENCH_ISOLATE=0 skips it).
if (process.env.BENCH_ISOLATE !== '0') {
  const size = Number(process.env.BENCH_ISOLATE_CLASS) || 30
  const runs = Number(process.env.BENCH_ISOLATE_RUNS) || 3
  console.log(`\n--isolate on a class of ${size} lesson-1 solutions, median of ${runs} runs each (target: ≤ 15 % more):`)
  const { bwrapWorks } = await import('../checks/run/sandbox.ts')
  if (process.platform !== 'linux' || !bwrapWorks()) {
    console.log('  skipped: --isolate needs Linux and a working bubblewrap (apt-get install bubblewrap)')
  } else {
    const lessonDir = lessons[0]!.slug
    const classDir = join(scratch, 'isolate-class')
    const students = Array.from({ length: size }, (_, i) => join(classDir, `s${String(i + 1).padStart(2, '0')}`))
    for (const dir of students) cpSync(join('solutions', lessonDir), join(dir, lessonDir), { recursive: true })
    const times: Record<'plain' | 'isolated', number[]> = { plain: [], isolated: [] }
    for (let i = 0; i < runs; i++) {
      for (const mode of ['plain', 'isolated'] as const) {
        const started = performance.now()
        const graded = await $({ nothrow: true })`node ${cli} check lesson-1 --dir ${students} --seed 1 ${mode === 'isolated' ? ['--isolate'] : []}`
        if (graded.exitCode !== 0) throw new Error(`${mode}: exit ${graded.exitCode}\n${graded.stdout}${graded.stderr}`)
        times[mode].push(performance.now() - started)
      }
    }
    const middle = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!
    const [plain, isolated] = [middle(times.plain), middle(times.isolated)]
    const change = Math.round((isolated / plain - 1) * 100)
    console.log(`  without --isolate: ${(plain / 1000).toFixed(1)} s, with: ${(isolated / 1000).toFixed(1)} s: ${Math.abs(change)} % ${change < 0 ? 'less' : 'more'}`)
  }
}
