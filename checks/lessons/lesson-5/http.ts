// What lesson 5's three clients share: the data's constants, cuts that split the body where
// it hurts (inside a character, inside a chunk size), chunked framing, and the request checks.

import { explaining, fail } from '../../engine/failure.ts'
import type { Random } from '../../engine/random.ts'
import type { HttpPeer, RecordedRequest } from '../../peers/http.ts'
import type { Program } from '../../run/program.ts'
import { capitalize } from '../../text/words.ts'
import { describeRequest } from './expect.ts'

/** TIMEOUT_MS for the stall stories; a program gets 10× that to give up. A program may start
 * its clock before fetch has even loaded (a few hundred ms on a loaded machine): 300 ms once
 * made a correct download give up before its request, so the margin is 10× that now. */
export const STALL_TIMEOUT_MS = 1000
export const BIG_ITEMS = 1500
export const BIG_PICTURE = 20 * 1024 * 1024
export const STALLED = 'the server sent its headers and part of the body, then nothing more'

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

/** The body in HTTP/1.1 chunked framing, cut at `cuts`; also where each size line starts. */
export function chunked(body: Buffer, cuts: number[]): { bytes: Buffer; sizeLines: number[] } {
  const parts: Buffer[] = []
  const sizeLines: number[] = []
  let offset = 0
  for (const piece of piecesOf(body, cuts)) {
    sizeLines.push(offset)
    const part = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
    parts.push(part)
    offset += part.length
  }
  sizeLines.push(offset)
  parts.push(Buffer.from('0\r\n\r\n'))
  return { bytes: Buffer.concat(parts), sizeLines }
}

export function expectGet(request: RecordedRequest, program: Program, path: string): void {
  const label = capitalize(program.label)
  const sent = describeRequest(request, program)
  if (request.method !== 'GET') fail(`${label} sent a ${request.method} request; expected GET.`, sent)
  if (request.path === path) return
  const [pathname, query] = path.split('?')
  if (request.path === pathname) {
    fail(`${label} dropped the query: it asked for ${request.path}, not ${path}.`, sent, {
      why: `The query (?${query}) is part of what you ask for. Pass the whole URL, or send url.pathname + url.search.`,
    })
  }
  fail(`${label} asked for ${request.path}, but the URL it was given says ${path}.`, sent)
}

/** Waits for the program's request; one that never comes most likely went elsewhere. */
export function requestOf(peer: HttpPeer, program: Program, count = 1): Promise<RecordedRequest> {
  return explaining({ why: "Send the request to the address in the URL environment variable: the grader's server runs on a port of its own." }, () =>
    peer.request(program, count),
  )
}
