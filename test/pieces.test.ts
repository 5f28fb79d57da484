// The small parts the grader's messages rest on: showing bytes, placing a caret under CJK
// text, cutting writes inside a character, reading program output as whole lines.

import { describe, expect, test } from 'vitest'
import { caretDiff, displayWidth, escapeBytes, graphemes, quoteBytes, withoutCR } from '../checks/text/bytes.ts'
import { colors, wantsColor } from '../checks/text/style.ts'
import { sourceExcerpt } from '../checks/text/source.ts'
import { stderrToShow } from '../checks/run/ending.ts'
import { root } from './helpers.ts'
import { setLang } from '../checks/text/lang.ts'
import { size } from '../checks/text/words.ts'
import { splitPoints } from '../checks/peers/fragments.ts'
import { Transcript } from '../checks/peers/transcript.ts'
import { createRandom } from '../checks/engine/random.ts'
import { freePort, loopbackHost } from '../checks/run/ports.ts'
import { OutputLines, Program } from '../checks/run/program.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { anchorOf, sectionsOf } from '../lessons/sections.ts'

const 客 = Buffer.from('客') // e5 ae a2

describe('showing bytes', () => {
  test('valid UTF-8 as text, half a character as \\x escapes, controls escaped', () => {
    expect(escapeBytes('你好！\n')).toBe('你好！\\n')
    expect(escapeBytes(客.subarray(0, 2))).toBe('\\xe5\\xae')
    expect(escapeBytes(Buffer.concat([客.subarray(2), Buffer.from('户端\r\t"\\')]))).toBe('\\xa2户端\\r\\t\\"\\\\')
    expect(escapeBytes(Buffer.from([0x00, 0x7f, 0xff, 0xc0, 0x80]))).toBe('\\x00\\x7f\\xff\\xc0\\x80')
    expect(escapeBytes('拜拜 👋')).toBe('拜拜 👋')
  })

  test('long values are shortened in the middle', () => {
    const quoted = quoteBytes(Buffer.alloc(1000, 0x61), 20)
    expect(quoted).toBe('"aaaaaaaaaa" … 980 more bytes … "aaaaaaaaaa"')
  })

  test('the caret sits under the first differing byte, CJK counted as two columns', () => {
    const [expected, received, caret] = caretDiff('你好！\n', '你好！你好')
    expect(expected).toBe('Expected: "你好！\\n"')
    expect(received).toBe('Received: "你好！你好"')
    expect(caret!.indexOf('^')).toBe(displayWidth('Received: "你好！'))
    expect(caret).toContain('at byte 9')
    expect(displayWidth('你好！ab')).toBe(8)
  })

  test('in Chinese the caret still sits under the first differing byte: labels and text counted by display width', () => {
    setLang('zh-CN')
    try {
      const [expected, received, caret] = caretDiff('你好！\n', '你好！你好')
      expect(expected).toMatch(/^期望：/)
      expect(received).toMatch(/^收到：/)
      expect(displayWidth(expected!.slice(0, expected!.indexOf('"')))).toBe(displayWidth(received!.slice(0, received!.indexOf('"'))))
      expect(displayWidth(caret!.slice(0, caret!.indexOf('^')))).toBe(displayWidth(received!.slice(0, received!.indexOf('"') + 1) + '你好！'))
      expect(caret).toMatch(/[\u4e00-\u9fff]/)
    } finally {
      setLang('en')
    }
  })

  test('emoji from the lessons\' own data take two columns, as a terminal draws them, and a cut never splits one', () => {
    // ☕ is wide by itself; ☀️ is ☀ (narrow) made an emoji by U+FE0F: both are drawn two wide.
    expect(displayWidth('☕')).toBe(2)
    expect(displayWidth('☀️')).toBe(2)
    expect(displayWidth('今天天气不错 ☀️')).toBe(15)
    expect(graphemes('a☀️b')).toEqual(['a', '☀️', 'b'])
    const [, received, caret] = caretDiff('☕☕x', '☕☕y')
    expect(caret!.indexOf('^')).toBe(displayWidth(received!.slice(0, received!.indexOf('y'))))
  })

  test('colour: FORCE_COLOR wins, then NO_COLOR, then only a terminal', () => {
    const tty = { isTTY: true }
    const pipe = { isTTY: false }
    expect(wantsColor(tty, {})).toBe(true)
    expect(wantsColor(pipe, {})).toBe(false)
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false)
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true) // no-color.org: present and not empty
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true)
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false)
    expect(wantsColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true)
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false)
    expect(colors(false).red('x')).toBe('x')
    expect(colors(true).red('x')).toBe('\x1b[31mx\x1b[39m')
  })

  test('sizes name binary units as such', () => {
    expect(size(17)).toBe('17 bytes')
    expect(size(1024 * 1024)).toBe('1 MiB (1048576 bytes)')
    expect(size(20 * 1024 * 1024, false)).toBe('20 MiB')
    expect(size(3277, false)).toBe('3.2 KiB')
  })

  test('a difference far along a line: a window of both around it, never a caret hundreds of columns out', () => {
    const want = Buffer.concat([Buffer.alloc(150, 0), Buffer.from('x')])
    const got = Buffer.concat([Buffer.alloc(150, 0), Buffer.from('y')])
    const lines = caretDiff(want, got)
    for (const line of lines) expect(displayWidth(line)).toBeLessThan(220)
    expect(lines[0]).toBe('Expected 151 bytes, received 151.')
    expect(lines[1]).toBe(`From byte 138, expected: "…${'\\x00'.repeat(12)}x"`)
    expect(lines[2]).toBe(`From byte 138, received: "…${'\\x00'.repeat(12)}y"`)
    expect(lines[3]!.indexOf('^')).toBe(lines[2]!.lastIndexOf('y'))
  })

  test("a line of the learner's source with a caret under a column, CJK and tabs counted, long lines cut", () => {
    const [line, caret] = sourceExcerpt('a\n\tconst b = "你好"; c(]\n', 2, 20)
    expect(line).toBe('2 |   const b = "你好"; c(]')
    expect(caret).toBe(`  | ${' '.repeat(22)}^`) // under the ], 你好 being four columns wide
    const long = sourceExcerpt(`${'x'.repeat(300)}Y${'z'.repeat(300)}`, 1, 301)
    expect(long[0]).toMatch(/^1 \| …x+Yz+…$/)
    expect(displayWidth(long[0]!)).toBeLessThanOrEqual(80)
    expect(long[1]!.indexOf('^')).toBe(long[0]!.indexOf('Y'))
    expect(sourceExcerpt('one line', 5, 1)).toEqual([])
  })

  test('identical bytes have no caret; a trailing \\r is not part of a line', () => {
    expect(caretDiff('a', 'a')).toHaveLength(2)
    expect(withoutCR(Buffer.from('hi\r')).toString()).toBe('hi')
    expect(withoutCR(Buffer.from('hi')).toString()).toBe('hi')
  })
})

