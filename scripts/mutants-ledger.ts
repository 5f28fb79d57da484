// The ledger of equivalent mutants: the surviving mutants of solutions/ that a person has
// read and found to behave exactly like the solution, each with a one-line reason; and the few
// that do not, but that no check can see (marked unobservable: they count against the score).
// A mutant is named by where it is and what it changes, so an entry goes stale as soon as the
// line it names is edited, and must be read again.

import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Exercise, Lesson } from '../lessons/index.ts'

export const LEDGER = 'test/equivalent-mutants.json'
/** What the last run found, per exercise, and of which files: a test compares it with the
 * tree, so that a change to a solution or its checks calls for a new run. */
export const AUDIT = 'test/mutants-audit.json'

export interface Entry {
  /** "line:column" of the mutated code, 1-based, as Stryker reports it. */
  at: string
  mutator: string
  replacement: string
  why: string
  /** Not equivalent, but out of any check's sight (why says why): still a miss in the score. */
  unobservable?: true
}

/** Keyed by exercise: "lesson-1/server". */
export type Ledger = Record<string, Entry[]>

/** What one mutant did, reduced to what the ledger needs. */
export interface Outcome {
  at: string
  mutator: string
  replacement: string
  /** Killed: some check failed. Survived: every check passed. */
  survived: boolean
  /** The line of the solution it changes, for the reader. */
  source?: string
}

export function readLedger(file = LEDGER): Ledger {
  return JSON.parse(readFileSync(file, 'utf8')) as Ledger
}

// Generated code is compared without its layout: Stryker prints a replacement as it likes.
const squeeze = (code: string) => code.replace(/\s+/g, ' ').trim()
/** A mutant's name: where, which mutator, and what it puts there. */
export const mutantName = (m: { at: string; mutator: string; replacement: string }) => `${m.at} ${m.mutator} ${squeeze(m.replacement)}`

/** Orders mutant names (mutantName()) by where they are, then by name: Stryker reports the
 * mutants of one line in no fixed order, and the audit file must not change between two runs
 * that found the same. */
export function bySourcePosition(a: string, b: string): number {
  const [la = 0, ca = 0] = a.split(' ', 1)[0]!.split(':').map(Number)
  const [lb = 0, cb = 0] = b.split(' ', 1)[0]!.split(':').map(Number)
  return la - lb || ca - cb || (a < b ? -1 : a > b ? 1 : 0)
}

export interface Audit {
  killed: number
  equivalent: number
  /** Ledger entries marked unobservable that survived: explained, but not killed. */
  unobservable: number
  /** Survivors nobody has explained: a check or its data misses them. */
  unexplained: Outcome[]
  /** Entries that name no surviving mutant: the code changed, or a check now kills it. */
  stale: Array<Entry & { now: 'killed' | 'gone' }>
}

export function audit(outcomes: Outcome[], entries: Entry[] = []): Audit {
  const byKey = new Map(outcomes.map((outcome) => [mutantName(outcome), outcome]))
  const explained = new Set<string>()
  let unobservable = 0
  const stale: Audit['stale'] = []
  for (const entry of entries) {
    const outcome = byKey.get(mutantName(entry))
    if (outcome?.survived) {
      explained.add(mutantName(entry))
      if (entry.unobservable) unobservable++
    } else stale.push({ ...entry, now: outcome ? 'killed' : 'gone' })
  }
  const survivors = outcomes.filter((outcome) => outcome.survived)
  return {
    killed: outcomes.length - survivors.length,
    equivalent: explained.size - unobservable,
    unobservable,
    unexplained: survivors.filter((outcome) => !explained.has(mutantName(outcome))),
    stale,
  }
}

/** Killed out of the mutants that are not equivalent, in per cent. */
export function score(result: Audit): number {
  const real = result.killed + result.unexplained.length + result.unobservable
  return real === 0 ? 100 : (100 * result.killed) / real
}

/** The last run of one exercise. */
export interface AuditEntry {
  /** Of the solution and its checks (fingerprint()), when the run was made. */
  fingerprint: string
  seed: string
  mutants: number
  killed: number
  /** Every survivor, named by mutantName(). Which of them are explained is the ledger's to say
   * (test/mutants.test.ts compares the two), so nothing derived from it is stored here. */
  survivors: string[]
}

export type AuditFile = Record<string, AuditEntry>

export function readAudit(root: string): AuditFile {
  const file = join(root, AUDIT)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AuditFile) : {}
}

/** What a mutant's verdict depends on, of the files that change with one exercise: its
 * solution, its checks, and the helpers of its lesson and the stories lessons share; not the
 * other exercises' checks. The engine is left out: it changes for every lesson at once. */
export function fingerprint(root: string, lesson: Lesson, exercise: Exercise): string {
  const hash = createHash('sha256').update(readFileSync(join(root, 'solutions', lesson.slug, exercise.file)))
  const checks = join(root, 'checks', 'lessons', lesson.id)
  const others = new Set(lesson.exercises.filter((other) => other.id !== exercise.id).map((other) => `${other.id}.ts`))
  for (const name of readdirSync(checks).sort()) {
    // Translations change no verdict: the mutants are graded in English.
    if (!others.has(name) && name !== 'zh-CN.json') hash.update(`\0${name}\0`).update(readFileSync(join(checks, name)))
  }
  hash.update(readFileSync(join(root, 'checks', 'lessons', 'shared.ts')))
  return hash.digest('hex').slice(0, 16)
}

