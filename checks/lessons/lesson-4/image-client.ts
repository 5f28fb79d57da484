// Lesson 4 · image-client: saves everything the server sends to OUT, byte for byte, however
// it arrives (a picture in tiny writes, 50 MiB of every byte value, 100 MiB at speed), and
// exits by itself once the file is written.

import { BIG_CHECK_MS, BIG_MS, BLOCK_BYTES, HUGE_COPIES, MEMORY_LIMIT, SPEED_BYTES, SPEED_COPIES, SPEED_MS, SPEED_SECONDS, STALL_MS, failWith, picture } from './bounds.ts'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { expectCleanError, expectExit } from '../../engine/expect.ts'
import { fail } from '../../engine/failure.ts'
import type { Connection } from '../../peers/connection.ts'
import type { Random } from '../../engine/random.ts'
import { residentBytes, watchMemory } from '../../run/memory.ts'
import type { Program } from '../../run/program.ts'
import { exercise } from '../../engine/story.ts'
import { t } from '../../text/lang.ts'
import { seconds } from '../../engine/wait.ts'
import { Expected, binaryData, compareFile, describeCompared, describeMismatch } from './data.ts'
import { MiB, size } from '../../text/words.ts'
import { filesIn } from '../../run/files.ts'
import { onIPv6, refusedConnection } from '../shared.ts'

/** The picture as a slow network and then a fast one would deliver it: the first bytes in
 * writes of their own, a few hundred single bytes, 2 KB or so in writes of 2 to 7 bytes,
 * the rest in 16 KiB writes. */
async function sendPicture(connection: Connection, png: Buffer, random: Random): Promise<void> {
  await connection.sendInFragments(png.subarray(0, 48), { pieces: 12, pauseMs: 5 })
  let at = 48
  for (const [chunkSize, bytes] of [
    [1, random.int(300, 500)],
    [random.int(2, 7), random.int(1500, 2500)],
  ] as const) {
    const end = at + bytes
    await connection.sendAll(png.subarray(at, end), chunkSize)
    at = end
  }
  await connection.sendAll(png.subarray(at), 16 * 1024)
}

const EXIT_WHY = t(
  "When the server closes, your socket emits 'end' and then 'close'. Once the file is written, nothing should keep Node alive: no timer, no stdin, no socket left open. Then the program exits by itself with code 0.",
)

const TOO_EARLY_WHY = t(
  'Writing a file takes time. process.exit() right after write() or writeFile() ends the program before the bytes reach the disk. Let Node exit by itself once the write stream has finished (pipe and pipeline wait for it).',
)

/** The file `name` in the client's folder holds exactly `expected`. */
async function expectSaved(client: Program, name: string, role: string, expected: Buffer, what: string): Promise<void> {
  const path = join(client.workDir, name)
  if (!existsSync(path)) {
    const others = filesIn(client.workDir)
    if (others.length > 0) {
      fail(
        t`Your client ${client.describeExit()} without writing ${name} (${role}); it wrote ${others.map((f) => t`${f.name} (${size(f.bytes)})`).join(', ')} instead.`,
        [],
        { why: t`The grader tells your client where to save: ${role}. Read it with process.env.OUT ?? 'new.png'.`, see: 'image-and-out' },
      )
    }
    fail(t`Your client ${client.describeExit()}, but there is no ${name} (${role}) in its folder.`, [], { why: TOO_EARLY_WHY, see: 'when-the-client-is-done' })
  }
  // "Exited with code 0" is in every message: the client was meant to exit, and the grader
  // reports an exit during a check as the news unless the message already tells it.
  const mismatch = describeMismatch(t`Your client ${client.describeExit()}, but its ${name} holds`, what, expected, readFileSync(path), { why: TOO_EARLY_WHY, see: 'when-the-client-is-done' })
  if (mismatch) failWith(mismatch)
}

/** The same for a big download, compared as the file is read. */
async function expectSavedBig(client: Program, name: string, expected: Expected, what: string): Promise<void> {
  const path = join(client.workDir, name)
  if (!existsSync(path)) {
    fail(t`Your client ${client.describeExit()}, but there is no ${name} (OUT=${name}) in its folder.`, [], { why: TOO_EARLY_WHY, see: 'when-the-client-is-done' })
  }
  const mismatch = describeCompared(t`Your client ${client.describeExit()}, but its ${name} holds`, what, expected, await compareFile(path, expected), {
    why: TOO_EARLY_WHY,
    see: 'when-the-client-is-done',
  })
  if (mismatch) failWith(mismatch)
}

