// A class beyond one machine: --shard cuts it into parts that CI jobs grade apart, merge joins
// their JSON into the result one run would have given, and the class leaves as a CSV for a
// gradebook and an HTML page to read, in which a student's words are never markup.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CheckResult, ExerciseResult, RunResult } from '../checks/engine/results.ts'
import { parseShard, shardOf } from '../checks/engine/shard.ts'
import { csvField, renderCsv } from '../checks/report/csv.ts'
import { escapeHtml, renderHtml } from '../checks/report/html.ts'
import { renderExercise } from '../checks/report/text.ts'
import { cli, root, survivorsAfter } from './helpers.ts'

const check = (name: string, status: CheckResult['status'], stretch = false): CheckResult => ({ name, stretch, status, durationMs: 5 })

const graded = (submission: string, checks: CheckResult[], extra: Partial<ExerciseResult> = {}): ExerciseResult => ({
  submission,
  lesson: 'lesson-2',
  exercise: 'client',
  number: '2.1',
  title: 'A client',
  file: `${submission}/client.ts`,
  checks,
  passed: checks.every((c) => c.stretch || c.status === 'pass'),
  seed: 7,
  durationMs: 50,
  ...extra,
})

describe('--shard i/n', () => {
  const names = Array.from({ length: 10 }, (_, i) => `submissions/student-${String(i).padStart(2, '0')}`)
  test('n parts that hold every submission once, within one of each other, whatever order they came in', () => {
    const parts = [1, 2, 3].map((index) => shardOf([...names].reverse(), (name) => name, { index, count: 3 }))
    expect(parts.flat().sort()).toEqual(names)
    expect(parts.map((part) => part.length)).toEqual([4, 3, 3])
    expect(shardOf(names, (name) => name, { index: 2, count: 3 })).toEqual(parts[1])
  })
  test('i/n with 1 ≤ i ≤ n, and nothing else', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 })
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 })
    for (const bad of ['0/3', '4/3', 'x/y', '1/0', '1', '-1/3', '1/3/3', '']) expect(typeof parseShard(bad), bad).toBe('string')
  })
  test('a wrong one is one line and exit 2', async () => {
    const runs = await Promise.all(['0/3', '4/3', 'x/y'].map((shard) => cli(['lesson-2', '--dir', tmpdir(), '--shard', shard])))
    for (const run of runs) {
      expect(run.exitCode).toBe(2)
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(run.stderr).toMatch(/^netlings: --shard takes i\/n/)
    }
  })
})

describe('merge: bad input is one line and exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-merge-'))
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name))
  const result = (seed: number, lesson = 'lesson-2', submission = 'a'): RunResult => ({ passed: true, seed, exercises: [graded(submission, [check('ok', 'pass')], { lesson, seed })] })
  const seven = file('seven.json', JSON.stringify(result(7)))
  const cases: [string, string[], RegExp][] = [
    ['a missing file', [join(dir, 'nowhere.json')], /nowhere\.json: no such file\./],
    ['a folder', [dir], /not a regular file/],
    ['not JSON', [file('text.json', 'all passed!')], /text\.json: not JSON/],
    ['JSON of something else', [file('other.json', '{"version": 3, "status": "pass"}')], /other\.json: not the JSON of .* --reporter json \(no seed\)/],
    ['a check without its status', [file('status.json', JSON.stringify({ ...result(7), exercises: [graded('a', [{ name: 'x', stretch: false } as CheckResult])] }))], /check "x" has no status/],
    ['another seed', [seven, file('nine.json', JSON.stringify(result(9, 'lesson-2', 'b')))], /seven\.json was graded with seed 7 and .*nine\.json with seed 9/],
    ['another lesson', [seven, file('three.json', JSON.stringify(result(7, 'lesson-3', 'b')))], /grades lesson-2 client and .*three\.json grades lesson-3 client/],
    ['one shard twice', [seven, seven], /a is in both/],
  ]
  test.each(cases)('%s', async (_, files, says) => {
    const run = await cli(['merge', ...files])
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(says)
  })
})

