// Lesson 4's test data and the words for what went wrong with it. The big files are made
// from the run's seed (so --seed replays them) by a fast generator (random.ts's noise), and hold what breaks
// text-minded code: every byte value, and invalid UTF-8 of every kind.

import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { quoteBytes } from '../../text/bytes.ts'
import { MiB, size } from '../../text/words.ts'
import type { Explain } from '../../engine/failure.ts'
import type { Connection } from '../../peers/connection.ts'
import { noise, type Random } from '../../engine/random.ts'
import { t } from '../../text/lang.ts'

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
  const data = noise(random, size)
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

/** How many times `needle` occurs in `haystack`. */
function occurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++
  return count
}

const prefix = (sha: string) => sha.slice(0, 16) + '…'

export interface Mismatch {
  message: string
  details: string[]
  why?: string
  see?: string
}

const TEXT_WHY = t(
  'A picture is bytes, not text. chunk.toString() (or setEncoding, or += on a string) decodes them as UTF-8, and every byte that is not valid UTF-8 becomes "\ufffd" (ef bf bd): the bytes are gone. Keep Buffers from end to end.',
)

/**
 * What is wrong with `got` when `expected` was right; undefined if nothing is. `subject`
 * leads each message to what the bytes are: "Your server sent", "Your … new.png holds". `what` names the data ("the picture", "the 100 MiB download"); `short` says
 * why bytes may be missing at the end, and where to read about it.
 */
export function describeMismatch(subject: string, what: string, expected: Buffer, got: Buffer, short: Explain = {}): Mismatch | undefined {
  if (got.equals(expected)) return undefined
  const sums = [
    t`Expected: ${size(expected.length)}, sha256 ${prefix(sha256(expected))}`,
    t`Received: ${size(got.length)}, sha256 ${prefix(sha256(got))}`,
  ]
  if (got.length === 0) return { message: t`${subject} none of ${what}: not a single byte.`, details: sums, ...short }
  if (occurrences(got, REPLACEMENT) > occurrences(expected, REPLACEMENT)) {
    const at = got.indexOf(REPLACEMENT)
    return {
      message: t`${subject} ${what} turned into text: "\ufffd" (ef bf bd) stands where the original has bytes that are not UTF-8.`,
      details: [...sums, t`Sent at byte ${at}:     ${quoteBytes(expected.subarray(at, at + 12))}`, t`Received at byte ${at}: ${quoteBytes(got.subarray(at, at + 12))}`],
      why: TEXT_WHY,
      see: 'bytes-not-text',
    }
  }
  if (got.length > expected.length && got.subarray(got.length - expected.length).equals(expected)) {
    return {
      message: t`${subject} old bytes, then ${what}: the ${got.length - expected.length} bytes the file held before come first. It was appended to, not replaced.`,
      details: [...sums, t`The file starts with: ${quoteBytes(got.subarray(0, 40))}`],
      why: "Open the file for writing, not appending: fs.createWriteStream(OUT) and fs.writeFileSync(OUT, data) replace what was there. The flag 'a' (like the seed's 'ab') keeps the old bytes and adds yours after them.",
      see: 'replace-do-not-append',
    }
  }
  if (got.length < expected.length && expected.subarray(0, got.length).equals(got)) {
    return {
      message: t`${subject} only the first ${size(got.length)} of ${what}, which is ${size(expected.length)}.`,
      details: sums,
      ...short,
    }
  }
  if (got.length < expected.length && expected.subarray(expected.length - got.length).equals(got)) {
    return {
      message: t`${subject} only the last ${size(got.length)} of ${what}: every chunk replaced the ones before it.`,
      details: sums,
      why: "fs.writeFileSync(OUT, chunk) in a 'data' handler starts the file afresh for every chunk. Write all the chunks: stream them into one write stream, or join them once at the end.",
      see: 'saving-what-arrives-fscreatewritestream',
    }
  }
  let first = 0
  while (first < got.length && got[first] === expected[first]) first++
  return {
    message: t`${subject} different bytes from ${what}, from byte ${first} on.`,
    details: [...sums, t`Sent at byte ${first}:     ${quoteBytes(expected.subarray(first, first + 12))}`, t`Received at byte ${first}: ${quoteBytes(got.subarray(first, first + 12))}`],
  }
}

