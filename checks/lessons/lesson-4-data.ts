// Lesson 4's test data and the words for what went wrong with it. The big files are made
// from the run's seed (so --seed replays them) by a fast generator, and hold what breaks
// text-minded code: every byte value, and invalid UTF-8 of every kind.

import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { quoteBytes } from '../bytes.ts'
import type { Received } from '../peers/connection.ts'
import type { Random } from '../random.ts'

export const MiB = 1024 * 1024

/** Byte sequences a UTF-8 decoder turns into U+FFFD, so text-minded code cannot keep them. */
export const INVALID_UTF8: readonly number[][] = [
  [0xff], // never valid in UTF-8
  [0xfe],
  [0xc0, 0x80], // an overlong NUL
  [0xc1, 0xbf], // overlong
  [0xe0, 0x80, 0x80], // overlong
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // a 5-byte form
  [0x80], // a lone continuation byte
  [0xbf, 0x80, 0xbf],
  [0xe5, 0xae], // 客 without its last byte
  [0xf0, 0x9f, 0x98], // 😀 without its last byte
  [0xc3], // é without its last byte
]

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]) // U+FFFD "�" in UTF-8

/**
 * `size` bytes decided by `random`: every byte value up and down, the invalid UTF-8 above,
 * pseudo-random bytes, the invalid sequences again at random places, and a character cut
 * short at the very end.
 */
export function binaryData(random: Random, size: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4))
  // xorshift128: the seed's generator picks the state, this one fills 50 MiB in ~60 ms.
  let a = random.int(1, 0xffffffff) >>> 0
  let b = random.int(0, 0xffffffff) >>> 0
  let c = random.int(0, 0xffffffff) >>> 0
  let d = random.int(0, 0xffffffff) >>> 0
  for (let i = 0; i < words.length; i++) {
    let t = a ^ (a << 11)
    a = b
    b = c
    c = d
    d = (d ^ (d >>> 19) ^ t ^ (t >>> 8)) >>> 0
    words[i] = d
  }
  const data = Buffer.from(words.buffer, 0, size)
  let at = 0
  for (let v = 0; v < 256; v++) data[at++] = v
  for (let v = 255; v >= 0; v--) data[at++] = v
  const catalogue = Buffer.from(INVALID_UTF8.flat())
  at += catalogue.copy(data, at)
  // Again every MiB or so, at a place the seed picks.
  for (let block = 1; block * MiB + 2 * catalogue.length < size; block++) {
    catalogue.copy(data, block * MiB + random.int(0, MiB - catalogue.length - 1))
  }
  data[size - 2] = 0xe5 // 客 without its last byte: the stream ends inside a character
  data[size - 1] = 0xae
  return data
}

export const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest('hex')
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** How many times `needle` occurs in `haystack`. */
function occurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++
  return count
}

export const size = (bytes: number) =>
  bytes >= MiB ? `${Number((bytes / MiB).toFixed(1))} MiB (${bytes} bytes)` : `${bytes} bytes`

const short = (sha: string) => sha.slice(0, 16) + '…'

export interface Mismatch {
  message: string
  details: string[]
  why?: string
  see?: string
}

const TEXT_WHY =
  'A picture is bytes, not text. chunk.toString() (or setEncoding, or += on a string) decodes them as UTF-8, and ' +
  'every byte that is not valid UTF-8 becomes "\ufffd" (ef bf bd): the bytes are gone. Keep Buffers from end to end.'

/**
 * What is wrong with `got`, the bytes `who` produced, when `expected` was right; undefined if
 * nothing is. `what` names the data ("the picture", "the 100 MiB download").
 */
