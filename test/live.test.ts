// The live display while grading runs: what a learner sees on the terminal, frame by frame,
// read off a test screen (test/screen.ts) rather than escape codes, with a fake clock.

import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { displayWidth } from '../checks/text/bytes.ts'
import { LiveStatus, eraseLive } from '../checks/report/live.ts'
import { Screen } from './screen.ts'

const MiB = 1024 * 1024
const SPIN = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]'

function setup(total: number, columns = 100, color = false) {
  const screen = new Screen()
  let written = ''
  let now = 0
  screen.write('$ npm run check lesson-4\n')
  const live = new LiveStatus(
    {
      columns,
      write: (text: string) => {
        written += text
        screen.write(text)
      },
    },
    { total, color, now: () => now },
  )
  return {
    live,
    screen,
    written: () => written,
    /** The clock and the frames move on together. */
    wait: (ms: number) => {
      now += ms
      vi.advanceTimersByTime(ms)
    },
  }
}

beforeEach(() => void vi.useFakeTimers())
afterEach(() => {
  eraseLive()
  vi.useRealTimers()
})

describe('the live display', () => {
  test('shows each exercise with its check, the checks passed so far and how many are graded', () => {
    const { live, screen, wait } = setup(3)
    const server = live.exerciseStarted({ lesson: 'lesson-4', exercise: 'image-server' })
    server.checkStarted({ name: 'listens on the HOST and PORT it is given', title: 'listens on the HOST and PORT it is given', stretch: false, index: 1, total: 8, bytes: () => 0 })
    server.checkEnded('pass')
    server.checkStarted({ name: 'sends every byte of the picture', title: 'sends every byte of the picture', stretch: false, index: 2, total: 8, bytes: () => 0 })
    server.checkEnded('fail')
    server.checkStarted({ name: 'keeps serving after a reset', title: 'keeps serving after a reset', stretch: true, index: 3, total: 8, bytes: () => 0 })
    const client = live.exerciseStarted({ lesson: 'lesson-4', exercise: 'image-client' })
    wait(100)
    const [prompt, first, second, footer, ...rest] = screen.lines()
    expect(prompt).toBe('$ npm run check lesson-4')
    expect(first).toMatch(new RegExp(`^${SPIN} lesson-4 image-server ✓✗  3/8  ⭐ keeps serving after a reset$`))
    expect(second).toMatch(new RegExp(`^${SPIN} lesson-4 image-client  starting…$`))
    expect(footer).toBe('  0 of 3 exercises graded')
    expect(rest).toEqual([])
    expect(screen.cursorVisible).toBe(false)
  })

  test('the spinner turns, and a big transfer shows its bytes and, after 2 s, its time', () => {
    const { live, screen, wait } = setup(1)
    let moved = 512 * 1024
    const job = live.exerciseStarted({ lesson: 'lesson-4', exercise: 'image-server' })
    job.checkStarted({ name: 'sends 50 MiB of every byte value', title: 'sends 50 MiB of every byte value', stretch: false, index: 4, total: 8, bytes: () => moved })
    wait(100)
    const before = screen.lines()[1]!
    // Under 1 MiB the count would only flicker; one exercise needs no "graded" line.
    expect(before).toMatch(new RegExp(`^${SPIN} lesson-4 image-server  4/8  sends 50 MiB of every byte value$`))
    expect(screen.lines()).toHaveLength(2)
    moved = 23.46 * MiB
    wait(100)
    const after = screen.lines()[1]!
    expect(after).toMatch(/ 4\/8  23\.5 MiB  sends 50 MiB/)
    expect(after[0]).not.toBe(before[0])
    moved = 50 * MiB
    wait(2000)
    expect(screen.lines()[1]).toMatch(/ 4\/8  50\.0 MiB  2 s  sends 50 MiB/)
  })

  test('a finished exercise leaves the display, the count goes up, and no stale line stays behind', () => {
    const { live, screen, wait } = setup(2)
    const one = live.exerciseStarted({ lesson: 'lesson-1', exercise: 'server' })
    const two = live.exerciseStarted({ lesson: 'lesson-2', exercise: 'client' })
    wait(100)
    expect(screen.lines()).toHaveLength(4)
    one.finished(false)
    wait(100)
    expect(screen.lines().slice(1)).toEqual([expect.stringMatching(/lesson-2 client/), '  1 of 2 exercises graded · 1 not passing yet'])
    two.finished(true)
    wait(100)
    expect(screen.lines().slice(1)).toEqual(['  2 of 2 exercises graded · 1 not passing yet'])
  })

  test('stop erases the display and gives the cursor back; the report then starts where the display was', () => {
    const { live, screen, wait, written } = setup(2)
    live.exerciseStarted({ lesson: 'lesson-1', exercise: 'server' })
    wait(300)
    live.stop()
    expect(screen.lines()).toEqual(['$ npm run check lesson-4'])
    expect(screen.cursorVisible).toBe(true)
    const length = written().length
    live.stop()
    wait(300)
    expect(written().length).toBe(length) // stopped means silent, however often asked
    screen.write('lesson-1 · lessons/lesson-1-server-basics/server.ts\n')
    expect(screen.lines()).toEqual(['$ npm run check lesson-4', 'lesson-1 · lessons/lesson-1-server-basics/server.ts'])
  })

  test('a grading that ends before the first frame writes nothing at all', () => {
    const { live, written } = setup(1)
    const job = live.exerciseStarted({ lesson: 'lesson-1', exercise: 'server' })
    job.finished(true)
    live.stop()
    expect(written()).toBe('')
  })

  test('lines never wrap: a narrow terminal cuts the check name, never the bytes, and counts CJK as two columns', () => {
    const { live, screen, wait } = setup(1, 44)
    const job = live.exerciseStarted({ lesson: 'lesson-3', exercise: 'chat-client' })
    job.checkStarted({ name: 'when the server says 拜拜, says so and exits with code 0', title: 'when the server says 拜拜, says so and exits with code 0', stretch: false, index: 6, total: 9, bytes: () => 3 * MiB })
    for (let i = 0; i < 5; i++) {
      wait(100)
      const line = screen.lines()[1]!
      expect(displayWidth(line)).toBeLessThanOrEqual(43)
      expect(line).toMatch(/ 6\/9  3\.0 MiB  when.*…$/)
    }
    job.checkStarted({ name: '拜拜拜拜拜拜拜拜拜拜拜拜拜拜', title: '拜拜拜拜拜拜拜拜拜拜拜拜拜拜', stretch: false, index: 7, total: 9, bytes: () => 0 })
    wait(100)
    expect(displayWidth(screen.lines()[1]!)).toBeLessThanOrEqual(43)
    expect(screen.lines()[1]).toMatch(/拜…$/)
  })

  test('a class shows whose submission each line is', () => {
    const { live, screen, wait } = setup(20)
    live.exerciseStarted({ lesson: 'lesson-1', exercise: 'server', submission: 'submissions/ada/' })
    wait(100)
    expect(screen.lines()[1]).toMatch(/ ada · lesson-1 server  starting…$/)
  })

  test('colours only when asked', () => {
    const plain = setup(1)
    plain.live.exerciseStarted({ lesson: 'lesson-1', exercise: 'server' })
    expect(plain.live.lines().join('')).not.toContain('\x1b')
    const painted = setup(1, 100, true)
    painted.live.exerciseStarted({ lesson: 'lesson-1', exercise: 'server' })
    expect(painted.live.lines().join('')).toContain('\x1b[1mlesson-1 server\x1b[22m')
  })

  test('an exit while it shows restores the cursor; once stopped it stops listening for the exit', () => {
    const before = process.listenerCount('exit')
    const { live, screen, wait } = setup(1)
    live.exerciseStarted({ lesson: 'lesson-1', exercise: 'server' })
    wait(100)
    expect(process.listenerCount('exit')).toBe(before + 1)
    process.listeners('exit').at(-1)!.call(process, 0)
    expect(screen.cursorVisible).toBe(true)
    expect(process.listenerCount('exit')).toBe(before)
  })
})
