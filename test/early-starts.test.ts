// A check may declare the program it will start (World.startEarly): that program then boots
// while the checks before it run. It must be the program a start would have made, started only
// once the first check has passed, and stopped with the rest even when no check asks for it.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { findExercise, findLesson } from '../lessons/index.ts'
import { exercise, runStories } from '../checks/engine/story.ts'
import { fail } from '../checks/engine/failure.ts'
import { survivorsAfter } from './helpers.ts'

afterEach(async () => {
  expect(await survivorsAfter(1500)).toEqual([])
})

const lesson = findLesson('lesson-1')!
const server = findExercise(lesson, 'server')!

/** A server that notes each of its starts (HOST as given, or "by hand") in `log`, then listens,
 * or, with `crash`, throws before it listens. */
function program(log: string, crash = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-early-'))
  const file = join(dir, 'server.ts')
  writeFileSync(
    file,
    `import { appendFileSync } from 'node:fs'
import net from 'node:net'
appendFileSync(${JSON.stringify(log)}, \`\${process.env.HOST ?? 'by-hand'} \${Date.now()}\\n\`)
${crash ? "throw new Error('no')" : "net.createServer((s) => s.end()).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')"}
`,
  )
  return file
}

const starts = (log: string) => readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string])

test('the programs later checks declare start once the first check passes, and are those checks\' programs', async () => {
  const log = join(mkdtempSync(join(tmpdir(), 'netlings-early-log-')), 'starts')
  const asked: Record<string, number> = {}
  const checks = exercise(({ check, stretch }) => {
    check('first', { see: 'host-and-port' }, async ({ start, connect }) => {
      await connect(await start())
    })
    // Long enough for the early starts to have listened when the checks below ask.
    check('second', { see: 'host-and-port' }, () => new Promise((resolve) => setTimeout(resolve, 1500)))
    stretch('by hand', { see: 'host-and-port' }, async ({ start, connect }) => {
      asked.byHand = Date.now()
      const program = await start({ byHand: true })
      if (program.options.host !== '127.0.0.1' || program.startedAt >= asked.byHand) fail('not the early one')
      await connect(program)
    }, { early: 'by-hand' })
    stretch('ipv6', { see: 'host-and-port' }, async (context) => {
      asked.ipv6 = Date.now()
      const program = await context.ipv6().start()
      if (program.options.host !== '::1' || program.startedAt >= asked.ipv6) fail('not the early one')
      await context.connect(program)
    }, { early: 'ipv6' })
    // Asked again, a start is a new one: the early program was for one check only.
    stretch('by hand again', { see: 'host-and-port' }, async ({ start, connect }) => {
      const program = await start({ byHand: true })
      if (program.startedAt < asked.byHand!) fail('the early one twice')
      await connect(program)
    })
  })
  const outcome = await runStories(checks, { lesson, exercise: server, file: program(log) }, 1)
  expect(outcome.checks.map((c) => [c.name, c.status, c.failure?.message])).toEqual(['first', 'second', 'by hand', 'ipv6', 'by hand again'].map((name) => [name, 'pass', undefined]))
  const hosts = starts(log).map(([host]) => host)
  expect(hosts[0]).toMatch(/^127\./)
  expect(hosts.slice(1, 3).sort()).toEqual(['::1', 'by-hand'])
  expect(hosts.slice(3)).toEqual(['by-hand'])
})

test('a program that fails the first check is started once, and an early start no check asks for is stopped', async () => {
  const log = join(mkdtempSync(join(tmpdir(), 'netlings-early-log-')), 'starts')
  const declared = exercise(({ check, stretch }) => {
    check('first', { see: 'host-and-port' }, async ({ start, connect }) => {
      await connect(await start())
    })
    stretch('by hand', { see: 'host-and-port' }, async () => {}, { early: 'by-hand' })
  })
  const crashed = await runStories(declared, { lesson, exercise: server, file: program(log, true) }, 1)
  expect(crashed.checks.map((c) => c.status)).toEqual(['fail', 'skip'])
  expect(starts(log)).toHaveLength(1)
  // A passing first check starts the early one, which nobody then asks for: the world stops it
  // (afterEach finds no program left).
  const passed = await runStories(declared, { lesson, exercise: server, file: program(log) }, 1)
  expect(passed.checks.map((c) => c.status)).toEqual(['pass', 'pass'])
})