describe('cutting writes', () => {
  test('one cut falls inside a multi-byte character, and the seed decides the rest', () => {
    const bytes = Buffer.from('我是客户端~~\n')
    for (let seed = 0; seed < 50; seed++) {
      const cuts = splitPoints(bytes, 4, true, createRandom(seed))
      expect(cuts).toHaveLength(3)
      expect(cuts.some((cut) => (bytes[cut]! & 0xc0) === 0x80)).toBe(true)
      expect(splitPoints(bytes, 4, true, createRandom(seed))).toEqual(cuts)
    }
  })

  test('the transcript shows each write, and summarises many', () => {
    const transcript = new Transcript('test client 1', 'your server', Date.now())
    transcript.peerSent(Buffer.from('我是客户端~~\n'), [3, 4, 12], 30)
    transcript.programSent(Buffer.from('你'))
    transcript.programSent(Buffer.from('好！\n'))
    transcript.peerSent(Buffer.from('abc'), [1, 1, 1], 5)
    transcript.note('your server closed its side of the connection')
    expect(transcript.render()).toEqual([
      'test client 1 → "我"  "是\\xe5"  "\\xae\\xa2户端~~\\n"   (3 writes, 30 ms apart)',
      'your server   → "你好！\\n"',
      'test client 1 → "a"  "b"  "c"   (3 writes, 5 ms apart)',
      '                (your server closed its side of the connection)',
    ])
    const many = new Transcript('test client 1', 'your server', Date.now())
    many.peerSent(Buffer.from('0123456789'), Array(10).fill(1), 5)
    expect(many.render()).toEqual(['test client 1 → "0123456789" in 10 writes of 1 byte each, 5 ms apart'])
  })
})

describe('program output', () => {
  test('lines are decoded whole, even when a character spans two reads', () => {
    const output = new OutputLines((line) => line, () => {})
    const bytes = Buffer.from('客户端：我是客户端~~\r\nsecond')
    output.push(bytes.subarray(0, 2))
    output.push(bytes.subarray(2, 20))
    output.push(bytes.subarray(20))
    expect(output.lines).toEqual(['客户端：我是客户端~~'])
    expect(output.unfinished).toBe('second')
    output.end()
    expect(output.lines).toEqual(['客户端：我是客户端~~', 'second'])
  })
})

