// Reproducible test data: every random choice in a grading run comes from one seed, printed on
// failure, so `--seed N` replays the exact bytes and split points the learner saw.

import { createCipheriv } from 'node:crypto'

export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
}

/** mulberry32: tiny, fast and good enough for test data. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return { next, int, pick: (items) => items[int(0, items.length - 1)]! }
}

export const newSeed = () => Math.floor(Math.random() * 100000)

/** `length` bytes that look random, keyed from `random` (so a seed replays them): AES-CTR
 * over zeros, which the CPU does in hardware, ~20× faster than a generator written in JS. */
export function noise(random: Random, length: number): Buffer {
  const key = Buffer.from(Array.from({ length: 16 }, () => random.int(0, 255)))
  const iv = Buffer.from(Array.from({ length: 16 }, () => random.int(0, 255)))
  return createCipheriv('aes-128-ctr', key, iv).update(Buffer.alloc(length))
}
