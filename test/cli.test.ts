// The grader as learners, teachers and CI call it: arguments, exit codes, output formats,
// submissions, and what happens to processes when the grader finishes or is interrupted.

import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { $ } from 'zx'
import { afterEach, describe, expect, test } from 'vitest'
import { cli, englishLeft, root, survivors, survivorsAfter } from './helpers.ts'
import { cacheEntry } from '../checks/run/typecheck.ts'

const solution = (slug: string, file: string) => join(root, 'solutions', slug, file)
const fixture = (path: string) => join(root, 'test', 'fixtures', path)

/** A submission folder outside the project holding just the given files. */
function submission(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-submission-'))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)

afterEach(async () => {
  expect(await survivorsAfter(1500)).toEqual([])
})

describe('usage errors: exit 2, a clear message, no stack trace', () => {
  test.each([
    ['no lesson', [], 'Which lesson?'],
    ['an unknown lesson, listing the valid ones', ['lesson-9'], 'There is no lesson "lesson-9"'],
    ['an unknown exercise, listing the lesson’s', ['lesson-1', 'nope'], 'Its exercises: server'],
    ['an unknown option', ['lesson-1', '--frobnicate'], "Unknown option '--frobnicate'"],
    ['a seed that is not a number', ['lesson-1', '--seed', 'abc'], '--seed takes a whole number'],
    ['a --dir that does not exist', ['lesson-1', '--dir', '/no/such/folder'], 'no such folder'],
    ['--solution with --dir', ['lesson-1', '--solution', '--dir', '.'], 'not both'],
  ])('%s', async (_, args, message) => {
    const run = await cli(args)
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain(message)
    expect(run.stderr).toContain('lesson-2') // the usage lists the lessons
    expect(run.stdout).toBe('')
    noStackTrace(run.stderr)
  })
})

describe('choosing what to grade', () => {
  test.each(['1', 'server-basics', 'lesson-1-server-basics', 'LESSON-1'])('"%s" names lesson 1', async (name) => {
    const run = await cli([name, '--solution', '--json'])
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout).exercises.map((e: { lesson: string }) => e.lesson)).toEqual(['lesson-1'])
  })

  test('--json prints one JSON document and nothing else, with every field a teacher needs', async () => {
    const run = await cli(['lesson-2', '--solution', '--json', '--seed', '4242'])
    expect(run.exitCode).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({ passed: true, seed: 4242 })
    const [exercise] = result.exercises
    expect(exercise).toMatchObject({ lesson: 'lesson-2', exercise: 'client', passed: true, seed: 4242 })
    for (const check of exercise.checks) {
      expect(check).toEqual({ name: expect.any(String), title: check.name, stretch: expect.any(Boolean), status: 'pass', durationMs: expect.any(Number) })
    }
    expect(exercise.checks.some((c: { stretch: boolean }) => c.stretch)).toBe(true)
  })

  test('a language where an exercise goes (npm ate the --lang before it) is told how to write it, in one line', async () => {
    const run = await cli(['lesson-1', 'zh-CN'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toBe('netlings: "zh-CN" is a language, not an exercise: npm keeps a --lang that comes before -- for itself. Write npm run check -- lesson-1 --lang zh-CN\n')
  })

  test('--json in Chinese keeps each check\'s English name as its id and adds its Chinese title', async () => {
    const run = await cli(['lesson-2', '--solution', '--json', '--seed', '4242', '--lang', 'zh-CN'])
    expect(run.exitCode).toBe(0)
    const [exercise] = JSON.parse(run.stdout).exercises
    expect(exercise.checks[0]).toMatchObject({ name: 'connects to the HOST and PORT it is given', title: expect.stringMatching(/[\u4e00-\u9fff]/) })
  })

  test('a failure in --json carries its message, evidence and README section; exit 1', async () => {
    const dir = submission({ 'lesson-1-server-basics/server.ts': readFileSync(fixture('lesson-1/server/greeting-without-newline.ts'), 'utf8') })
    const run = await cli(['lesson-1', '--dir', dir, '--json'])
    expect(run.exitCode).toBe(1)
    const check = JSON.parse(run.stdout).exercises[0].checks.find((c: { status: string }) => c.status === 'fail')
    expect(check.name).toBe('greets each client with 你好！ and a newline')
    expect(check.failure.message).toContain('no newline')
    expect(check.failure.see).toMatchObject({ file: 'lessons/lesson-1-server-basics/README.md', anchor: 'lines-are-messages' })
  })

  test('in Chinese (--lang zh-CN, or a Chinese locale) every line is Chinese, and the bytes of the exchange are the same', async () => {
    const dir = submission({ 'lesson-3-echo-chat/echo-server.ts': readFileSync(fixture('lesson-3/echo-server/readline-echo.ts'), 'utf8') })
    const english = await cli(['lesson-3', 'echo-server', '--dir', dir, '--seed', '4321'])
    const chinese = await cli(['lesson-3', 'echo-server', '--dir', dir, '--seed', '4321', '--lang', 'zh-CN'])
    const byLocale = await cli(['lesson-3', 'echo-server', '--dir', dir, '--seed', '4321'], { env: { NETLINGS_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' } })
    expect([english.exitCode, chinese.exitCode, byLocale.exitCode]).toEqual([1, 1, 1])
    expect(byLocale.stdout).toContain('✗ 逐字节原样回显一行')
    expect(english.stdout).toContain('✗ echoes a line back, byte for byte')
    expect(chinese.stdout).toContain('✗ 逐字节原样回显一行')
    const lines = chinese.stdout.split('\n')
    // What the grader says, at the first two levels; deeper lines are the exchange and output.
    const said = lines.filter((line) => /^ {0,2}\S/.test(line))
    expect(said.length).toBeGreaterThan(10)
    for (const line of said) expect(englishLeft(line), line).toEqual([])
    // The exchange: the grader's bytes are the same (the seed's), whatever the language around
    // them. (How much of the program's answer came before the check ended is timing.)
    const quoted = (text: string) =>
      text
        .split('\n')
        .filter((line) => /^ {4}\S/.test(line) && !/your server|你的服务器/.test(line))
        .flatMap((line) => line.match(/"(?:[^"\\]|\\.)*"/g) ?? [])
    expect(quoted(chinese.stdout).length).toBeGreaterThan(0)
    expect(quoted(chinese.stdout)).toEqual(quoted(english.stdout))
  })

  test('the text report shows each check, the failure, and the seed that replays it', async () => {
    const dir = submission({ 'lesson-2-client-basics/client.ts': readFileSync(fixture('lesson-2/client/prints-each-chunk.ts'), 'utf8') })
    const run = await cli(['2', '--dir', dir, '--seed', '777'])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('✓ connects to the HOST and PORT it is given')
    expect(run.stdout).toContain('✗ prints the greeting, even when it arrives in pieces')
    expect(run.stdout).toContain('(not run: an earlier check failed)')
    expect(run.stdout).toContain('test server → ') // the exchange
    expect(run.stdout).toContain('Read: lessons/lesson-2-client-basics/README.md § TCP is a byte stream')
    expect(run.stdout).toContain(`--dir ${dir} --seed 777`)
    expect(run.stdout).toMatch(/✗ not yet: 1 of 4 checks/)
  })

  test('the same seed gives the same test data', async () => {
    const dir = submission({ 'lesson-2-client-basics/client.ts': readFileSync(fixture('lesson-2/client/prints-each-chunk.ts'), 'utf8') })
    const exchange = async () => {
      const run = await cli(['2', '--dir', dir, '--seed', '31337', '--json'])
      const failed = JSON.parse(run.stdout).exercises[0].checks.find((c: { status: string }) => c.status === 'fail')
      return failed.failure.details.find((line: string) => line.includes('test server →'))
    }
    const first = await exchange()
    expect(first).toMatch(/\(4 writes, 30 ms apart\)/)
    expect(await exchange()).toBe(first)
  })
})

test('grading your own lessons records progress; grading the solutions does not', async () => {
  const file = process.env.NETLINGS_PROGRESS!
  rmSync(file, { force: true })
  expect((await cli(['lesson-2', '--solution'])).exitCode).toBe(0)
  expect(existsSync(file)).toBe(false)
  expect((await cli(['lesson-2'])).exitCode).toBe(1) // the starter
  expect(JSON.parse(readFileSync(file, 'utf8'))['lesson-2/client']).toMatchObject({ status: 'fail', passed: 0, total: 4 })
})

describe('submissions graded with --dir', () => {
  test('the documented contract, through npm, with top-level await outside the project', async () => {
    const code = `await Promise.resolve() // top-level await: ESM even with no package.json around\n${readFileSync(solution('lesson-1-server-basics', 'server.ts'), 'utf8')}`
    const dir = submission({ 'lesson-1-server-basics/server.ts': code })
    const run = await $({ nothrow: true, quiet: true, cwd: root })`npm run --silent check -- lesson-1 server --dir ${dir}`
    expect(run.stdout).toContain('✓ passed: 7 of 7 checks')
    expect(run.exitCode).toBe(0)
  })

  test('the file may also sit directly in the folder', async () => {
    const dir = submission({ 'client.ts': readFileSync(solution('lesson-2-client-basics', 'client.ts'), 'utf8') })
    const run = await cli(['lesson-2', '--dir', dir])
    expect(run.exitCode).toBe(0)
  })

  test('a missing file fails the exercise and names the file', async () => {
    const dir = submission({ 'README.txt': 'nothing here' })
    const run = await cli(['lesson-1', '--dir', dir])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(`There is no file at ${join(dir, 'lesson-1-server-basics', 'server.ts')}`)
  })

  test('what a program writes lands in its own temp folder, never in the submission', async () => {
    const writer = `import { writeFileSync } from 'node:fs'\nwriteFileSync('written-by-the-program.txt', 'hello')\n${readFileSync(solution('lesson-2-client-basics', 'client.ts'), 'utf8')}`
    const dir = submission({ 'lesson-2-client-basics/client.ts': writer })
    const before = readdirSync(join(dir, 'lesson-2-client-basics'))
    const run = await cli(['lesson-2', '--dir', dir])
    expect(run.exitCode).toBe(0)
    expect(readdirSync(join(dir, 'lesson-2-client-basics'))).toEqual(before)
    expect(readdirSync(dir)).toEqual(['lesson-2-client-basics'])
  })

  test('the netlings bin: npx netlings check', async () => {
    const run = await $({ nothrow: true, quiet: true, cwd: root })`npx --offline netlings check lesson-2 --solution --json`
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout).passed).toBe(true)
  })
})

describe('what the report adds to a verdict', () => {
  test("the hint follows the failing check: a line read chunk by chunk gets the hint about 'data' events", async () => {
    const dir = submission({ 'server.ts': readFileSync(fixture('lesson-1/server/prints-each-chunk.ts'), 'utf8') })
    const run = await cli(['lesson-1', '--dir', dir])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain("Hint 2 of 3: One 'data' event is not one message.")
    expect(run.stdout).not.toContain('Hint 1 of 3')
  })

  test('a file that does not compile gets that verdict, before any check: the place, the line, a caret', async () => {
    const broken = readFileSync(solution('lesson-1-server-basics', 'server.ts'), 'utf8').replace("const chunks: Buffer[] = []", "const chunks: Buffer[] = [")
    const dir = submission({ 'server.ts': broken })
    const run = await cli(['lesson-1', '--dir', dir])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('  ✗ server.ts does not compile\n')
    expect(run.stdout).toContain(`    ${join(dir, 'server.ts')}:18:7: Expected "]" but found "done"\n`)
    expect(run.stdout).toContain('      18 |   let done = false\n         |       ^\n')
    expect(run.stdout).not.toContain('listens on the HOST')
    expect(run.stdout).not.toMatch(/esbuild|node_modules|node:internal/)
    const json = JSON.parse((await cli(['lesson-1', '--dir', dir, '--json'])).stdout)
    expect(json.exercises[0]).toMatchObject({ error: 'server.ts does not compile', checks: [], passed: false })
  })

  test('type errors are a note after the verdict, never part of it, once TypeScript has answered', async () => {
    const dir = submission({ 'server.ts': readFileSync(join(root, 'test/type-error/server.broken.ts'), 'utf8') })
    const file = join(dir, 'server.ts')
    // The check runs beside the grading and fills a cache; a grading that ends first goes on
    // without the note, so wait for the cache before asking again.
    const first = await cli(['lesson-1', '--dir', dir, '--json'])
    expect(first.exitCode).toBe(0)
    const deadline = Date.now() + 30_000
    while (!existsSync(cacheEntry(file)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    const json = JSON.parse((await cli(['lesson-1', '--dir', dir, '--json'])).stdout)
    expect(json.passed).toBe(true)
    expect(json.exercises[0].typeErrors).toEqual({
      count: 1,
      first: [{ at: `${file}:53:21`, code: 2769, message: expect.stringContaining("Argument of type 'string' is not assignable to parameter of type 'number'") }],
    })
    const text = await cli(['lesson-1', '--dir', dir])
    expect(text.exitCode).toBe(0)
    expect(text.stdout).toMatch(/✓ passed: 7 of 7 checks.*\n\nNote: TypeScript finds 1 type error in this file. It does not change the verdict.\n  .*server\.ts:53:21 TS2769: No overload matches this call/s)
    // The solutions are not type-checked for a note: the project's own tsc covers them.
    expect(JSON.parse((await cli(['lesson-1', '--solution', '--json'])).stdout).exercises[0].typeErrors).toBeUndefined()
  })
})

describe('processes', () => {
  test('graders running side by side each give the right verdict', async () => {
    const broken = submission({ 'lesson-1-server-basics/server.ts': readFileSync(fixture('lesson-1/server/never-closes.ts'), 'utf8') })
    const runs = await Promise.all([
      cli(['lesson-1', '--solution']),
      cli(['lesson-2', '--solution']),
      cli(['lesson-1', '--dir', broken]),
      cli(['lesson-1', '--solution']),
    ])
    expect(runs.map((run) => run.exitCode)).toEqual([0, 0, 1, 0])
  })

  /** Starts a grader on a program that never listens, and waits until that program runs.
   * The program prints nothing: a write to the dead grader's pipe would end it by EPIPE, and
   * hide whether the grader reaped it. */
  async function graderWithHangingProgram() {
    const dir = submission({ 'lesson-1-server-basics/server.ts': `setInterval(() => {}, 1000) // ${Date.now()}: new to the type-check cache\n` })
    const grader = spawn(process.execPath, [join(root, 'bin/netlings.mjs'), 'check', 'lesson-1', '--dir', dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    grader.stderr.on('data', (chunk) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => grader.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))))
    const deadline = Date.now() + 10_000
    while (survivors().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(survivors()).toHaveLength(1)
    return { grader, exited, stderr: () => stderr }
  }

  test('Ctrl-C stops the grader and every program it started', async () => {
    const { grader, exited, stderr } = await graderWithHangingProgram()
    const sent = Date.now()
    grader.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(Date.now() - sent).toBeLessThan(2000)
    expect(survivors()).toEqual([])
    expect(stderr()).toContain('stopping (SIGINT)')
  })

  test('a grader killed outright leaves no program behind', async () => {
    const { grader, exited } = await graderWithHangingProgram()
    grader.kill('SIGKILL')
    await exited
    // The program's preload notices it lost its parent and ends its own process group.
    expect(await survivorsAfter(3000)).toEqual([])
  })
})

