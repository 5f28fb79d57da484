// The learner's type errors, as TypeScript reports them: a note beside the verdict, never part
// of it. The answer is kept in .netlings/types/, one entry per file, by content: a file that has
// not changed since its last check is answered at once, without TypeScript.
//
// Loading TypeScript and parsing the Node types takes 1.5-2.5 s of CPU, more than a lesson-1
// grading, and on 2 cores it slowed a verdict by a second when it ran beside it (npm run bench).
// So a file the cache does not know is checked once the grading is done, in a process of its own
// (typecheck-child.mjs) at the lowest priority: the report goes out without waiting, and the next
// run, or watch mode when the check is done, shows the note. (TypeScript's own incremental
// .tsbuildinfo would save only the last ~0.1 s: the parse is the cost.)

import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { inProject } from '../engine/paths.ts'
import type { TypeErrors } from '../engine/results.ts'
import { progressFile } from '../state/progress.ts'

/** What TypeScript says of one file: how many errors, and the first few. */
export interface FileTypeErrors {
  count: number
  first: { line: number; column: number; code: number; message: string }[]
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

export interface TypeCheck {
  /** What the cache already knows of the files: their errors, at once. */
  known: Map<string, FileTypeErrors>
  /**
   * Checks the files the cache does not know yet, in a process of its own, and keeps the answer
   * for the next run. Called once the grading is done, so that TypeScript takes no CPU from it.
   * With `wait`, resolves to every file's errors once the check is done (watch mode prints the
   * note then); without, the process goes on alone for a few seconds after the grader ends.
   */
  check(wait: boolean): Promise<Map<string, FileTypeErrors>>
}

/** Where the process filling the cache says who it is: a new grading stops an older one,
 * whose file has changed since, instead of competing with it for the CPU. */
const checkerPid = join(cacheDir, 'checker.pid')

function stopEarlierChecker(): void {
  try {
    const pid = Number(readFileSync(checkerPid, 'utf8'))
    // Only if that process is still a type check (a pid can be reused).
    if (pid > 0 && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('NETLINGS_TYPECHECK=1')) process.kill(-pid, 'SIGKILL')
  } catch {
    // None, gone, or not on Linux.
  }
}

/** What the cache knows of these TypeScript files (absolute paths), and a way to check the rest. */
export function typeCheck(files: string[]): TypeCheck {
  const known = new Map<string, FileTypeErrors>()
  let setting: string
  try {
    setting = [version('typescript'), version('@types/node'), readFileSync(inProject('tsconfig.json'), 'utf8')].join('\0')
  } catch {
    return { known, check: async () => known }
  }
  const missing: Entry[] = []
  for (const file of new Set(files)) {
    const entry = entryOf(file, setting)
    const hit = entry && cached(entry)
    if (hit) known.set(file, hit)
    else if (entry) missing.push(entry)
  }
  if (missing.length > 0) stopEarlierChecker()
  return {
    known,
    check: (wait) => (missing.length === 0 ? Promise.resolve(new Map(known)) : runChecker(missing, known, wait)),
  }
}

function runChecker(missing: Entry[], known: Map<string, FileTypeErrors>, wait: boolean): Promise<Map<string, FileTypeErrors>> {
  // A group of its own, at the lowest priority: a grader that ends leaves it to finish and fill
  // the cache (a Ctrl-C to the grader stops it too: stopTypeChecks).
  const checker = spawn(process.execPath, [child, JSON.stringify({ tsconfig: inProject('tsconfig.json'), files: missing })], {
    detached: true,
    stdio: ['ignore', wait ? 'pipe' : 'ignore', 'ignore'],
    env: { ...process.env, NETLINGS_TYPECHECK: '1' }, // so that a later grading knows it (stopEarlierChecker)
  })
  try {
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(checkerPid, String(checker.pid ?? ''))
  } catch {
    // Then a later grading cannot stop it: it only competes for a few seconds.
  }
  running.add(checker)
  const done = new Promise<void>((resolve) => {
    checker.on('error', () => resolve())
    checker.on('close', () => resolve())
  }).finally(() => running.delete(checker))
  if (!wait) {
    checker.unref()
    return Promise.resolve(new Map(known))
  }
  let text = ''
  checker.stdout!.setEncoding('utf8')
  checker.stdout!.on('data', (chunk: string) => (text += chunk))
  return done.then(() => {
    const found = new Map(known)
    try {
      const answer = JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as Record<string, FileTypeErrors>
      for (const [file, errors] of Object.entries(answer)) found.set(file, errors)
    } catch {
      // It broke, or was cut short: no note.
    }
    return found
  })
}

/** One file's errors as the result model keeps them, each at `<shown path>:line:column`. */
export function noteOf(errors: FileTypeErrors | undefined, shown: string): TypeErrors | undefined {
  if (!errors || errors.count === 0) return undefined
  return { count: errors.count, first: errors.first.map(({ line, column, code, message }) => ({ at: `${shown}:${line}:${column}`, code, message })) }
}
