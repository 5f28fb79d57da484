// The learner's helpers around the grader: `npm run hint`, `npm run reset`, and the
// maintainers' `npm run dev:check`. Each runs as a learner runs it, in a process of its own,
// with its state (progress, hints, lessons/) moved to temporary folders: the real lessons/
// and .netlings/ are never touched.

import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { $ } from 'zx'
import { describe, expect, test } from 'vitest'
import { allExercises, firstOpen, firstUnpassed, keyOf } from '../checks/commands/kit.ts'
import { hintAfter, nextHint } from '../checks/state/hints.ts'
import { findLesson, lessons } from '../lessons/index.ts'
import { root } from './helpers.ts'

interface Run {
  exitCode: number | null
  stdout: string
  stderr: string
}

/** One of the tools, with NETLINGS_PROGRESS (and so hints.json) in a fresh folder unless given. */
async function tool(name: 'hint' | 'reset' | 'dev-check', args: string[], env: Record<string, string> = {}): Promise<Run> {
  const state = mkdtempSync(join(tmpdir(), 'netlings-tools-'))
  const result = await $({
    nothrow: true,
    quiet: true,
    cwd: root,
    // stdin is a pipe here, never a terminal, as in CI.
    input: '',
    env: { ...process.env, NETLINGS_PROGRESS: join(state, 'progress.json'), ...env },
  })`node ${join(root, 'bin', 'netlings.mjs')} ${name} ${args}`
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)

