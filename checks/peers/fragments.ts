// Where to cut bytes so that they hurt: inside a multi-byte character (a character cut in
// two reads is the byte stream's classic trap), at random places, or at chosen ones. The
// peers write the pieces; the pieces are all the same bytes, only their boundaries differ.

import type { Random } from '../engine/random.ts'

export interface FragmentOptions {
  /** How many writes; 'bytes' writes one byte at a time. Default 4. */
  pieces?: number | 'bytes'
  /** Pause between writes, so that each one reaches the program as a read of its own. */
  pauseMs?: number
  /** Make sure at least one write ends in the middle of a multi-byte character. */
  splitInsideCharacter?: boolean
  /** Called just before each write, with the offsets of the piece it writes. */
  beforeWrite?: (start: number, end: number) => void
}

/** Offsets at which to cut `bytes`, one of them inside a multi-byte character if asked. */
export function splitPoints(bytes: Uint8Array, pieces: number, insideCharacter: boolean, random: Random): number[] {
  const cuts = new Set<number>()
  if (insideCharacter) {
    const lead = bytes.findIndex((byte) => byte >= 0xc0)
    if (lead >= 0) {
      const length = bytes[lead]! >= 0xf0 ? 4 : bytes[lead]! >= 0xe0 ? 3 : 2
      cuts.add(lead + random.int(1, length - 1))
    }
  }
  const want = Math.min(pieces, bytes.length) - 1
  while (cuts.size < want) cuts.add(random.int(1, bytes.length - 1))
  return [...cuts].sort((a, b) => a - b)
}

/** Where every multi-byte character starts, with its length. */
export function characters(bytes: Buffer, from = 0, to = bytes.length): Array<[number, number]> {
  const found: Array<[number, number]> = []
  for (let i = from; i < to; i++) {
    const byte = bytes[i]!
    if (byte >= 0xc0) found.push([i, byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2])
  }
  return found
}

/** A cut strictly inside one of the multi-byte characters of bytes[from, to). */
export function cutInsideCharacter(bytes: Buffer, random: Random, from = 0, to = bytes.length): number {
  const [start, length] = random.pick(characters(bytes, from, to))
  return start + random.int(1, length - 1)
}

/** `cuts` plus random ones, sorted, unique, within (0, length). */
export function withRandomCuts(cuts: number[], length: number, total: number, random: Random): number[] {
  const all = new Set(cuts.filter((cut) => cut > 0 && cut < length))
  while (all.size < Math.min(total, length - 1)) all.add(random.int(1, length - 1))
  return [...all].sort((a, b) => a - b)
}

export const piecesOf = (bytes: Buffer, cuts: number[]) => [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length))
