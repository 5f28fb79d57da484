// --isolate grades in a network namespace with only loopback: the submission still reaches
// the grader's peers, and sees no other network.

import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { cli, root, survivors, survivorsAfter } from './helpers.ts'

afterEach(async () => {
  expect(await survivorsAfter(1500)).toEqual([])
})

test('a correct program passes inside the namespace', async () => {
  const run = await cli(['lesson-2', '--solution', '--isolate', '--json'])
  expect(run.stderr).toBe('')
  expect(run.exitCode).toBe(0)
  expect(JSON.parse(run.stdout).passed).toBe(true)
})

test('a submission sees only loopback under --isolate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-isolate-'))
  mkdirSync(join(dir, 'lesson-2-client-basics'))
  writeFileSync(
    join(dir, 'lesson-2-client-basics', 'client.ts'),
    "import os from 'node:os'\nconsole.log(`interfaces: ${Object.keys(os.networkInterfaces()).sort().join(',')}`)\n",
  )
  const seen = async (extra: string[]) => {
    const run = await cli(['lesson-2', '--dir', dir, '--json', ...extra])
    return JSON.parse(run.stdout).exercises[0].output.stdout.find((line: string) => line.startsWith('interfaces: '))
  }
  expect(await seen(['--isolate'])).toBe('interfaces: lo')
  // Outside, this machine has more than loopback: the namespace is what took it away.
  if (Object.keys(networkInterfaces()).length > 1) expect(await seen([])).not.toBe('interfaces: lo')
})

test('each submission of a class gets a network namespace of its own', async () => {
  // Two correct servers that also name their network namespace, and one that does not.
  const solution = readFileSync(join(root, 'solutions', 'lesson-1-server-basics', 'server.ts'), 'utf8')
  const naming = `${solution}\nconsole.error(\`namespace \${(await import('node:fs')).readlinkSync('/proc/self/ns/net')}\`)\n`
  const dirs = ['ada', 'bo', 'cy'].map((name) => {
    const dir = mkdtempSync(join(tmpdir(), `netlings-class-${name}-`))
    mkdirSync(join(dir, 'lesson-1-server-basics'))
    writeFileSync(join(dir, 'lesson-1-server-basics', 'server.ts'), name === 'cy' ? solution : naming)
    return dir
  })
  const run = await cli(['lesson-1', '--dir', ...dirs, '--isolate', '--json', '--seed', '7'])
  expect(run.stderr).toBe('')
  const result = JSON.parse(run.stdout) as { seed: number; passed: boolean; exercises: Array<{ submission: string; passed: boolean; output: { stderr: string[] } }> }
  expect(result.seed).toBe(7)
  expect(result.exercises.map((e) => [e.submission, e.passed])).toEqual(dirs.map((dir) => [dir, true]))
  const namespaces = result.exercises.slice(0, 2).map((e) => new Set(e.output.stderr.filter((line) => line.startsWith('namespace '))))
  for (const seen of namespaces) expect(seen.size).toBe(1) // every program of one submission shares one
  expect([...namespaces[0]!][0]).not.toBe([...namespaces[1]!][0])
})

test('a submission graded after another in the same namespace meets nothing of it', async () => {
  // One grader for the class (NETLINGS_JOBS=1): ada, then bo, in one namespace. Ada leaves a
  // detached process listening on a port she chose; bo looks for it. Both name the namespace,
  // so the test knows they shared it.
  const solution = readFileSync(join(root, 'solutions', 'lesson-1-server-basics', 'server.ts'), 'utf8')
  const naming = "console.error(`namespace ${(await import('node:fs')).readlinkSync('/proc/self/ns/net')}`)\n"
  const PORT = 31_977
  const leaving = `${solution}\n${naming}
const { spawn } = await import('node:child_process')
spawn(process.execPath, ['-e', "require('node:net').createServer().listen(${PORT}, '127.0.0.1'); setInterval(() => {}, 1000)"], { detached: true, stdio: 'ignore' }).unref()
`
  const looking = `${solution}\n${naming}
const socket = (await import('node:net')).connect(${PORT}, '127.0.0.1')
socket.on('connect', () => { console.error('left behind: listening'); socket.destroy() })
socket.on('error', () => console.error('left behind: nothing'))
`
  const dirs = [['ada', leaving], ['bo', looking]].map(([name, source]) => {
    const dir = mkdtempSync(join(tmpdir(), `netlings-slot-${name}-`))
    mkdirSync(join(dir, 'lesson-1-server-basics'))
    writeFileSync(join(dir, 'lesson-1-server-basics', 'server.ts'), source!)
    return dir
  })
  const run = await cli(['lesson-1', '--dir', ...dirs, '--isolate', '--json'], { env: { NETLINGS_JOBS: '1' } })
  expect(run.stderr).toBe('')
  const result = JSON.parse(run.stdout) as { exercises: Array<{ submission: string; output: { stderr: string[] } }> }
  const [ada, bo] = dirs.map((dir) => result.exercises.find((e) => e.submission === dir)!.output.stderr)
  const namespace = (lines: string[]) => new Set(lines.filter((line) => line.startsWith('namespace ')))
  expect(namespace(ada!)).toEqual(namespace(bo!))
  expect(bo!.filter((line) => line.startsWith('left behind: '))).toContain('left behind: nothing')
  expect(bo!).not.toContain('left behind: listening')
})

test('Ctrl-C stops a class under --isolate: every grader, every program, one line', async () => {
  const dirs = ['ada', 'bo'].map((name) => {
    const dir = mkdtempSync(join(tmpdir(), `netlings-stop-${name}-`))
    mkdirSync(join(dir, 'lesson-1-server-basics'))
    writeFileSync(join(dir, 'lesson-1-server-basics', 'server.ts'), 'setInterval(() => {}, 1000)\n')
    return dir
  })
  const grader = spawn(process.execPath, [join(root, 'bin/netlings.mjs'), 'check', 'lesson-1', '--dir', ...dirs, '--isolate'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  grader.stderr.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => grader.on('exit', (code) => resolve(code)))
  // Both students' programs running: told apart by their temporary copies (a program may be
  // seen twice for a moment while its sandbox starts it).
  const running = () => new Set(survivors().map((line) => /\/tmp\/netlings-[^/]+/.exec(line)?.[0]).filter(Boolean)).size
  try {
    const deadline = Date.now() + 10_000
    while (running() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(running()).toBe(2)
    grader.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(await survivorsAfter(1500)).toEqual([])
    expect(stderr.trim()).toBe('netlings: stopping (SIGINT); cleaning up.')
  } finally {
    grader.kill('SIGKILL')
  }
})