test("stderr is shown from its first error line, not only its tail; after a crash, only what came before Node's report", () => {
  const program = (lines: string[], crash?: object) =>
    ({ stderr: { tail: () => lines }, crash: () => crash, options: { file: '/x/server.ts' } }) as unknown as Parameters<typeof stderrToShow>[0]
  const debug = Array.from({ length: 20 }, (_, i) => `debug ${i}`)
  const traceback = ['Traceback (most recent call last):', '  File "server.py", line 3, in <module>', "NameError: name 'PORT' is not defined"]
  expect(stderrToShow(program([...debug, ...traceback, ...debug]))[0]).toBe('Traceback (most recent call last):')
  expect(stderrToShow(program(debug))).toEqual(debug.slice(-12))
  const report = ['file:///x/server.ts:13', '  socket.nothing.here()', '                 ^', '', "TypeError: Cannot read properties of undefined (reading 'here')", '    at Server.<anonymous> (/x/server.ts:13:50)']
  const crash = { origin: 'uncaughtException', name: 'TypeError', message: "Cannot read properties of undefined (reading 'here')" }
  expect(stderrToShow(program(['connection from 127.0.0.1', ...report], crash))).toEqual(['connection from 127.0.0.1'])
})

test('the same seed gives the same numbers', () => {
  const a = createRandom(7)
  const b = createRandom(7)
  const draws = Array.from({ length: 20 }, () => a.int(0, 1000))
  expect(Array.from({ length: 20 }, () => b.int(0, 1000))).toEqual(draws)
  expect(new Set(draws).size).toBeGreaterThan(10)
})

test.runIf(process.platform === 'linux')('each grading gets a loopback host of its own, the same again for the same seed, and one can listen there', async () => {
  const hosts = Array.from({ length: 50 }, (_, seed) => loopbackHost(createRandom(seed)))
  for (const host of hosts) expect(host).toMatch(/^127\.(\d+)\.(\d+)\.(\d+)$/)
  expect(hosts).not.toContain('127.0.0.1')
  expect(new Set(hosts).size).toBe(50)
  expect(loopbackHost(createRandom(7))).toBe(hosts[7])
  const port = await freePort(hosts[0])
  expect(port).toBeGreaterThanOrEqual(20000)
})

test('ports for learner servers come from below the ephemeral range', async () => {
  for (let i = 0; i < 20; i++) {
    const port = await freePort()
    expect(port).toBeGreaterThanOrEqual(20000)
    expect(port).toBeLessThan(32768)
  }
})

test('README headings become GitHub anchors; code blocks hold no headings', () => {
  expect(anchorOf('Closing: end() and destroy()')).toBe('closing-end-and-destroy')
  expect(anchorOf('TCP is a byte stream')).toBe('tcp-is-a-byte-stream')
  expect(anchorOf('发送 and 接收')).toBe('发送-and-接收')
  const sections = sectionsOf('# Title\n```sh\n# not a heading\n```\n## `end()` vs `destroy()`\n')
  expect(sections.map((s) => s.anchor)).toEqual(['title', 'end-vs-destroy'])
})

test('progress keeps each exercise’s last verdict, and survives a mangled file', async () => {
  const { readProgress, recordProgress } = await import('../checks/state/progress.ts')
  const file = join(mkdtempSync(join(tmpdir(), 'netlings-progress-')), 'progress.json')
  writeFileSync(file, '{ not json')
  expect(readProgress(file)).toEqual({})
  const check = (status: 'pass' | 'fail', stretch = false) => ({ name: 'x', stretch, status, durationMs: 1 })
  const result = (exercise: string, passed: boolean, checks: ReturnType<typeof check>[]) =>
    ({ lesson: 'lesson-1', exercise, number: '1.1', title: '', file: '', checks, passed, seed: 1, durationMs: 1 })
  recordProgress([result('server', false, [check('pass'), check('fail'), check('fail', true)])], file, new Date('2026-01-01T00:00:00Z'))
  recordProgress([result('other', true, [check('pass'), check('pass', true)])], file, new Date('2026-01-02T00:00:00Z'))
  expect(readProgress(file)).toEqual({
    'lesson-1/server': { status: 'fail', passed: 1, total: 2, stars: 0, starsTotal: 1, at: '2026-01-01T00:00:00.000Z' },
    'lesson-1/other': { status: 'pass', passed: 1, total: 1, stars: 1, starsTotal: 1, at: '2026-01-02T00:00:00.000Z' },
  })
})

