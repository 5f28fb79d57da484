// npm run bench: how long a verdict takes, against the bare cost of starting a program.
// Medians of several runs, and ratios; nothing here passes or fails.

import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
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

const scratch = mkdtempSync(join(tmpdir(), 'netlings-bench-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))
const empty = join(scratch, 'empty.ts')
writeFileSync(empty, '')
const cli = 'checks/cli.ts'

console.log(`netlings bench: median of ${RUNS} runs each, on ${process.platform} with Node ${process.version}\n`)
const bareTsx = await median('bare start: tsx empty.ts', () => $`node_modules/.bin/tsx ${empty}`)
const bareImport = await median('bare start: node --import tsx empty.ts', () => $`node --import tsx ${empty}`)
const verdicts: Array<[string, number]> = []
for (const lesson of lessons) {
  verdicts.push([lesson.id, await median(`verdict: check ${lesson.id} --solution`, () => $`node --import tsx ${cli} check ${lesson.id} --solution`)])
}
const all = await median('verdict: check all --solution', () => $`node --import tsx ${cli} check all --solution`)

console.log('\nratios (a verdict includes the grader’s own start and every start of the program):')
for (const [id, time] of verdicts) {
  console.log(`  ${id}: ${(time / bareTsx).toFixed(2)}× a bare tsx start, ${(time / bareImport).toFixed(2)}× a bare node --import tsx start`)
}
console.log(`  all ${lessons.reduce((n, l) => n + l.exercises.length, 0)} exercises: ${(all / 1000).toFixed(2)} s (target: under 10 s)`)

// Lesson 4: bytes per second of the reference solutions on 50 MB, against stream.pipeline
// from a file to a socket to a file in this process. Timed from the connection on, so the
// programs' start-up does not count.
const SIZE = 50 * 1024 * 1024
const image = join(scratch, 'big.bin')
writeFileSync(image, randomBytes(SIZE))
const lesson4 = join('solutions', 'lesson-4-image-server')

/** A server that pipes `image` to each connection; resolves with its port. */
async function pipeServer() {
  const server = createServer((socket) => void pipeline(createReadStream(image), socket).catch(() => {}))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, port: (server.address() as AddressInfo).port }
}

async function connectWhenListening(port: number): Promise<Socket> {
  for (;;) {
    const socket = connect(port, '127.0.0.1')
    const [event] = await Promise.race([once(socket, 'connect').then(() => ['ok']), once(socket, 'error').then(() => ['retry'])])
    if (event === 'ok') return socket
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function baseline(): Promise<number> {
  const { server, port } = await pipeServer()
  const started = performance.now()
  await pipeline(connect(port, '127.0.0.1'), createWriteStream(join(scratch, 'out-baseline.bin')))
  const ms = performance.now() - started
  server.close()
  return ms
}

async function solutionServer(): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 10000)
  const program = $({ env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), IMAGE: image }, nothrow: true })`node --import tsx ${join(lesson4, 'image-server.ts')}`
  const socket = await connectWhenListening(port)
  const started = performance.now()
  await pipeline(socket, createWriteStream(join(scratch, 'out-server.bin')))
  const ms = performance.now() - started
  await program.kill()
  return ms
}

async function solutionClient(): Promise<number> {
  const { server, port } = await pipeServer()
  const out = join(scratch, 'out-client.bin')
  let started = 0
  server.once('connection', () => (started = performance.now()))
  await $({ env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), OUT: out } })`node --import tsx ${join(lesson4, 'image-client.ts')}`
  const ms = performance.now() - started
  server.close()
  if (statSync(out).size !== SIZE) throw new Error('the lesson-4 client saved the wrong number of bytes')
  return ms
}

console.log(`\nlesson 4 throughput on ${SIZE / 1024 / 1024} MB (from connection to last byte on disk):`)
const base = await median('baseline: stream.pipeline file → socket → file', baseline)
const server = await median('image-server.ts (solution) → pipeline client', solutionServer)
const client = await median('pipeline server → image-client.ts (solution)', solutionClient)
const rate = (ms: number) => `${(SIZE / 1024 / 1024 / (ms / 1000)).toFixed(0)} MB/s`
console.log(`  baseline ${rate(base)}; server ${rate(server)} (${(base / server).toFixed(2)}× baseline); client ${rate(client)} (${(base / client).toFixed(2)}× baseline; target ≥ 0.8×)`)
