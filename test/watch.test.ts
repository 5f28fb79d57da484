// `npm run watch`: grades on start, re-grades on save, moves on when an exercise passes, and
// leaves nothing running when stopped. Runs on a temporary copy of lessons/ and its own
// progress file, so the learner's work and progress are never touched.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { root, survivorsAfter } from './helpers.ts'

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)

interface Watch {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const started: Watch[] = []
const temps: string[] = []

/** util-linux's script(1) gives watch a pseudo-terminal, as a learner's; without it, the terminal test is skipped. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') === true
const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`

function startWatch(args: string[], env: Record<string, string> = {}, terminal = false): Watch {
  const command = [process.execPath, join(root, 'bin/netlings.mjs'), 'watch', ...args]
  // On a terminal: script runs the command on a pty and copies its screen output to stdout; what
  // is written to its stdin is typed there (-e: script exits with the command's code).
  const [file, argv]: [string, string[]] = terminal ? ['script', ['-q', '-e', '-c', command.map(shellQuote).join(' '), '/dev/null']] : [command[0]!, command.slice(1)]
  const child = spawn(file, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const watch = { child, stdout: () => stdout, stderr: () => stderr, exited }
  started.push(watch)
  return watch
}

/** Polls the accumulated output until `pattern` matches, for at most `ms`. */
async function waitFor(read: () => string, pattern: RegExp, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; the output was:\n${read()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  temps.push(dir)
  return dir
}

afterEach(async () => {
  for (const watch of started.splice(0)) {
    if (watch.child.exitCode === null && watch.child.signalCode === null) watch.child.kill('SIGKILL')
  }
  expect(await survivorsAfter(3000)).toEqual([])
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('npm run watch', () => {
  test('grades the starter, re-grades on save, moves on to lesson 3 once it passes; SIGTERM leaves nothing running', async () => {
    const lessonsCopy = join(tempDir('netlings-watch-lessons-'), 'lessons')
    cpSync(join(root, 'lessons'), lessonsCopy, { recursive: true })
    const progress = join(tempDir('netlings-watch-progress-'), 'progress.json')
    const watch = startWatch(['lesson-2'], { NETLINGS_LESSONS_DIR: lessonsCopy, NETLINGS_PROGRESS: progress })

    // The starter does not pass yet.
    await waitFor(watch.stdout, /✗ not yet/)
    expect(watch.stdout()).toContain('lesson-2')
    expect(watch.stdout()).not.toContain('\x1b[') // a pipe gets no escape codes
    expect(JSON.parse(readFileSync(progress, 'utf8'))['lesson-2/client'].status).toBe('fail')

    // Saving the solution over it re-grades it, and it passes.
    const client = join(lessonsCopy, 'lesson-2-client-basics', 'client.ts')
    writeFileSync(client, readFileSync(join(root, 'solutions', 'lesson-2-client-basics', 'client.ts')))
    await waitFor(watch.stdout, /✓ passed/)
    await waitFor(watch.stdout, /Moving on to the next lesson: lesson-3 echo-server/)
    expect(watch.stdout()).toContain('lesson-3-echo-chat/echo-server.ts')
    expect(JSON.parse(readFileSync(progress, 'utf8'))['lesson-2/client'].status).toBe('pass')

    // It grades lesson 3's first exercise next; stop it, perhaps in the middle of that grading.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const sent = Date.now()
    watch.child.kill('SIGTERM')
    const { code } = await watch.exited
    expect(code).toBe(143)
    expect(Date.now() - sent).toBeLessThan(4000)
    expect(watch.stdout().match(/Moving on/g)).toHaveLength(1)
    expect(await survivorsAfter(2000)).toEqual([])
    expect(watch.stderr()).toContain('stopping (SIGTERM)')
    noStackTrace(watch.stderr())
  }, 90_000)

  test("a type error's note follows the report when TypeScript has answered, even after the verdict", async () => {
    const lessonsCopy = join(tempDir('netlings-watch-lessons-'), 'lessons')
    cpSync(join(root, 'lessons'), lessonsCopy, { recursive: true })
    const server = join(lessonsCopy, 'lesson-1-server-basics', 'server.ts')
    writeFileSync(server, `const tries: number = 'three'\n${readFileSync(server, 'utf8')}`)
    const progress = join(tempDir('netlings-watch-progress-'), 'progress.json')
    const watch = startWatch(['lesson-1'], { NETLINGS_LESSONS_DIR: lessonsCopy, NETLINGS_PROGRESS: progress })
    await waitFor(watch.stdout, /✗ not yet/)
    await waitFor(watch.stdout, /Note: TypeScript finds 1 type error in this file\. It does not change the verdict\.\n  .*server\.ts:1:7 TS2322: Type 'string' is not assignable to type 'number'\./, 30_000)
    expect(watch.stdout().indexOf('Note: TypeScript')).toBeGreaterThan(watch.stdout().indexOf('✗ not yet'))
    watch.child.kill('SIGTERM')
    await watch.exited
  }, 60_000)

  test.skipIf(!hasScript)('on a terminal, says "Moving on" once, above the next report; q quits', async () => {
    const lessonsCopy = join(tempDir('netlings-watch-lessons-'), 'lessons')
    cpSync(join(root, 'lessons'), lessonsCopy, { recursive: true })
    const progress = join(tempDir('netlings-watch-progress-'), 'progress.json')
    const watch = startWatch(['lesson-2'], { NETLINGS_LESSONS_DIR: lessonsCopy, NETLINGS_PROGRESS: progress }, true)

    await waitFor(watch.stdout, /✗ not yet/)
    expect(watch.stdout()).toContain('\x1b[2J') // a terminal: the screen is cleared for each grading
    const client = join(lessonsCopy, 'lesson-2-client-basics', 'client.ts')
    writeFileSync(client, readFileSync(join(root, 'solutions', 'lesson-2-client-basics', 'client.ts')))
    await waitFor(watch.stdout, /Moving on to the next lesson: lesson-3 echo-server/)
    await waitFor(watch.stdout, /Moving on[^]*✗ not yet/) // lesson 3's starter, graded below it
    // Written once, on the screen that grades lesson 3: the report replaces only what is below it.
    expect(watch.stdout().match(/Moving on/g)).toHaveLength(1)
    const afterNotice = watch.stdout().slice(watch.stdout().indexOf('Moving on'))
    expect(afterNotice).not.toContain('\x1b[2J')
    expect(afterNotice).toContain('\x1b8\x1b[J')

    watch.child.stdin.write('q')
    const { code } = await watch.exited
    expect(code).toBe(0)
    noStackTrace(watch.stderr())
  }, 90_000)

  test.each([
    ['an unknown lesson', ['lesson-9'], 'There is no lesson "lesson-9"'],
    ['an unknown exercise', ['lesson-3', 'nope'], 'Its exercises: echo-server, chat-client, chat-server'],
    ['no lesson', [], 'Which lesson?'],
  ])('a usage error (%s) exits 2 with the list of lessons, no stack trace', async (_, args, message) => {
    const watch = startWatch(args)
    const { code } = await watch.exited
    expect(code).toBe(2)
    expect(watch.stderr()).toContain(message)
    expect(watch.stderr()).toContain('lesson-2') // the usage lists the lessons
    expect(watch.stdout()).toBe('')
    noStackTrace(watch.stderr())
  })
})
