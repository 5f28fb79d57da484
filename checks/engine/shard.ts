// --shard i/n: one of n parts of a class, for n CI jobs that each grade a part and a last job
// that merges their JSON (commands/merge.ts). The parts depend on the submissions' names alone,
// so every job, given the same folders, cuts the same parts without talking to the others.

import { t } from '../text/lang.ts'

export interface Shard {
  /** 1-based, as the teacher writes it: 1/3, 2/3, 3/3. */
  index: number
  count: number
}

/** "2/3" → { index: 2, count: 3 }; anything else says what it takes, in one line. */
export function parseShard(text: string): Shard | string {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim())
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || index < 1 || index > count) {
    return t`--shard takes i/n, the i-th of n parts, with 1 ≤ i ≤ n (as in --shard 2/3), not "${text}".`
  }
  return { index, count }
}

/**
 * The shard's submissions: every n-th of them in sorted order, starting at the i-th. Every
 * submission is graded on the same exercises, so dealing them out one by one keeps the parts
 * within one submission of each other.
 */
export function shardOf<T>(submissions: T[], name: (submission: T) => string, shard: Shard): T[] {
  const sorted = [...submissions].sort((a, b) => compareNames(name(a), name(b)))
  return sorted.filter((_, position) => position % shard.count === shard.index - 1)
}

/** The order a class is graded and reported in, by UTF-16 code units as Array.sort's default,
 * so that a merged class lists its submissions as an unsharded run does. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
