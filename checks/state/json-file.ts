// The learner's state files (.netlings/*.json): read forgivingly, written whole.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** The file's JSON object, or `{}` when there is none yet or the learner mangled it. */
export function readJsonObject<T extends object>(file: string): T {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as T
  } catch {
    return {} as T
  }
}

/** Written aside and renamed, so that a reader (the site, a second grader) never sees half a file. */
export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`
  writeFileSync(temporary, JSON.stringify(value, null, 2) + '\n')
  renameSync(temporary, file)
}