// ---- Big transfers, compared as they arrive ---------------------------------------------
//
// Hashing costs the grader ~2 ms per MiB of its one thread, which every grading in a run
// shares (the tests grade several programs at once). Comparing with the expected bytes as
// they arrive costs a tenth of that, and says where the first difference is, too.

/** The data a transfer should carry: `block`, `copies` times over. */
export class Expected {
  readonly bytes: number

  constructor(
    readonly block: Buffer,
    readonly copies = 1,
  ) {
    this.bytes = block.length * copies
  }

  /** Up to `length` expected bytes from `offset` (fewer past the end). */
  slice(offset: number, length: number): Buffer {
    const parts: Buffer[] = []
    for (let at = offset; at < Math.min(offset + length, this.bytes); ) {
      const inBlock = at % this.block.length
      const part = this.block.subarray(inBlock, Math.min(this.block.length, inBlock + offset + length - at))
      parts.push(part)
      at += part.length
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
  }
}

/** How a transfer compared with what it should have been. */
export interface Compared {
  bytes: number
  /** Where the first byte that differs is, if any does (a byte past the end differs too). */
  differsAt?: number
  /** What arrived from there on: a few bytes. */
  window?: Buffer
  ms: number
}

/** Compares a stream of chunks with `expected`, keeping no more than a few bytes of it. */
export class Comparison {
  bytes = 0
  differsAt?: number
  window?: Buffer
  private readonly started = Date.now()

  constructor(readonly expected: Expected) {}

  push(chunk: Buffer): void {
    if (this.differsAt === undefined) {
      const want = this.expected.slice(this.bytes, chunk.length)
      if (want.length !== chunk.length || !want.equals(chunk)) {
        let i = 0
        while (i < want.length && want[i] === chunk[i]) i++
        this.differsAt = this.bytes + i
        this.window = Buffer.from(chunk.subarray(i, i + 12))
      }
    } else if (this.window!.length < 12) {
      this.window = Buffer.concat([this.window!, chunk.subarray(0, 12 - this.window!.length)])
    }
    this.bytes += chunk.length
  }

  result(): Compared {
    const differsAt = this.differsAt ?? (this.bytes < this.expected.bytes ? this.bytes : undefined)
    return { bytes: this.bytes, differsAt, window: this.window, ms: Date.now() - this.started }
  }
}

/** Connection.receiveAll, but comparing with the expected bytes as they arrive instead of hashing. */
export async function receiveCompared(connection: Connection, expected: Expected, ms: number): Promise<Compared> {
  const comparison = new Comparison(expected)
  await connection.receiveInto((chunk) => comparison.push(chunk), ms)
  return comparison.result()
}

/** A file compared with `expected`, read in pieces. */
export async function compareFile(path: string, expected: Expected): Promise<Compared> {
  const comparison = new Comparison(expected)
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) comparison.push(chunk as Buffer)
  return comparison.result()
}

/** What is wrong with a compared transfer; undefined if nothing is. */
export function describeCompared(subject: string, what: string, expected: Expected, got: Compared, short: Explain = {}): Mismatch | undefined {
  if (got.differsAt === undefined) return undefined
  const sizes = [t`Expected: ${size(expected.bytes)}`, t`Received: ${size(got.bytes)}`]
  if (got.bytes === 0) return { message: t`${subject} none of ${what}: not a single byte.`, details: sizes, ...short }
  if (got.bytes < expected.bytes && got.differsAt === got.bytes) {
    return { message: t`${subject} only the first ${size(got.bytes)} of ${what}, which is ${size(expected.bytes)}.`, details: sizes, ...short }
  }
  if (got.differsAt === expected.bytes) {
    return { message: t`${subject} ${size(got.bytes)}: all of ${what}, and then ${got.bytes - expected.bytes} bytes more.`, details: sizes }
  }
  const at = got.differsAt
  const window = got.window ?? Buffer.alloc(0)
  const details = [
    ...sizes,
    t`Sent at byte ${at}:     ${quoteBytes(expected.slice(at, 12))}`,
    t`Received at byte ${at}: ${quoteBytes(window)}`,
  ]
  if (window.subarray(0, 3).equals(REPLACEMENT)) {
    return { message: t`${subject} ${what} turned into text: "\ufffd" (ef bf bd) stands where the original has bytes that are not UTF-8.`, details, why: TEXT_WHY, see: 'bytes-not-text' }
  }
  return { message: t`${subject} different bytes from ${what}, from byte ${at} on.`, details }
}