export function describeMismatch(who: string, what: string, expected: Buffer, got: Buffer): Mismatch | undefined {
  if (got.equals(expected)) return undefined
  const sums = [
    `Expected: ${size(expected.length)}, sha256 ${short(sha256(expected))}`,
    `Received: ${size(got.length)}, sha256 ${short(sha256(got))}`,
  ]
  if (got.length === 0) return { message: `${who} produced no bytes at all of ${what}.`, details: sums }
  if (occurrences(got, REPLACEMENT) > occurrences(expected, REPLACEMENT)) {
    const at = got.indexOf(REPLACEMENT)
    return {
      message: `${who} turned the bytes of ${what} into text: they hold "\ufffd" (ef bf bd) where the original has bytes that are not UTF-8.`,
      details: [...sums, `Sent at byte ${at}:     ${quoteBytes(expected.subarray(at, at + 12))}`, `Received at byte ${at}: ${quoteBytes(got.subarray(at, at + 12))}`],
      why: TEXT_WHY,
      see: 'bytes-not-text',
    }
  }
  if (got.length > expected.length && got.subarray(got.length - expected.length).equals(expected)) {
    return {
      message: `${who} appended ${what} to what the file held before, instead of replacing it: ${got.length - expected.length} old bytes come first.`,
      details: [...sums, `The file starts with: ${quoteBytes(got.subarray(0, 40))}`],
      why: "Open the file for writing, not appending: fs.createWriteStream(OUT) and fs.writeFileSync(OUT, data) replace what was there. The flag 'a' (like the seed's 'ab') keeps the old bytes and adds yours after them.",
      see: 'replace-do-not-append',
    }
  }
  if (got.length < expected.length && expected.subarray(0, got.length).equals(got)) {
    return {
      message: `${who} stopped short: it has the first ${size(got.length)} of ${what}, which is ${size(expected.length)}.`,
      details: sums,
    }
  }
  if (got.length < expected.length && expected.subarray(expected.length - got.length).equals(got)) {
    return {
      message: `${who} has only the last ${size(got.length)} of ${what}: every chunk replaced the ones before it.`,
      details: sums,
      why: "fs.writeFileSync(OUT, chunk) in a 'data' handler starts the file afresh for every chunk. Write all the chunks: stream them into one write stream, or join them once at the end.",
      see: 'saving-what-arrives-fscreatewritestream',
    }
  }
  let first = 0
  while (first < got.length && got[first] === expected[first]) first++
  return {
    message: `${who} has different bytes from ${what}, from byte ${first} on.`,
    details: [...sums, `Sent at byte ${first}:     ${quoteBytes(expected.subarray(first, first + 12))}`, `Received at byte ${first}: ${quoteBytes(got.subarray(first, first + 12))}`],
  }
}

/** The same for a big transfer that the grader only hashed, knowing its first bytes. */
export function describeReceived(who: string, what: string, expected: { bytes: number; sha256: string; head: Buffer }, got: Received): Mismatch | undefined {
  if (got.bytes === expected.bytes && got.sha256 === expected.sha256) return undefined
  const sums = [
    `Expected: ${size(expected.bytes)}, sha256 ${short(expected.sha256)}`,
    `Received: ${size(got.bytes)}, sha256 ${short(got.sha256)}`,
    `It starts: ${quoteBytes(got.head.subarray(0, 24))}`,
    `Expected:  ${quoteBytes(expected.head.subarray(0, 24))}`,
  ]
  if (got.bytes === 0) return { message: `${who} sent none of ${what}.`, details: sums.slice(0, 2) }
  if (got.head.includes(REPLACEMENT) && !expected.head.includes(REPLACEMENT)) {
    return { message: `${who} turned the bytes of ${what} into text: they hold "\ufffd" (ef bf bd) where the file has bytes that are not UTF-8.`, details: sums, why: TEXT_WHY, see: 'bytes-not-text' }
  }
  if (got.bytes < expected.bytes) return { message: `${who} sent only ${size(got.bytes)} of ${what}, which is ${size(expected.bytes)}.`, details: sums }
  if (got.bytes > expected.bytes) return { message: `${who} sent ${size(got.bytes)}, more than ${what}, which is ${size(expected.bytes)}.`, details: sums }
  return { message: `${who} sent as many bytes as ${what} has, but different ones.`, details: sums }
}

/** Files in a program's folder, for "it wrote new.png, not OUT". */
export function filesIn(dir: string): Array<{ name: string; bytes: number }> {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ name: entry.name, bytes: statSync(join(dir, entry.name)).size }))
}
