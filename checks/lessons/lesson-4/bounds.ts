// Lesson 4's sizes, deadlines and bounds, each with what it was measured against: a correct
// program meets them ten times over on a loaded 2-core machine, and the bug each one
// catches misses them by far. Also the picture, and how a mismatch fails.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import { projectRoot } from '../../engine/paths.ts'
import { type Mismatch } from './data.ts'
import { MiB } from '../../text/words.ts'

/** Deadlines grow with NETLINGS_TIME_SCALE, like the engine's own. */
export const scale = limits.waitMs / 3000

/** The big file: every byte value, invalid UTF-8, pseudo-random bytes. */
export const BLOCK_BYTES = 50 * MiB

/** For 8 clients at once and the slow reader: bigger than what the kernel buffers between
 * two sockets (a few MiB), so that a download cannot finish without the server's help. */
export const MEDIUM_BYTES = 16 * MiB

/** A big transfer to or from a correct program takes ~0.1–0.5 s here (2 s with four gradings
 * side by side); this is the deadline for the last step of one that just works (a client's
 * exit once the server has closed). */
export const BIG_MS = 15_000 * scale

/**
 * A big transfer is judged by whether it moves, not by how long it takes (waitWhileMoving in
 * engine/wait.ts): it fails once nothing has moved for this long. A CI runner grading side by
 * side moved a correct server's 2 × 200 MiB at 13 MB/s, 35 times slower than here when idle,
 * and a 15 s deadline for the whole called it broken; slowed down, it still never stood still
 * for a second.
 */
export const STALL_MS = 5_000 * scale

/** The safety net of a check that moves hundreds of MiB, in place of the engine's 20 s: the
 * waits inside watch progress, and this only ends a transfer that trickles on for ever. */
export const BIG_CHECK_MS = 90_000 * scale

/**
 * The client's speed check: 100 MiB sent in 8 MiB writes must be saved within 12 s.
 * Measured on this project's 2-core machine, from the first byte sent to the client's exit:
 * linear clients (pipe to a write stream; chunks joined once; awaited FileHandle writes)
 * took 0.23–0.8 s alone, up to 1.1 s with three more lesson-4 gradings running; a client
 * that does `data = Buffer.concat([data, chunk])` on every chunk took 47.6 s (15.3 s on
 * 50 MiB). Load only slows the quadratic one further.
 */
export const SPEED_COPIES = 2
export const SPEED_BYTES = SPEED_COPIES * BLOCK_BYTES
export const SPEED_SECONDS = 12
export const SPEED_MS = SPEED_SECONDS * 1000 * scale

/**
 * The ⭐ memory checks: 200 MiB through a program whose resident memory may grow by at most
 * 100 MiB. Measured: streaming programs grow by 34–41 MiB; a server that reads the file at
 * start-up by ~195 MiB, one that reads it per client by 200 MiB per client; a client that
 * collects the chunks by ~400 MiB (the chunks, then their join).
 */
export const HUGE_COPIES = 4
export const HUGE_CLIENTS = 2
export const MEMORY_LIMIT = 100 * MiB

/** The picture: lessons/lesson-4-image-server/beauty.png, made by scripts/make-beauty-png.ts. */
export function picture(): Buffer {
  return readFileSync(join(projectRoot, 'lessons', 'lesson-4-image-server', 'beauty.png'))
}

export function failWith(mismatch: Mismatch): never {
  fail(mismatch.message, mismatch.details, { why: mismatch.why, see: mismatch.see })
}
