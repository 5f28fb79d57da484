// Reproducible test data: every random choice in a grading run comes from one seed, printed on
// failure, so `--seed N` replays the exact bytes and split points the learner saw.

import { createCipheriv, createHash, randomBytes } from 'node:crypto'

export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
}

/** The largest seed: every whole number up to it is exact in a double, in JSON, on a command line. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER

/**
 * The generator behind a seed. A seed below 2^32 is mulberry32's state as it always was, so an
 * earlier run's `--seed 4821` replays the same bytes. A larger one (every new seed, nearly) is
 * hashed, all 53 bits, into sfc32's 128 bits of state: a program that sees some of the test
 * data cannot search the seeds for the rest (2^53 of them), nor the 2^32 states of mulberry32.
 */
export function createRandom(seed: number): Random {
  return drawing(seed >= 0 && seed < 2 ** 32 ? mulberry32(seed >>> 0) : sfc32(seed))
}

function drawing(next: () => number): Random {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return { next, int, pick: (items) => items[int(0, items.length - 1)]! }
}

/** mulberry32: tiny, fast and good enough for test data. */
function mulberry32(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** sfc32, its state the SHA-256 of the seed's decimal digits. */
function sfc32(seed: number): () => number {
  const digest = createHash('sha256').update(String(Math.trunc(seed))).digest()
  let [a, b, c, d] = [0, 4, 8, 12].map((at) => digest.readUInt32LE(at)) as [number, number, number, number]
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next() // the recommended warm-up
  return next
}

/** A seed for a new run, from the whole space (crypto: Math.random's state can be guessed). */
export function newSeed(): number {
  const bytes = randomBytes(8)
  return (bytes.readUInt32LE(0) & 0x1fffff) * 2 ** 32 + bytes.readUInt32LE(4)
}

/** Randomness that no seed decides and no output gives away: for what a program must not
 * learn the seed from (its loopback host). */
export function unseeded(): Random {
  return drawing(() => randomBytes(4).readUInt32LE(0) / 4294967296)
}

/** `length` bytes that look random, keyed from `random` (so a seed replays them): AES-CTR
 * over zeros, which the CPU does in hardware, ~20× faster than a generator written in JS. */
export function noise(random: Random, length: number): Buffer {
  const key = Buffer.from(Array.from({ length: 16 }, () => random.int(0, 255)))
  const iv = Buffer.from(Array.from({ length: 16 }, () => random.int(0, 255)))
  return createCipheriv('aes-128-ctr', key, iv).update(Buffer.alloc(length))
}