export default exercise(({ check, stretch }) => {
  let client: Program
  let connection: Connection
  let out: string
  let png: Buffer
  let block: Buffer | undefined
  const big = (random: Random) => (block ??= binaryData(random, BLOCK_BYTES))

  check('connects to the HOST and PORT it is given', { see: 'host-and-port' }, async ({ listen, start, random }) => {
    png = picture()
    out = `picture-${random.int(1000, 9999)}.png`
    const server = await listen()
    client = await start({ to: server, env: { OUT: out } })
    connection = await server.accept(client)
  })

  check(
    'exits with code 0 once the server has sent the picture and closed',
    { see: 'when-the-client-is-done', why: EXIT_WHY },
    async ({ random }) => {
      await sendPicture(connection, png, random)
      connection.end()
      await expectExit(client, 0)
    },
  )

  check('writes exactly the bytes of the picture to OUT', { see: 'bytes-not-text' }, async () => {
    await expectSaved(client, out, `OUT=${out}`, png, t('the picture'))
  })

  check('replaces an existing new.png instead of appending to it', { see: 'replace-do-not-append' }, async ({ listen, start, random }) => {
    // OUT is not set here: by hand, the client saves to new.png.
    const old = Buffer.concat([Buffer.from(`an old new.png, left by an earlier run #${random.int(1000, 9999)}: `), binaryData(random, 4096)])
    const server = await listen()
    const again = await start({ to: server, files: { 'new.png': old } })
    const connection = await server.accept(again)
    await connection.sendAll(png, 64 * 1024)
    connection.end()
    await expectExit(again, 0, { why: EXIT_WHY, see: 'when-the-client-is-done' })
    const saved = readFileSync(join(again.workDir, 'new.png'))
    if (saved.equals(old)) {
      const others = filesIn(again.workDir).filter((f) => f.name !== 'new.png')
      const message = others.length
        ? t`With OUT unset, your client ${again.describeExit()} and left new.png as it was; it wrote ${others.map((f) => f.name).join(', ')} instead.`
        : t`With OUT unset, your client ${again.describeExit()} and left new.png as it was.`
      fail(message, [], {
        why: "When OUT is not set, save to new.png: const OUT = process.env.OUT ?? 'new.png'.",
        see: 'image-and-out',
      })
    }
    await expectSaved(again, 'new.png', t('OUT unset, so new.png'), png, t('the picture'))
  })

  check(
    `saves ${SPEED_BYTES / MiB} MiB of every byte value, sent in 8 MiB writes, within ${SPEED_SECONDS} s`,
    { see: 'collecting-chunks-linear-not-quadratic' },
    async ({ listen, start, random }) => {
      const data = big(random)
      const name = `download-${random.int(1000, 9999)}.bin`
      const server = await listen()
      const fast = await start({ to: server, env: { OUT: name } })
      const connection = await server.accept(fast)
      // How much the client has taken in: what left the grader, less what still waits here.
      const taken = () => connection.bytesSent - connection.bytesQueued
      let halfway = 0
      const probe = setTimeout(() => (halfway = taken()), SPEED_MS / 2)
      void (async () => {
        for (let copy = 0; copy < SPEED_COPIES; copy++) await connection.sendAll(data, 8 * MiB)
        if (!connection.closed) connection.end()
      })()
      const status = await fast.waitForExit(SPEED_MS)
      clearTimeout(probe)
      if (!status) {
        const now = taken()
        fail(
          now - halfway < halfway
            ? t`After ${seconds(SPEED_MS)}, your client had taken in only about ${size(now)} of ${size(SPEED_BYTES)}, and it was slowing down.`
            : t`After ${seconds(SPEED_MS)}, your client had taken in only about ${size(now)} of ${size(SPEED_BYTES)}.`,
          [
            t`In the first ${seconds(SPEED_MS / 2)}: about ${size(halfway)}`,
            t`In the next ${seconds(SPEED_MS / 2)}:  about ${size(Math.max(0, now - halfway))}`,
            t`A client that saves as it goes takes well under a second for all of it.`,
          ],
          {
            why: "Joining buffers on every chunk (data = Buffer.concat([data, chunk]), like the seed's all_data += data) copies everything received so far, again and again: twice the data takes four times as long. Push the chunks into an array and join them once at the end, or better, stream them to the file.",
          },
        )
      }
      if (fast.stoppedBecause || status.code !== 0) fail(t`Your client ${fast.describeExit()}; expected it to exit with code 0.`)
      await expectSavedBig(fast, name, new Expected(data, SPEED_COPIES), t`the ${SPEED_BYTES / MiB} MiB download`)
    },
    { ms: BIG_CHECK_MS },
  )

  stretch(
    `streams to disk: its memory stays flat while it saves ${(HUGE_COPIES * BLOCK_BYTES) / MiB} MiB`,
    { see: 'streaming-memory-that-stays-flat' },
    async ({ listen, start, random }) => {
      const data = big(random)
      const total = HUGE_COPIES * BLOCK_BYTES
      const name = `huge-${random.int(1000, 9999)}.bin`
      const server = await listen()
      const huge = await start({ to: server, env: { OUT: name } })
      const connection = await server.accept(huge)
      const before = residentBytes(huge.pid)
      const memory = watchMemory(huge.pid, 50)
      let peak: number | undefined
      let overLimit = false
      try {
        const download = (async () => {
          for (let copy = 0; copy < HUGE_COPIES && !connection.closed; copy++) await connection.sendAll(data, 8 * MiB, STALL_MS)
          connection.end()
          return huge.waitForExit(BIG_MS)
        })()
        download.catch(() => {}) // when memory decides first, the rest of the download is moot
        // The verdict comes as soon as memory passes the limit: no need to finish 200 MiB first.
        const tooMuch = before === undefined ? new Promise<never>(() => {}) : memory.above(before + MEMORY_LIMIT).then(() => 'too much' as const)
        const status = await Promise.race([download, tooMuch])
        overLimit = status === 'too much'
        if (status !== 'too much') {
          if (!status) fail(t`Your client was still running ${seconds(BIG_MS)} after the server had sent ${size(total)} and closed.`, [], { why: EXIT_WHY })
          if (huge.stoppedBecause || status.code !== 0) fail(t`Your client ${huge.describeExit()}; expected it to exit with code 0.`)
        }
      } finally {
        peak = memory.stop()
      }
      if (before !== undefined && peak !== undefined && (overLimit || peak - before > MEMORY_LIMIT)) {
        fail(
          overLimit
            ? t`Your client's memory grew by ${size(peak - before)} while it was saving ${size(total)}: it held the download in memory instead of streaming it to disk.`
            : t`Your client's memory grew by ${size(peak - before)} (it ${huge.describeExit()}) while it saved ${size(total)}: it held the download in memory instead of streaming it to disk.`,
          [t`Memory (resident) before the download: ${size(before)}`, t`At its peak: ${size(peak)}`, t`Allowed growth: ${size(MEMORY_LIMIT)}`],
          {
            why: 'socket.pipe(fs.createWriteStream(OUT)) writes each chunk as it comes and pauses the socket while the disk catches up, so a file of any size needs only a few chunks of memory. Collecting everything first needs all of it at once.',
          },
        )
      }
      await expectSavedBig(huge, name, new Expected(data, HUGE_COPIES), t`the ${total / MiB} MiB download`)
    },
    { ms: BIG_CHECK_MS },
  )

  stretch(
    'when the server resets the connection mid-download, prints one line and exits with an error code',
    {
      see: 'the-error-event',
      why: "A reset arrives as an 'error' event (ECONNRESET), and the file is incomplete. Say so in one line and set process.exitCode = 1, so that nobody takes half a picture for a whole one.",
    },
    async ({ listen, start }) => {
      const server = await listen()
      const cut = await start({ to: server, env: { OUT: 'cut.png' } })
      const connection = await server.accept(cut)
      await connection.sendAll(png.subarray(0, png.length >> 1), 16 * 1024)
      await connection.readByProgram() // a reset throws away what the client has not read
      await connection.reset()
      await expectCleanError(cut, [], 'non-zero')
    },
  )

  stretch(...refusedConnection('the-error-event'))
  stretch(
    ...onIPv6('ipv6-af_inet6', async ({ listen, start, random }) => {
      const picture6 = picture()
      const name = `ipv6-${random.int(1000, 9999)}.png`
      const server = await listen()
      const v6 = await start({ to: server, env: { OUT: name } })
      const wire = await server.accept(v6)
      await sendPicture(wire, picture6, random)
      wire.end()
      await expectExit(v6, 0)
      await expectSaved(v6, name, `OUT=${name}`, picture6, t('the picture'))
    }),
  )
})
