// Lesson 5's picture: panda.jpg beside this file (drawn by scripts/make-panda-jpeg.ts), served
// with comment segments of random bytes added (JPEG ignores what a comment holds), so every
// run's file differs and holds every byte value, 0x00, 0xff, \r\n and invalid UTF-8 included.
// A large picture is the same image padded with as many comment segments as it takes.

import { readFileSync } from 'node:fs'
import { inProject } from '../../engine/paths.ts'
import { noise, type Random } from '../../engine/random.ts'

let cached: { head: Buffer; rest: Buffer } | undefined

/** The picture cut after its JFIF segment, where the comments go. */
function panda(): { head: Buffer; rest: Buffer } {
  if (cached) return cached
  const jpeg = readFileSync(inProject('checks/lessons/lesson-5/panda.jpg'))
  const jfifEnd = 4 + jpeg.readUInt16BE(4) // SOI (2 bytes), then APP0's marker and length
  cached = { head: jpeg.subarray(0, jfifEnd), rest: jpeg.subarray(jfifEnd) }
  return cached
}

const COMMENT_MAX = 65533

const comment = (payload: Buffer) => Buffer.concat([Buffer.from([0xff, 0xfe, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload])

/**
 * The panda as a JPEG of about `size` bytes (at least ~3 KB). The first comment starts with
 * readable text and bytes that trip up code treating the picture as text: \r\n, 0x00, 0xff,
 * a lone 0xe4.
 */
export function pandaJpeg(random: Random, size = 0): Buffer {
  const { head, rest } = panda()
  const text = Buffer.concat([Buffer.from(`netlings lesson 5 · 熊猫 #${random.int(10000, 99999)} `), Buffer.from([0x0d, 0x0a, 0x00, 0xff, 0xe4, 0x80])])
  const parts: Buffer[] = [head]
  let total = head.length + rest.length
  let payload: Buffer = Buffer.concat([text, noise(random, 200)])
  for (;;) {
    parts.push(comment(payload))
    total += payload.length + 4
    const missing = size - total
    if (missing <= 4) break
    payload = noise(random, Math.min(COMMENT_MAX, missing - 4))
  }
  parts.push(rest)
  return Buffer.concat(parts)
}
