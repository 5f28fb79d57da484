// The grader, watch and the menu in a real pseudo-terminal (test/terminal.ts), as a learner
// sees them: the spinner while grading and a clean report after it, q and Ctrl-C in raw mode,
// the menu's screens. Each run ends by asking stty whether the terminal was given back in
// the mode it was found in (icanon: lines, not raw keys).

import { cpSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { root, survivorsAfter } from './helpers.ts'
import { hasScript, inTerminal, type Terminal } from './terminal.ts'

// `script` is part of Debian's essential packages; CI must have it, a laptop may not.
if (!hasScript && process.env.CI) throw new Error('util-linux `script` is missing: the terminal tests need it')

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/
const STTY = 'echo "[tty: $(stty -a | grep -o -- "-\\?icanon" | head -n 1)]"'
const node = (command: string, ...args: string[]) => [process.execPath, join(root, 'bin', 'netlings.mjs'), command, ...args]

const open: Terminal[] = []
const temps: string[] = []

function run(argv: string[], env: Record<string, string> = {}): Terminal {
  const progress = join(tempDir(), 'progress.json')
  const terminal = inTerminal(argv, { cwd: root, env: { NETLINGS_PROGRESS: progress, ...env }, after: STTY })
  open.push(terminal)
  return terminal
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-terminal-'))
  temps.push(dir)
  return dir
}

/** A copy of lessons/ to grade and edit, so the learner's own files are never touched. */
function lessonsCopy(): string {
  const copy = join(tempDir(), 'lessons')
  cpSync(join(root, 'lessons'), copy, { recursive: true })
  return copy
}

afterEach(async () => {
  for (const terminal of open.splice(0)) terminal.kill()
  expect(await survivorsAfter(3000)).toEqual([])
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!hasScript)('in a terminal', () => {
  test('check: a spinner with the bytes moved while grading, then only the report, and the cursor back', async () => {
    const terminal = run(node('check', 'lesson-4', 'image-client', '--solution'))
    // The 100 MiB check, the 5th of 9, shows its bytes moving.
    await terminal.waitFor(/lesson-4 image-client ✓+  5\/9  \d+\.\d MiB/)
    expect(await terminal.exited).toBe(0)
    const screen = terminal.screen()
    const text = screen.text()
    expect(text).toContain('lesson-4 · solutions/lesson-4-image-server/image-client.ts')
    expect(text).toContain('✓ saves 100 MiB of every byte value')
    expect(text).toMatch(/✓ passed: 5 of 5 checks/)
    // Erased before the report: no spinner line is left on the screen.
    expect(text).not.toMatch(SPINNER)
    expect(screen.cursorVisible).toBe(true)
    expect(text).toContain('[tty: icanon]')
  }, 60_000)

  test('check --json: nothing but JSON, even on a terminal', async () => {
    const terminal = run(node('check', 'lesson-1', 'server', '--solution', '--json'))
    expect(await terminal.exited).toBe(0)
    const output = terminal.raw().replaceAll('\r\n', '\n')
    expect(output).not.toContain('\x1b')
    const json = output.slice(0, output.indexOf('[tty:'))
    expect(JSON.parse(json)).toMatchObject({ passed: true, exercises: [{ lesson: 'lesson-1', exercise: 'server', passed: true }] })
  }, 30_000)

  test('watch: q quits at once, leaving nothing running and the terminal as it was', async () => {
    const lessons = lessonsCopy()
    const terminal = run(node('watch', 'lesson-1', 'server'), { NETLINGS_LESSONS_DIR: lessons })
    await terminal.waitFor(/Press q to quit\./)
    expect(terminal.screen().text()).toMatch(/✗ not yet/)
    const pressed = Date.now()
    terminal.type('q')
    expect(await terminal.exited).toBe(0)
    expect(Date.now() - pressed).toBeLessThan(3000)
    expect(terminal.screen().text()).toContain('[tty: icanon]')
  }, 30_000)

  test('watch: a save re-grades; Ctrl-C in the middle of a grading stops it, erases the spinner, restores the terminal', async () => {
    const lessons = lessonsCopy()
    const terminal = run(node('watch', 'lesson-4', 'image-server'), { NETLINGS_LESSONS_DIR: lessons })
    await terminal.waitFor(/Press q to quit\./)
    // The solution takes seconds to grade (50 MiB and more): long enough to interrupt.
    const mark = terminal.raw().length
    copyFileSync(join(root, 'solutions', 'lesson-4-image-server', 'image-server.ts'), join(lessons, 'lesson-4-image-server', 'image-server.ts'))
    await terminal.waitFor(/lesson-4 image-server ✓✓/, 20_000, mark)
    terminal.type('\x03')
    expect(await terminal.exited).toBe(130)
    const screen = terminal.screen()
    expect(screen.text()).toContain('netlings: stopping (Ctrl-C); cleaning up.')
    expect(screen.text()).not.toMatch(SPINNER)
    expect(screen.cursorVisible).toBe(true)
    expect(screen.text()).toContain('[tty: icanon]')
    expect(await survivorsAfter(2000)).toEqual([])
  }, 60_000)

  test('npm run check with no lesson: the menu, an exercise checked from it, its mark updated, then quit', async () => {
    const lessons = lessonsCopy()
    const progress = join(tempDir(), 'progress.json')
    writeFileSync(progress, JSON.stringify({ 'lesson-1/server': { status: 'pass', passed: 7, total: 7, stars: 3, starsTotal: 3, at: new Date().toISOString() } }))
    const terminal = run(node('check'), { NETLINGS_LESSONS_DIR: lessons, NETLINGS_PROGRESS: progress })

    await terminal.waitFor(/Pick an exercise/)
    await terminal.waitFor(/lesson-5 raw-get/)
    let text = terminal.screen().text()
    expect(text).toMatch(/✓ 1\.1\s+lesson-1 server/)
    expect(text).toMatch(/○ 3\.1\s+lesson-3 echo-server/)
    // The first exercise not passed yet is the one picked out.
    expect(text).toMatch(/❯\s+○ 2\.1\s+lesson-2 client/)

    // Enter picks it; Enter again picks "Check it", and the report comes with a spinner first.
    let mark = terminal.raw().length
    terminal.type('\r')
    await terminal.waitFor(/Check it/, 10_000, mark)
    mark = terminal.raw().length
    terminal.type('\r')
    await terminal.waitFor(/✗ not yet/, 20_000, mark)
    await terminal.waitFor(/Check it/, 10_000, terminal.raw().indexOf('✗ not yet', mark))
    text = terminal.screen().text()
    expect(text).toContain('lesson-2 · ')
    expect(text).not.toMatch(SPINNER)

    // Back (four down) to the list: the exercise is marked ✗ now.
    mark = terminal.raw().length
    terminal.type('\x1b[B\x1b[B\x1b[B\x1b[B')
    await terminal.waitFor(/❯\s+Back/, 10_000, mark)
    mark = terminal.raw().length
    terminal.type('\r')
    await terminal.waitFor(/Pick an exercise/, 10_000, mark)
    await terminal.waitFor(/lesson-5 raw-get/, 10_000, mark)
    expect(terminal.screen().text()).toMatch(/❯\s+✗ 2\.1\s+lesson-2 client/)

    // Ctrl-C at a question leaves the menu, with code 0 and the terminal as it was.
    terminal.type('\x03')
    expect(await terminal.exited).toBe(0)
    expect(terminal.screen().text()).toContain('[tty: icanon]')
    expect(terminal.screen().cursorVisible).toBe(true)
  }, 60_000)
})
