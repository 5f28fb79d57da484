// npm run bench: how long a verdict takes, against the bare cost of starting a program.
// Medians of several runs, and ratios; nothing here passes or fails.

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

const empty = join(mkdtempSync(join(tmpdir(), 'netlings-bench-')), 'empty.ts')
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
