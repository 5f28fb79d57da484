// npm start: the menu. Without a terminal it only prints the list and the usage; in a terminal
// it is driven here in-process with prompts.inject. Progress and hints go to temporary files;
// grading reads the real lessons/ and never writes into it.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import prompts from 'prompts'
import { $ } from 'zx'
import { describe, expect, test } from 'vitest'
import { lessons } from '../lessons/index.ts'
import { actionQuestion, listQuestion, runMenu } from '../checks/commands/menu.ts'
import { lang, setLang, settingsFile } from '../checks/text/lang.ts'
import { livePrograms } from '../checks/run/program.ts'
import { root, survivorsAfter } from './helpers.ts'

const entry = (status: 'pass' | 'fail') => ({ status, passed: status === 'pass' ? 4 : 1, total: 4, stars: 0, starsTotal: 0, at: new Date().toISOString() })

function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-menu-'))
  return { dir, files: { progress: join(dir, 'progress.json'), hints: join(dir, 'hints.json') } }
}

function collect() {
  const out: string[] = []
  return { out, print: (text: string) => void out.push(text), text: () => out.join('\n') }
}

describe('menu without a terminal', () => {
  test('lists every lesson and exercise with its mark, then the usage, and exits 0 without asking', async () => {
    const { files } = stateDir()
    writeFileSync(files.progress, JSON.stringify({ 'lesson-1/server': entry('pass'), 'lesson-3/echo-server': entry('fail') }))
    const started = Date.now()
    const run = await $({
      nothrow: true,
      quiet: true,
      cwd: root,
      input: '', // a pipe, not a terminal: it must not wait for an answer
      timeout: '20s',
      env: { ...process.env, NETLINGS_PROGRESS: files.progress },
    })`node ${join(root, 'bin', 'netlings.mjs')} menu`
    expect(run.exitCode, run.stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    for (const lesson of lessons) {
      expect(run.stdout).toContain(`${lesson.id.padEnd(9)} ${lesson.title}`)
      for (const exercise of lesson.exercises) {
        const key = `${lesson.id}/${exercise.id}`
        const mark = key === 'lesson-1/server' ? '✓' : key === 'lesson-3/echo-server' ? '✗' : '○'
        const line = new RegExp(`^  ${mark} ${exercise.number.replace('.', '\\.')}\\s+${exercise.id}\\s+`, 'm')
        expect(run.stdout, key).toMatch(line)
      }
    }
    expect(run.stdout).toContain(`1 of ${lessons.flatMap((l) => l.exercises).length} exercises passed`)
    for (const command of ['npm run check lesson-1', 'npm run hint', 'npm run watch', 'npm run site']) expect(run.stdout).toContain(command)
    expect(run.stdout).not.toContain('Pick an exercise')
  })
})

describe('menu in a terminal (prompts.inject)', () => {
  test('an exercise, then "hint" shows its first hint; then quit', async () => {
    const { files } = stateDir()
    const io = collect()
    prompts.inject(['lesson-2/client', 'hint', 'quit'])
    await expect(runMenu({ print: io.print, interactive: true, files })).resolves.toBe(0)
    const client = lessons.find((l) => l.id === 'lesson-2')!.exercises[0]!
    expect(io.text()).toContain(`Hint 1 of ${client.hints.length}: `)
    expect(io.text()).toContain(client.hints[0]!.slice(0, 40))
    // Remembered, through the hint module, beside the (temporary) progress file.
    expect(JSON.parse(readFileSync(files.hints, 'utf8'))).toEqual({ 'lesson-2/client': 1 })
  })

  test('an exercise, then "check" grades the starter (✗ not yet) and records it; back, then quit', async () => {
    const { files } = stateDir()
    const io = collect()
    const before = readFileSync(join(root, 'lessons', 'lesson-2-client-basics', 'client.ts'))
    prompts.inject(['lesson-2/client', 'check', 'back', 'quit'])
    await expect(runMenu({ print: io.print, interactive: true, files })).resolves.toBe(0)
    expect(io.text()).toContain('lesson-2 · ')
    expect(io.text()).toContain('✗ not yet')
    expect(io.text()).toContain('netlings check lesson-2 client')
    const progress = JSON.parse(readFileSync(files.progress, 'utf8'))
    expect(Object.keys(progress)).toEqual(['lesson-2/client'])
    expect(progress['lesson-2/client'].status).toBe('fail')
    // Grading only reads lessons/, and leaves nothing running.
    expect(readFileSync(join(root, 'lessons', 'lesson-2-client-basics', 'client.ts')).equals(before)).toBe(true)
    expect(livePrograms()).toBe(0)
    expect(await survivorsAfter(3000)).toEqual([])
  })

  test('"reset" asks first: no keeps the file, yes puts the starter back (in a temporary lessons/)', async () => {
    const { dir, files } = stateDir()
    const lessonsDir = join(dir, 'lessons')
    cpSync(join(root, 'lessons', 'lesson-3-echo-chat'), join(lessonsDir, 'lesson-3-echo-chat'), { recursive: true })
    const echo = join(lessonsDir, 'lesson-3-echo-chat', 'echo-server.ts')
    writeFileSync(echo, '// my work\n')
    const io = collect()
    prompts.inject(['lesson-3/echo-server', 'reset', false, 'reset', true, 'reset', 'quit'])
    await expect(runMenu({ print: io.print, interactive: true, files, lessonsDir })).resolves.toBe(0)
    expect(io.out).toContain('Nothing was changed.')
    expect(io.text()).toContain('is the starter again')
    expect(io.text()).toContain('is already the starter')
    expect(readFileSync(echo).equals(readFileSync(join(root, 'starters', 'lesson-3-echo-chat', 'echo-server.ts')))).toBe(true)
  })

  test('Ctrl-C (a cancelled prompt) quits the menu', async () => {
    const { files } = stateDir()
    const io = collect()
    prompts.inject([new Error('cancelled')])
    await expect(runMenu({ print: io.print, interactive: true, files })).resolves.toBe(0)
  })

  test('"English / 简体中文" switches to Chinese at once, and remembers it in the settings file', async () => {
    const { files } = stateDir()
    // Another setting the file holds stays as it was.
    mkdirSync(dirname(settingsFile), { recursive: true })
    writeFileSync(settingsFile, JSON.stringify({ other: 1 }))
    const io = collect()
    try {
      prompts.inject(['language', 'zh-CN', 'lesson-2/client', 'hint', 'quit'])
      await expect(runMenu({ print: io.print, interactive: true, files })).resolves.toBe(0)
      expect(lang()).toBe('zh-CN')
      expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({ other: 1, lang: 'zh-CN' })
      expect(io.text()).toContain('语言：简体中文。')
      // The hint that followed, and the menu's questions from now on, are in Chinese.
      expect(io.text()).toContain('提示 1/')
      const client = lessons.find((l) => l.id === 'lesson-2')!
      expect(listQuestion({}).message).toBe('选一个练习（✓ 通过，✗ 还没通过，○ 还没试过）')
      expect(actionQuestion(client, client.exercises[0]!).choices).toContainEqual(expect.objectContaining({ title: '评测', value: 'check' }))
      const listed = collect()
      await runMenu({ print: listed.print, interactive: false, files })
      expect(listed.text()).toContain('个练习中已通过')
      expect(listed.text()).not.toContain('exercises passed')
    } finally {
      setLang('en')
      rmSync(settingsFile, { force: true })
    }
    expect(listQuestion({}).message).toBe('Pick an exercise (✓ passed, ✗ not yet, ○ not tried)')
  })
})
