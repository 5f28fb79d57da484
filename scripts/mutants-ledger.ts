// The ledger of equivalent mutants: the surviving mutants of solutions/ that a person has
// read and found to behave exactly like the solution, each with a one-line reason. A mutant
// is named by where it is and what it changes, so an entry goes stale as soon as the line it
// names is edited, and must be read again.

import { readFileSync } from 'node:fs'

export const LEDGER = 'test/equivalent-mutants.json'

export interface Entry {
  /** "line:column" of the mutated code, 1-based, as Stryker reports it. */
  at: string
  mutator: string
  replacement: string
  why: string
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
const keyOf = (m: { at: string; mutator: string; replacement: string }) => `${m.at} ${m.mutator} ${squeeze(m.replacement)}`

export interface Audit {
  killed: number
  equivalent: number
  /** Survivors nobody has explained: a check or its data misses them. */
  unexplained: Outcome[]
  /** Entries that name no surviving mutant: the code changed, or a check now kills it. */
  stale: Array<Entry & { now: 'killed' | 'gone' }>
}

export function audit(outcomes: Outcome[], entries: Entry[] = []): Audit {
  const byKey = new Map(outcomes.map((outcome) => [keyOf(outcome), outcome]))
  const explained = new Set<string>()
  const stale: Audit['stale'] = []
  for (const entry of entries) {
    const outcome = byKey.get(keyOf(entry))
    if (outcome?.survived) explained.add(keyOf(entry))
    else stale.push({ ...entry, now: outcome ? 'killed' : 'gone' })
  }
  const survivors = outcomes.filter((outcome) => outcome.survived)
  return {
    killed: outcomes.length - survivors.length,
    equivalent: explained.size,
    unexplained: survivors.filter((outcome) => !explained.has(keyOf(outcome))),
    stale,
  }
}

/** Killed out of the mutants that are not equivalent, in per cent. */
export function score(result: Audit): number {
  const real = result.killed + result.unexplained.length
  return real === 0 ? 100 : (100 * result.killed) / real
}