describe('hint', () => {
  test('shows one more hint each call, then repeats the last and says so', async () => {
    const state = mkdtempSync(join(tmpdir(), 'netlings-hints-'))
    const env = { NETLINGS_PROGRESS: join(state, 'progress.json') }
    const echo = findLesson('lesson-3')!.exercises[0]!
    const total = echo.hints.length
    for (let n = 1; n <= total + 1; n++) {
      const run = await tool('hint', ['lesson-3', 'echo-server'], env)
      expect(run.exitCode).toBe(0)
      const shown = Math.min(n, total)
      expect(run.stdout).toContain(`Hint ${shown} of ${total}: `)
      expect(run.stdout).toContain(echo.hints[shown - 1]!.slice(0, 40))
      if (n > total) expect(run.stdout).toContain('no more hints')
      else expect(run.stdout).not.toContain('no more hints')
    }
    // Remembered beside the (temporary) progress file, not in the learner's .netlings/.
    expect(JSON.parse(readFileSync(join(state, 'hints.json'), 'utf8'))).toEqual({ 'lesson-3/echo-server': total })
  })

  test('without an exercise, picks the first one not passed yet', async () => {
    const state = mkdtempSync(join(tmpdir(), 'netlings-hints-'))
    const progress = join(state, 'progress.json')
    const passed = { status: 'pass', passed: 1, total: 1, stars: 0, starsTotal: 0, at: new Date().toISOString() }
    writeFileSync(progress, JSON.stringify({ 'lesson-3/echo-server': passed }))
    const run = await tool('hint', ['lesson-3'], { NETLINGS_PROGRESS: progress })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('3.2 A chat client')
    expect(run.stdout).toContain('Hint 1 of 3')

    const lesson = findLesson('lesson-3')!
    expect(firstUnpassed(lesson, {}).id).toBe('echo-server')
    const all = Object.fromEntries(lesson.exercises.map((e) => [`lesson-3/${e.id}`, passed])) as Parameters<typeof firstUnpassed>[1]
    expect(firstUnpassed(lesson, all).id).toBe('echo-server')
  })

  test('--all prints every hint and leaves the counter alone', async () => {
    const state = mkdtempSync(join(tmpdir(), 'netlings-hints-'))
    const run = await tool('hint', ['lesson-5', 'raw-get', '--all'], { NETLINGS_PROGRESS: join(state, 'progress.json') })
    expect(run.exitCode).toBe(0)
    for (let i = 1; i <= 3; i++) expect(run.stdout).toContain(`Hint ${i} of 3: `)
    expect(readdirSync(state)).toEqual([])
  })

  test('a raw control character in a hint is shown, not sent to the terminal', async () => {
    const run = await tool('hint', ['lesson-3', 'echo-server', '--all'])
    expect(run.stdout).not.toContain('\r')
  })

  test('nextHint counts from the gentlest and stops at the last', () => {
    const exercise = lessons[0]!.exercises[0]!
    expect(nextHint(exercise, 0)).toMatchObject({ shown: 1, exhausted: false })
    expect(nextHint(exercise, 2)).toMatchObject({ shown: 3, exhausted: false })
    expect(nextHint(exercise, 9)).toMatchObject({ shown: 3, exhausted: true })
  })

  test("a failure report's hint follows the failing check and the hints already read", () => {
    const server = findLesson('lesson-1')!.exercises[0]!
    const names = ['listens on the HOST and PORT it is given', 'greets each client with 你好！ and a newline', 'prints a line that arrives one byte at a time', 'closes the connection after the line', 'prints a line that ends where the stream ends, with no newline']
    const after = (failing: string, seen: number) => hintAfter(server, names, failing, seen)?.number
    // Not listening: the first hint, about listening; once read, still the one that names it.
    expect(after(names[0]!, 0)).toBe(1)
    expect(after(names[0]!, 1)).toBe(1)
    // Already greeting, but a line in bytes is printed wrong: hint 2 names that check, never
    // hint 1 about what passes already.
    expect(after(names[2]!, 0)).toBe(2)
    expect(after(names[2]!, 3)).toBe(2)
    // Closing after the line is hint 1's business too; the line that ends with the stream, hint 3's.
    expect(after(names[3]!, 0)).toBe(1)
    expect(after(names[4]!, 0)).toBe(3)
    // A check no hint names: the first hint about a later check, never one only about earlier ones.
    expect(hintAfter(server, [...names.slice(0, 3), 'a check no hint names', names[4]!], 'a check no hint names', 0)?.number).toBe(3)
    expect(hintAfter(server, names, 'no such check', 0)).toBeUndefined()
    // A hint that names no check is about the whole exercise: it fits any failure, unread first.
    const loose = { ...server, hintChecks: [[names[0]!], [], [names[0]!]] }
    expect(hintAfter(loose, names, names[2]!, 0)?.number).toBe(2)
    expect(hintAfter(loose, names, names[0]!, 1)?.number).toBe(3)
    expect(hintAfter(loose, names, names[0]!, 1)).toMatchObject({ total: 3, text: server.hints[2] })
    // Every hint naming it read: the most detailed of them again.
    expect(hintAfter(loose, names, names[0]!, 3)?.number).toBe(3)
    expect(hintAfter(loose, names, names[2]!, 3)?.number).toBe(2)
  })

  test('with no lesson, like rustlings hint: the first exercise of the course not passed yet', async () => {
    const state = mkdtempSync(join(tmpdir(), 'netlings-hints-'))
    const progress = join(state, 'progress.json')
    writeFileSync(progress, JSON.stringify({ 'lesson-1/server': { status: 'pass' }, 'lesson-2/client': { status: 'pass' }, 'lesson-3/echo-server': { status: 'fail' } }))
    const run = await tool('hint', [], { NETLINGS_PROGRESS: progress })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toContain('3.1 ')
    expect(run.stdout).toContain('lessons/lesson-3-echo-chat/echo-server.ts')
    expect(run.stdout).toContain('Hint 1 of')
  })

  test('with no lesson and every exercise passed: one line saying so, exit 0', async () => {
    const state = mkdtempSync(join(tmpdir(), 'netlings-hints-'))
    const progress = join(state, 'progress.json')
    writeFileSync(progress, JSON.stringify(Object.fromEntries(allExercises().map(({ lesson, exercise }) => [keyOf(lesson, exercise), { status: 'pass' }]))))
    const run = await tool('hint', [], { NETLINGS_PROGRESS: progress })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1)
    expect(run.stdout).toContain('Every exercise passes')
    expect(run.stdout).not.toContain('Hint ')
    expect(readdirSync(state)).toEqual(['progress.json']) // no hint counted

    // The same "current exercise" as the menu's: kit's firstOpen.
    expect(firstOpen(JSON.parse(readFileSync(progress, 'utf8')))).toBeUndefined()
    expect(firstOpen({ 'lesson-1/server': { status: 'pass' } } as unknown as Parameters<typeof firstOpen>[0])?.exercise.file).toBe('client.ts')
  })

  test.each([
    ['an unknown lesson, listing the valid ones', ['lesson-9'], 'There is no lesson "lesson-9"'],
    ['an unknown exercise, listing the lesson’s', ['lesson-3', 'nope'], 'Its exercises: echo-server, chat-client, chat-server'],
    ['an unknown option', ['lesson-1', '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('usage error: %s → exit 2', async (_, args, message) => {
    const run = await tool('hint', args)
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain(message)
    expect(run.stderr).toContain('lesson-5   HTTP GET')
    noStackTrace(run.stderr)
  })
})

describe('reset', () => {
  /** A throwaway copy of lessons/ for NETLINGS_LESSONS_DIR. */
  function lessonsCopy(): string {
    const dir = mkdtempSync(join(tmpdir(), 'netlings-lessons-'))
    cpSync(join(root, 'lessons'), dir, { recursive: true })
    return dir
  }

  test('--yes puts the starter back, byte for byte, and only the file named', async () => {
    const dir = lessonsCopy()
    const echo = join(dir, 'lesson-3-echo-chat', 'echo-server.ts')
    const chat = join(dir, 'lesson-3-echo-chat', 'chat-client.ts')
    writeFileSync(echo, '// my work\n')
    writeFileSync(chat, '// my other work\n')
    const run = await tool('reset', ['lesson-3', 'echo-server', '--yes'], { NETLINGS_LESSONS_DIR: dir })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('is the starter again')
    expect(readFileSync(echo)).toEqual(readFileSync(join(root, 'starters', 'lesson-3-echo-chat', 'echo-server.ts')))
    expect(readFileSync(chat, 'utf8')).toBe('// my other work\n')
  })

  test('without a terminal and without --yes it refuses, exit 2, and changes nothing', async () => {
    const dir = lessonsCopy()
    const echo = join(dir, 'lesson-3-echo-chat', 'echo-server.ts')
    writeFileSync(echo, '// my work\n')
    const run = await tool('reset', ['lesson-3'], { NETLINGS_LESSONS_DIR: dir })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('no terminal to ask on')
    expect(run.stderr).toContain('--yes')
    noStackTrace(run.stderr)
    expect(readFileSync(echo, 'utf8')).toBe('// my work\n')
  })

  test('a file that is already the starter needs no reset, and no question', async () => {
    const run = await tool('reset', ['lesson-1'], { NETLINGS_LESSONS_DIR: lessonsCopy() })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('already the starter')
  })

  test('an unknown exercise is a usage error listing the valid ones', async () => {
    const run = await tool('reset', ['lesson-4', 'nope', '--yes'], { NETLINGS_LESSONS_DIR: lessonsCopy() })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('Its exercises: image-server, image-client')
    noStackTrace(run.stderr)
  })
})

test.each(lessons.flatMap((lesson) => lesson.exercises.map((e) => [`${lesson.slug}/${e.file}`] as const)))(
  'starters/%s is byte-identical to the starter in lessons/',
  (path) => {
    const hint = 'edited a starter? run `npm run dev:check -- --fix-starters` to copy it to starters/'
    expect(readFileSync(join(root, 'starters', path)).equals(readFileSync(join(root, 'lessons', path))), hint).toBe(true)
  },
)

describe('dev:check', () => {
  test('--quick passes on the repository as it is', async () => {
    const run = await tool('dev-check', ['--quick'])
    expect(run.stderr).toBe('')
    expect(run.stdout).not.toContain('✗')
    expect(run.stdout).toContain('lesson-3 chat-server: pristine copy starters/lesson-3-echo-chat/chat-server.ts equals the starter')
    expect(run.stdout).toMatch(/✓ (\d+) of \1 fine\./)
    expect(run.exitCode).toBe(0)
  })

  test('an unknown option is a usage error', async () => {
    const run = await tool('dev-check', ['--frobnicate'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('Usage: npx netlings dev-check')
    noStackTrace(run.stderr)
  })
})