test('a program\'s last output is never cut off by its exit, however late the grader reads it', async () => {
  // scripts/overload-drain.ts makes the grader learn of a program's exit before it has read the
  // program's last 60 KiB, then keeps its event loop busy past the old 200 ms drain timer.
  const { $ } = await import('zx')
  const run = await $({ nothrow: true, quiet: true, cwd: root })`node --import tsx scripts/overload-drain.ts 3 400`
  expect(run.stdout).toContain('stdout ended with lines missing in 0 of 3 runs')
}, 30_000)

test('an exit the grader hears of late, behind a busy event loop, still counts as an exit: the kernel is asked', async () => {
  // What a failure report waits for after a broken connection: under load the grader's timer
  // fires before its poll phase reads the SIGCHLD of a program that has already crashed, and
  // the learner was told of a reset instead of the crash.
  const file = join(mkdtempSync(join(tmpdir(), 'netlings-late-exit-')), 'crash.ts')
  const javascript = "console.log('ready'); process.stdin.once('data', () => process.exit(3))"
  writeFileSync(file, javascript)
  const busy = (ms: number) => {
    const until = Date.now() + ms
    while (Date.now() < until);
  }
  const seenAfterBusyLoop = async (wait: (program: InstanceType<typeof Program>) => Promise<unknown>) => {
    const program = new Program({ file, env: {}, label: 'your server', javascript })
    try {
      await new Promise<void>((resolve) => {
        const off = program.stdout.watch(() => program.stdout.lines.includes('ready') && (off(), resolve()))
      })
      program.writeInput('go\n')
      const waited = wait(program)
      busy(400) // the program exits meanwhile; the grader hears of it only in its next poll phase
      await waited
      return program.exit
    } finally {
      await program.stop()
    }
  }
  // The plain wait gives up first: what the report did before.
  if (process.platform === 'linux') expect(await seenAfterBusyLoop((p) => p.waitForExit(100))).toBeUndefined()
  expect(await seenAfterBusyLoop((p) => p.endedAfterAll(100))).toEqual({ code: 3, signal: null })
}, 20_000)

describe('a big transfer is judged by whether it moves, not by how long it takes', () => {
  test('a wait lasts as long as the progress grows, and ends once it has stood still for the stall time', async () => {
    const { settled, waitWhileMoving, whileMoving } = await import('../checks/engine/wait.ts')
    let moved = 0
    let done = false
    const mover = setInterval(() => moved++, 20)
    // 400 ms of steady progress: eight stall times of 50 ms.
    const finished = new Promise((resolve) => setTimeout(resolve, 400)).then(() => ((done = true), clearInterval(mover)))
    const started = Date.now()
    expect(await waitWhileMoving(() => done, [settled(finished)], () => moved, 50)).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(350)
    // Standing still: false after one to two stall times, however far it had come.
    const stalled = Date.now()
    expect(await waitWhileMoving(() => false, [], () => moved, 50)).toBe(false)
    expect(Date.now() - stalled).toBeLessThan(400)
    // A promise, kept waiting for while a counter moves; undefined once it stops; a rejection passed on.
    let count = 0
    const ticking = setInterval(() => count++, 10)
    const slow = new Promise((resolve) => setTimeout(() => resolve('all of it'), 300))
    expect(await whileMoving(slow, () => count, 60)).toEqual({ value: 'all of it' })
    clearInterval(ticking)
    expect(await whileMoving(new Promise(() => {}), () => count, 60)).toBeUndefined()
    await expect(whileMoving(Promise.reject(new Error('reset')), () => count, 60)).rejects.toThrow('reset')
  })
})

test("a program that has ended while its output still drains is diagnosed from that output: the crash, not the check's words", async () => {
  const { causeOf } = await import('../checks/engine/story.ts')
  const { CheckFailure } = await import('../checks/engine/failure.ts')
  const file = join(mkdtempSync(join(tmpdir(), 'netlings-draining-')), 'crash.ts')
  // A process it started holds its output open, so the output drains for a moment after the exit.
  const javascript = [
    "import { spawn } from 'node:child_process'",
    "spawn('sleep', ['2'], { stdio: 'inherit' })",
    "setTimeout(() => { throw new TypeError('The \"path\" argument must be of type string. Received undefined') }, 100)",
  ].join('\n')
  writeFileSync(file, javascript)
  const program = new Program({ file, env: {}, label: 'your server', javascript })
  try {
    while (program.running) await new Promise((resolve) => setTimeout(resolve, 2))
    expect(program.exit, 'ended, its status not yet known').toBeUndefined()
    expect(program.describeExit()).toBe('exited with code 1')
    const cause = await causeOf(program, new CheckFailure('Your server closed the connection without sending a byte.'))
    expect(cause).toMatchObject({ cause: 'crash' })
    expect(cause !== 'idle' && cause?.message).toContain('Received undefined')
  } finally {
    await program.stop()
  }
}, 20_000)
