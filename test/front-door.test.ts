// netlings <command>: one front door for every command, started as plain JavaScript from a
// bundle that is rebuilt whenever a source changes, so that it can never be stale.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { $ } from 'zx'
import { root } from './helpers.ts'

// Inside the project, as the real one is: the bundle finds its packages in node_modules above it.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true })
const bundleDir = mkdtempSync(join(root, 'node_modules', '.cache', 'netlings-test-'))
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }))

async function netlings(...args: string[]) {
  const run = await $({ nothrow: true, quiet: true, cwd: root, input: '', env: { ...process.env, NETLINGS_BUNDLE_DIR: bundleDir } })`node ${join(root, 'bin', 'netlings.mjs')} ${args}`
  return { code: run.exitCode, stdout: run.stdout, stderr: run.stderr }
}

const bundle = join(bundleDir, 'netlings.mjs')
const manifest = join(bundleDir, 'netlings.inputs.json')

test('with no command it lists the commands; an unknown one is a usage error', async () => {
  const listing = await netlings()
  expect(listing.code).toBe(2)
  for (const name of ['check', 'watch', 'hint', 'reset', 'peer', 'merge', 'menu', 'dev-check']) expect(listing.stdout).toMatch(new RegExp(`^  ${name} `, 'm'))
  const unknown = await netlings('frobnicate')
  expect(unknown.code).toBe(2)
  expect(unknown.stderr).toContain('there is no command "frobnicate"')
  expect((await netlings('help')).code).toBe(0)
})

test('each command answers --help with its own usage, exit 2, and no stack trace', async () => {
  for (const name of ['check', 'watch', 'hint', 'reset', 'peer', 'merge', 'menu', 'dev-check']) {
    const run = await netlings(name, '--help')
    expect(run.code, name).toBe(2)
    expect(run.stderr, name).toMatch(/^Usage: npx netlings /)
    expect(run.stderr).not.toMatch(/^\s+at /m)
  }
})

test('the bundle is built once, reused while its sources are unchanged, and rebuilt when one changes', async () => {
  expect((await netlings('hint', 'lesson-1', '--all')).code).toBe(0)
  const inputs = JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: Record<string, [number, number]> }
  // The bundle holds the commands, the engine, every lesson's checks and the registry.
  for (const file of ['checks/commands/netlings.ts', 'checks/engine/story.ts', 'checks/lessons/lesson-5/raw-get.ts', 'lessons/index.ts']) expect(Object.keys(inputs.inputs)).toContain(file)
  const built = statSync(bundle).mtimeMs
  expect((await netlings('hint', 'lesson-1', '--all')).code).toBe(0)
  expect(statSync(bundle).mtimeMs).toBe(built)

  // A bundle whose recorded source no longer matches is never run: a stale one that would
  // only say "stale" is replaced before anything runs.
  writeFileSync(bundle, 'console.log("stale")\n')
  const record = JSON.parse(readFileSync(manifest, 'utf8'))
  record.bundle = statSync(bundle).size
  record.inputs['checks/commands/hint.ts'][1] += 1 // as if hint.ts had been edited
  writeFileSync(manifest, JSON.stringify(record))
  const run = await netlings('hint', 'lesson-1', '--all')
  expect(run.stdout).not.toContain('stale')
  expect(run.stdout).toContain('Hint 1 of')
  expect(readFileSync(bundle, 'utf8')).not.toBe('console.log("stale")\n')

  // A new file changes no recorded file, only its folder: a lesson's checks are imported by a
  // pattern that takes in the files there when the bundle is built. (The file goes into a
  // folder no test lists, not into a lesson's, whose listing other tests read meanwhile.)
  const rebuilt = statSync(bundle).mtimeMs
  const added = join(root, 'checks', 'text', `added-${process.pid}.ts`)
  writeFileSync(added, 'export {}\n')
  try {
    expect((await netlings('hint', 'lesson-1', '--all')).code).toBe(0)
    expect(statSync(bundle).mtimeMs).not.toBe(rebuilt)
  } finally {
    rmSync(added, { force: true })
  }
})
