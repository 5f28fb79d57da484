// A failed expectation, in the learner's terms. Waits and expectations throw it; the story
// runner adds the exchange and the program's output, and the reporters show it.

import { tr } from '../text/lang.ts'

/** What a check says about a failure beyond the bare facts: why it matters, where to read. */
export interface Explain {
  why?: string
  /** A README anchor: `tcp-is-a-byte-stream` in the check's own lesson, or `lesson-1#…`. */
  see?: string
}

export class CheckFailure extends Error {
  details: string[]
  why?: string
  see?: string

  constructor(message: string, details: string[] = [], explain: Explain = {}) {
    super(message)
    this.name = 'CheckFailure'
    this.details = details
    // A why is written in English where the check is; it is said in the learner's language.
    this.why = explain.why === undefined ? undefined : tr(explain.why)
    this.see = explain.see
  }

  /** Adds the check's explanation where the place that threw had none of its own. */
  explained(explain: Explain | undefined): this {
    this.why ??= explain?.why === undefined ? undefined : tr(explain.why)
    this.see ??= explain?.see
    return this
  }
}

export function fail(message: string, details: string[] = [], explain: Explain = {}): never {
  throw new CheckFailure(message, details, explain)
}

/** Runs `work`, and gives any CheckFailure it throws the caller's explanation. */
export async function explaining<T>(explain: Explain | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof CheckFailure) error.explained(explain)
    throw error
  }
}