describe('--reporter csv', () => {
  test('RFC 4180 quoting, and no cell a spreadsheet would run as a formula', () => {
    expect(csvField('ada')).toBe('ada')
    expect(csvField('Lovelace, Ada')).toBe('"Lovelace, Ada"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    for (const formula of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx']) expect(csvField(formula)).toMatch(/^"?'/)
    expect(csvField('=1,2')).toBe(`"'=1,2"`)
  })
  test('a row per student, a column of points per exercise, and the total', () => {
    const csv = renderCsv({
      passed: false,
      seed: 7,
      exercises: [
        graded('/class/ada', [check('a', 'pass'), check('b', 'pass'), check('c', 'fail', true)]),
        graded('/class/=SUM(1+2)*cmd|"calc"!A0, "bob"', [check('a', 'pass'), check('b', 'fail')]),
        graded('/class/cy\nnewline', [], { error: 'There is no file.', passed: false }),
      ],
    })
    expect(csv).toBe(['student,lesson-2 client,points', 'ada,2,2', `"'=SUM(1+2)*cmd|""calc""!A0, ""bob""",1,1`, '"cy\nnewline",0,0', ''].join('\r\n'))
  })
})

describe('--reporter html', () => {
  const hostile = '<script>alert(1)</script>\u001b[2J\u202e'
  const page = renderHtml({
    passed: false,
    seed: 7,
    exercises: [
      graded(`/class/${hostile}`, [check('greets', 'pass'), { ...check('answers', 'fail'), failure: { message: 'Your client sent "<img src=x onerror=alert(2)>".', details: ['  your client → "\u001b]52;c;aGk=\u0007"'] } }], {
        output: { label: 'your client', stdout: [], stderr: ['</pre><script>alert(3)</script>'], capped: false },
      }),
    ],
  })
  test('what a student wrote is text: escaped, with its control characters shown', () => {
    expect(page.match(/<script/g)).toHaveLength(1)
    expect(page).not.toMatch(/<img|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/)
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;\\x1b[2J\\u202e')
    expect(page).toContain('\\x1b]52;c;aGk=\\x07')
    expect(escapeHtml(`'"&<>`)).toBe('&#39;&#34;&#38;&#60;&#62;')
  })
  test('offline: nothing fetched, and no script runs but its own', () => {
    expect(page).not.toMatch(/<[a-z][^>]*\s(src|href|action)=|url\(|@import|https?:/i)
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[\w+/=]+'">/)
  })
})

describe('a class of 3, graded in one run and in 3 shards', () => {
  let base: string
  let dirs: string[]
  let whole: RunResult
  let merged: RunResult
  let mergeFiles: string[]

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'netlings-shards-'))
    // A student names their own folder: a comma, quotes and markup go all the way through.
    const programs: Record<string, string> = {
      'a-solution': 'solutions/lesson-2-client-basics/client.ts',
      'b-missing-newline': 'test/fixtures/lesson-2/client/missing-newline.ts',
      'c-<img src=x onerror=alert(1)>, "twice"': 'test/fixtures/lesson-2/client/sends-twice.ts',
    }
    dirs = Object.entries(programs).map(([name, file]) => {
      const dir = join(base, name)
      mkdirSync(join(dir, 'lesson-2-client-basics'), { recursive: true })
      copyFileSync(join(root, file), join(dir, 'lesson-2-client-basics', 'client.ts'))
      return dir
    })
    const runs = await Promise.all([
      cli(['lesson-2', '--dir', ...dirs, '--seed', '7', '--json']),
      ...[1, 2, 3].map((i) => cli(['lesson-2', '--dir', ...dirs, '--seed', '7', '--shard', `${i}/3`, '--json'])),
    ])
    expect(runs.map((run) => run.stderr)).toEqual(['', '', '', ''])
    whole = JSON.parse(runs[0]!.stdout)
    mergeFiles = runs.slice(1).map((run, i) => {
      const file = join(base, `shard-${i + 1}.json`)
      writeFileSync(file, run.stdout)
      return file
    })
    const merge = await cli(['merge', ...[...mergeFiles].reverse(), '--json'])
    expect(merge.exitCode).toBe(1)
    merged = JSON.parse(merge.stdout)
  }, 120_000)

  afterAll(async () => {
    expect(await survivorsAfter(1500)).toEqual([])
  })

  test('each shard graded one submission, and merged they are the class of the one run', () => {
    // Times differ between two runs, and so does how a program's writes were cut into reads,
    // which the exchange shows ("我是客户端~~\n" twice, in one read or in two): the verdicts, the
    // messages and the expected and received bytes must be the same.
    const timeless = (result: RunResult) =>
      JSON.parse(
        JSON.stringify(result, (key, value: unknown) => {
          if (key === 'durationMs') return 0
          if (key === 'details' && Array.isArray(value)) return value.filter((line: string) => !/^ {2}\S.* → /.test(line))
          return value
        }),
      )
    expect(whole.exercises.map((e) => [e.submission, e.passed])).toEqual([
      [dirs[0], true],
      [dirs[1], false],
      [dirs[2], false],
    ])
    expect(timeless(merged)).toEqual(timeless(whole))
  })

  test('the merged class as CSV and as the class table', async () => {
    const [csv, table] = await Promise.all([cli(['merge', ...mergeFiles, '--reporter', 'csv']), cli(['merge', ...mergeFiles])])
    expect(csv.stdout).toBe(['student,lesson-2 client,points', 'a-solution,4,4', 'b-missing-newline,2,2', '"c-<img src=x onerror=alert(1)>, ""twice""",2,2', ''].join('\r\n'))
    expect(table.stdout).toContain('1 of 3 submissions pass every exercise (seed 7).')
  })

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  describe.skipIf(!existsSync(chromium) && process.env.CI !== 'true')('the class page in Chromium', () => {
    let browser: Browser | undefined
    afterAll(async () => {
      await browser?.close()
    })

    test('sorts by a column, opens a failure as the text report shows it, and runs nothing of the students', async () => {
      const html = await cli(['merge', ...mergeFiles, '--reporter', 'html'])
      const file = join(base, 'class.html')
      writeFileSync(file, html.stdout)
      const { chromium: launcher } = await import('playwright-core')
      browser = await launcher.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } })
      const elsewhere: string[] = []
      const dialogs: string[] = []
      page.on('request', (request) => {
        if (request.url() !== pathToFileURL(file).href) elsewhere.push(request.url())
      })
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message())
        void dialog.dismiss()
      })
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      await page.goto(pathToFileURL(file).href)
      const names = () => page.locator('tbody th[scope=row]').allTextContents()
      expect(await names()).toEqual(['a-solution', 'b-missing-newline', 'c-<img src=x onerror=alert(1)>, "twice"'])

      // Points, low to high, then high to low; ties keep their order.
      await page.getByRole('button', { name: /^lesson-2 client/ }).click()
      expect(await names()).toEqual(['b-missing-newline', 'c-<img src=x onerror=alert(1)>, "twice"', 'a-solution'])
      expect(await page.locator('thead th').nth(1).getAttribute('aria-sort')).toBe('ascending')
      await page.getByRole('button', { name: /^lesson-2 client/ }).click()
      expect((await names())[0]).toBe('a-solution')
      await page.getByRole('button', { name: /^student/ }).click()
      expect((await names())[0]).toBe('a-solution')

      const cell = page.locator('tbody tr', { hasText: 'b-missing-newline' }).locator('td button')
      expect(await cell.textContent()).toBe('✗ 2/4')
      await cell.click()
      await expect.poll(() => page.locator('#report').isVisible()).toBe(true)
      const shown = await page.locator('#report-text').textContent()
      const exercise = merged.exercises.find((e) => e.submission === dirs[1])!
      expect(shown).toBe(renderExercise(exercise, { color: false, rerun: `npx netlings check lesson-2 client --dir ${dirs[1]}` }).join('\n'))
      expect(shown).toContain('Your client sent "我是客户端~~" and then closed the connection, with no newline at the end.')
      expect(shown).toContain('  test server → "\\xe4"')
      expect(shown).toContain('Why: A line ends with "\\n".')
      expect(await page.locator('#report-title').textContent()).toBe('b-missing-newline · lesson-2 client')

      const shot = join(base, 'class.png')
      await page.screenshot({ path: shot, fullPage: true })
      expect(statSync(shot).size).toBeGreaterThan(10_000)
      expect({ elsewhere, dialogs, errors }).toEqual({ elsewhere: [], dialogs: [], errors: [] })
    }, 60_000)
  })
})
