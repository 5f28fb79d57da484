// The learner's type errors, as TypeScript reports them: a note beside the verdict, never part
// of it. The check runs in a process of its own (typecheck-child.mjs) started with the grading,
// so it costs the verdict no time. Its answer is kept in .netlings/types/, one entry per file,
// by content: a file that has not changed since is answered at once, without TypeScript.
//
// Loading TypeScript and parsing the Node types takes ~1.3 s, longer than a quick grading
// (lesson 1: ~0.5 s). So when the grading is done first, the grader waits at most GRACE_MS,
// and only when the check has already reached its last step; otherwise it goes on without the
// note, and the check finishes alone to fill the cache: the next run shows it. (TypeScript's
// own incremental .tsbuildinfo would save only the last ~0.1 s: the parse is the cost.)

import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { inProject } from '../engine/paths.ts'
import type { TypeErrors } from '../engine/results.ts'
import { progressFile } from '../state/progress.ts'

/** What TypeScript says of one file: how many errors, and the first few. */
export interface FileTypeErrors {
  count: number
  first: { line: number; column: number; code: number; message: string }[]
}

export interface TypeCheck {
  /** Each file's errors, once the check is done or GRACE_MS has passed (files it had not
   * finished by then are left out). Never throws. */
  settle(): Promise<Map<string, FileTypeErrors>>
  /** Each file's errors once the check is done, however long it takes (watch mode prints the
   * note when it comes). Never throws. */
  finished(): Promise<Map<string, FileTypeErrors>>
}

const running = new Set<ChildProcess>()

/** On Ctrl-C and the like: a check that would have filled the cache goes too. (A grader that
 * ends normally leaves it to finish, for a few seconds, so that the next run has its answer.) */
export function stopTypeChecks(): void {
  for (const checker of running) {
    try {
      if (checker.pid !== undefined) process.kill(-checker.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  running.clear()
}

/** How long a finished grading waits for a check in its last step. */
export const GRACE_MS = 150

/** Beside progress.json (NETLINGS_PROGRESS moves it, as it moves hints.json). */
const cacheDir = join(dirname(progressFile), 'types')
const child = inProject('checks/run/typecheck-child.mjs')

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(inProject(`node_modules/${pkg}/package.json`), 'utf8')) as { version: string }).version
  } catch {
    return 'none'
  }
}

interface Entry {
  file: string
  key: string
  entry: string
}

function entryOf(file: string, setting: string): Entry | undefined {
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  return { file, key: hash(`${setting}\0${file}\0${source}`), entry: cacheEntry(file) }
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex')

/** Where a file's last answer is kept: one entry per file, replaced when it changes. */
export const cacheEntry = (file: string) => join(cacheDir, `${hash(file).slice(0, 32)}.json`)

function cached(entry: Entry): FileTypeErrors | undefined {
  try {
    const found = JSON.parse(readFileSync(entry.entry, 'utf8')) as FileTypeErrors & { key?: string }
    return found.key === entry.key && Array.isArray(found.first) ? { count: found.count, first: found.first } : undefined
  } catch {
    return undefined
  }
}

/** Starts checking these TypeScript files (absolute paths); the ones unchanged since their
 * last check are answered from the cache. */
export function startTypeCheck(files: string[]): TypeCheck {
  const found = new Map<string, FileTypeErrors>()
  let setting: string
  try {
    setting = [version('typescript'), version('@types/node'), readFileSync(inProject('tsconfig.json'), 'utf8')].join('\0')
  } catch {
    return { settle: async () => found, finished: async () => found }
  }
  const missing: Entry[] = []
  for (const file of new Set(files)) {
    const entry = entryOf(file, setting)
    const hit = entry && cached(entry)
    if (hit) found.set(file, hit)
    else if (entry) missing.push(entry)
  }
  if (missing.length === 0) return { settle: async () => found, finished: async () => found }

  let checking = false
  let finished = false
  let text = ''
  // A group of its own: a grader that ends leaves it to finish and fill the cache (a Ctrl-C to
  // the grader stops it too: stopTypeChecks).
  const checker = spawn(process.execPath, [child, JSON.stringify({ tsconfig: inProject('tsconfig.json'), files: missing })], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, NETLINGS_TYPECHECK: '1' }, // so that a test can find it
  })
  running.add(checker)
  const done = new Promise<void>((resolve) => {
    checker.on('error', () => resolve())
    checker.on('close', () => resolve())
  }).finally(() => running.delete(checker))
  checker.stdout!.setEncoding('utf8')
  checker.stdout!.on('data', (chunk: string) => {
    text += chunk
    checking ||= text.includes('checking\n')
  })
  const answered = done.then(() => {
    finished = true
    try {
      const answer = JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as Record<string, FileTypeErrors>
      for (const [file, errors] of Object.entries(answer)) found.set(file, errors)
    } catch {
      // It broke, or was cut short: no note.
    }
  })
  return {
    async settle() {
      if (!finished && checking) {
        let timer: NodeJS.Timeout | undefined
        await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, GRACE_MS)))])
        clearTimeout(timer)
      }
      if (!finished) {
        // It goes on alone and leaves its answer in the cache; the grader need not wait for it.
        checker.stdout!.destroy()
        checker.unref()
      }
      return new Map(found)
    },
    async finished() {
      await answered
      return new Map(found)
    },
  }
}

/** One file's errors as the result model keeps them, each at `<shown path>:line:column`. */
export function noteOf(errors: FileTypeErrors | undefined, shown: string): TypeErrors | undefined {
  if (!errors || errors.count === 0) return undefined
  return { count: errors.count, first: errors.first.map(({ line, column, code, message }) => ({ at: `${shown}:${line}:${column}`, code, message })) }
}
