// npm run site keeps the served site current: a new verdict from the grader, or a lesson file
// that changes, rebuilds it. Driven as a learner runs it, on a port of its own.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { root } from './helpers.ts'

const dir = mkdtempSync(join(tmpdir(), 'netlings-site-watch-'))
const progress = join(dir, 'progress.json')
const site = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/site.ts'), '--port', '0', '--out', join(dir, 'dist')], {
  cwd: root,
  // Without the test runner's NODE_OPTIONS: its hooks are for vitest's own workers, not for a
  // program the test starts.
  env: { ...process.env, NETLINGS_PROGRESS: progress, NODE_OPTIONS: '' },
  stdio: ['ignore', 'pipe', 'pipe'],
})
let output = ''
site.stdout.on('data', (chunk) => (output += chunk))
site.stderr.on('data', (chunk) => (output += chunk))

afterAll(() => {
  site.kill()
  rmSync(dir, { recursive: true, force: true })
})

/** Waits until the site has printed `pattern` `count` times (builds are counted this way). */
async function printed(pattern: RegExp, count = 1, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  const seen = () => (output.match(new RegExp(pattern, 'g')) ?? []).length
  while (seen() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
  expect(seen(), output).toBeGreaterThanOrEqual(count)
}

const homePasses = async (url: string) => ((await (await fetch(url)).text()).match(/data-mark="pass"/g) ?? []).length

test('a new verdict and a changed lesson file each rebuild the served site', async () => {
  await printed(/serving the lesson site at /)
  const url = /serving the lesson site at (\S+)/.exec(output)![1]!
  expect(await homePasses(url)).toBe(0)
  const builds = () => (output.match(/built \d+ pages/g) ?? []).length

  // The grader records a pass: the home page shows it after the rebuild.
  writeFileSync(progress, JSON.stringify({ 'lesson-1/server': { status: 'pass', passed: 7, total: 7, stars: 3, starsTotal: 3, at: new Date().toISOString() } }))
  const beforeVerdict = builds()
  await printed(/changed: .*progress/)
  await printed(/built \d+ pages/, beforeVerdict + 1)
  expect(await homePasses(url)).toBeGreaterThan(0)

  // A lesson file is saved, as an editor saves it (the same bytes here, so the repo is unchanged).
  const readme = join(root, 'lessons', 'lesson-2-client-basics', 'README.md')
  writeFileSync(readme, readFileSync(readme))
  const beforeSave = builds()
  await printed(/changed: .*lessons\//)
  await printed(/built \d+ pages/, beforeSave + 1)
  expect((await fetch(`${url}lesson-2-client-basics.html`)).status).toBe(200)
}, 40_000)
