// Lesson 4 · image-server: sends the file named by IMAGE to every client and closes; many
// clients at once, a slow reader that must not stall the others, and files that are not
// text. The data is compared byte for byte as it arrives rather than hashed: the grader's one
// thread serves every grading that runs beside this one.

import { BIG_CHECK_MS, BLOCK_BYTES, HUGE_CLIENTS, HUGE_COPIES, MEDIUM_BYTES, MEMORY_LIMIT, STALL_MS, failWith, picture } from './bounds.ts'
import { readFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { expectBoundToHost, expectRunning } from '../../engine/expect.ts'
import { CheckFailure, fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import type { Connection } from '../../peers/connection.ts'
import { residentBytes, watchMemory } from '../../run/memory.ts'
import type { Program } from '../../run/program.ts'
import { exercise } from '../../engine/story.ts'
import { t } from '../../text/lang.ts'
import { seconds, waitFor } from '../../engine/wait.ts'
import { Expected, binaryData, describeCompared, describeMismatch, receiveCompared } from './data.ts'
import { MiB, size } from '../../text/words.ts'
import { onIPv6, portTaken } from '../shared.ts'

const CLOSE_WHY = t(
  'The client reads until the server closes: that is how it knows the picture is complete. End the socket once the last byte is written: readStream.pipe(socket) and pipeline() do it for you, or call socket.end().',
)

const SHORT = {
  why: t(
    'socket.destroy() closes at once and drops whatever is still waiting to be sent; socket.end() sends it all first. Let pipe() or pipeline() end the socket when the file ends.',
  ),
  see: 'the-end-of-the-file-is-the-end-of-the-stream',
}

/** Everything until the server closes its side, compared with `expected`. */
async function expectFile(server: Program, connection: Connection, expected: Buffer, what: string, servedBefore = false): Promise<void> {
  const got = await connection.drain(limits.waitMs)
  if (got.length === 0 && connection.ended) await server.waitForExit(200) // a crash: let its last words arrive
  const mismatch = describeMismatch(t('Your server sent'), what, expected, got, SHORT)
  if (!connection.ended && !connection.broken) {
    fail(
      t`Your server did not close the connection: it sent ${size(got.length)} and then nothing for ${seconds(limits.waitMs)}.`,
      mismatch ? [mismatch.message, ...mismatch.details] : [t`That is the whole of ${what}, byte for byte; only the close is missing.`],
      { why: CLOSE_WHY, see: 'the-end-of-the-file-is-the-end-of-the-stream' },
    )
  }
  if (got.length === 0 && servedBefore && server.running) {
    fail(t`Your server sent ${what} to the first client, but closed the connection to ${connection.name} without sending a byte.`, [], {
      why: 'A read stream can be read only once: once it has ended, piping it again sends nothing. Create a new one, createReadStream(IMAGE), for every connection.',
      see: 'many-clients',
    })
  }
  if (got.length === 0) {
    const missing = [...server.stderr.lines, ...server.stdout.lines].find((line) => line.includes('ENOENT'))
    fail(
      missing
        ? t('Your server closed the connection without sending a byte: it could not open the file it tried to send (ENOENT).')
        : t('Your server closed the connection without sending a byte.'),
      missing ? [t`It printed: ${missing.trim()}`] : [],
      {
        why: `Send the file named by IMAGE. The grader passes IMAGE as an absolute path; read it with process.env.IMAGE ?? 'beauty.png'.`,
        see: 'image-and-out',
      },
    )
  }
  if (mismatch) {
    const broke = connection.broken && !connection.ended ? t` (${connection.broken})` : ''
    // The message ends in a full stop, in English "." and in Chinese "。": the reason goes before it.
    failWith({ ...mismatch, message: mismatch.message.replace(/([.。])$/, `${broke}$1`) })
  }
  connection.end()
}

async function receive(connection: Connection, expected: Expected, what: string): Promise<void> {
  const got = await receiveCompared(connection, expected, STALL_MS)
  const mismatch = describeCompared(t('Your server sent'), what, expected, got, SHORT)
  if (mismatch) failWith(mismatch)
  connection.end()
}

/** Waits until some of the file has reached `connection`. */
async function firstBytes(connection: Connection): Promise<void> {
  const arrived = () => connection.bytesReceived > 0 || connection.ended || connection.broken !== undefined
  const ok = await waitFor(arrived, [connection.changes], limits.waitMs)
  if (!ok || connection.bytesReceived === 0) fail(t`Your server sent nothing to ${connection.name} for ${seconds(limits.waitMs)}.`)
}

export default exercise(({ check, stretch }) => {
  let first: Connection
  let server: Program
  let png: Buffer
  let idle: number | undefined
  let block: Buffer
  let medium: { server: Program; file: Expected; what: string }

  check('listens on the HOST and PORT it is given', { see: 'host-and-port' }, async ({ start, connect, scratch }) => {
    png = picture()
    server = await start({ env: { IMAGE: await scratch('beauty.png', png) } })
    first = await connect(server)
    // Its memory now, holding nothing big: what the ⭐ memory check compares with.
    idle = residentBytes(server.pid)
    await expectBoundToHost(server, { see: 'host-and-port' })
  })

  check('sends every byte of the picture, then closes the connection', { see: 'bytes-not-text' }, async () => {
    await expectFile(server, first, png, t('the picture'))
  })

  check('serves 3 clients in a row', { see: 'many-clients' }, async ({ connect }) => {
    for (let n = 0; n < 3; n++) await expectFile(server, await connect(server), png, t('the picture'), true)
  })

  check(
    `sends ${BLOCK_BYTES / MiB} MiB of every byte value, byte for byte`,
    { see: 'bytes-not-text' },
    async ({ start, connect, scratch, random }) => {
      block = binaryData(random, BLOCK_BYTES)
      const big = await start({ env: { IMAGE: await scratch('bytes.bin', block) } })
      await receive(await connect(big), new Expected(block), t`the ${BLOCK_BYTES / MiB} MiB file`)
    },
    { ms: BIG_CHECK_MS },
  )

  check(
    'serves 8 clients at once',
    {
      see: 'many-clients',
      why: 'Each connection gets its own read stream and its own pipe, so all of them are served side by side. Never wait for one download to finish before starting the next.',
    },
    async ({ start, connect, scratch, random }) => {
      const data = binaryData(random, MEDIUM_BYTES)
      const what = t`the ${MEDIUM_BYTES / MiB} MiB file`
      medium = {
        server: await start({ env: { IMAGE: await scratch('medium.bin', data) } }),
        file: new Expected(data),
        what,
      }
      // Each one holds still until all 8 are in, so that none can finish while the others
      // are still connecting (16 MiB do not fit in the buffers between two sockets).
      const clients: Connection[] = []
      for (let n = 0; n < 8; n++) {
        const client = await connect(medium.server)
        client.pause()
        clients.push(client)
      }
      // A connection the kernel completed may not be accepted yet: a server slow to accept
      // (reading the whole file per client, say) must not look like one that serves in turn.
      await Promise.all(clients.map((client) => client.readByProgram()))
      for (const client of clients) client.resume()
      // When the first client has its whole file, every other one should have had bytes too.
      const downloads = clients.map(async (client) => {
        const got = await receiveCompared(client, medium.file, STALL_MS)
        client.end() // done, as a real client would be: the server may now close for good
        return got
      })
      for (const download of downloads) download.catch(() => {}) // a failure is read below, or not at all
      const firstDone = await Promise.race(downloads).then(
        () => true,
        () => false,
      )
      const waiting = clients.filter((c) => c.bytesReceived === 0).length
      if (waiting > 0) {
        const when = firstDone ? t('When the first client had its whole file') : t`After ${seconds(STALL_MS)}`
        fail(t`${when}, ${waiting} of the ${clients.length} clients had not received a single byte: your server serves one client at a time.`, [
          t`All ${clients.length} had connected before the first byte was read.`,
        ])
      }
      const results = await Promise.all(downloads)
      for (const [i, got] of results.entries()) {
        const mismatch = describeCompared(t`Your server sent ${clients[i]!.name}`, what, medium.file, got, SHORT)
        if (mismatch) failWith(mismatch)
      }
    },
    { ms: BIG_CHECK_MS },
  )

  check(
    'a client that does not read does not hold up the others',
    {
      see: 'backpressure',
      why: "A client that reads slowly (or not at all) only slows its own download: pipe() pauses that one read stream while the socket's buffer is full. The server as a whole must go on serving everyone else.",
    },
    async ({ connect }) => {
      const slow = await connect(medium.server)
      slow.pause()
      const fast = await connect(medium.server)
      try {
        await receive(fast, medium.file, medium.what)
      } catch (error) {
        if (!(error instanceof CheckFailure) || fast.ended || fast.broken) throw error
        fail(
          t`While ${slow.name} was not reading, ${fast.name} received only ${size(fast.bytesReceived)} of ${size(medium.file.bytes)}, then nothing for ${seconds(STALL_MS)}.`,
          [t('A server that waits for one download to finish before it serves the next is stuck behind the slow client.')],
        )
      }
      slow.resume()
      await receive(slow, medium.file, t`${medium.what} (to the slow client, once it read again)`)
    },
    { ms: BIG_CHECK_MS },
  )

  stretch(
    'keeps serving after a client resets the connection mid-download',
    {
      see: 'the-error-event',
      why: "A client that leaves mid-download makes its socket emit 'error' (ECONNRESET or EPIPE). With no handler, Node throws it and the whole server dies. Handle 'error' on every socket (pipeline() does it for you).",
    },
    async ({ connect }) => {
      // The last server started, so that a crash is reported as this check's news.
      const rude = await connect(medium.server)
      await firstBytes(rude)
      await rude.reset()
      await receive(await connect(medium.server), medium.file, medium.what)
      await expectRunning(medium.server)
    },
  )

  stretch(
    `streams from disk: its memory stays flat while ${HUGE_CLIENTS} clients fetch ${(HUGE_COPIES * BLOCK_BYTES) / MiB} MiB at once`,
    { see: 'streaming-memory-that-stays-flat' },
    async ({ start, connect, scratch }) => {
      const path = await scratch('huge.bin')
      const file = await open(path, 'w')
      for (let copy = 0; copy < HUGE_COPIES; copy++) await file.write(block)
      await file.close()
      const hugeFile = new Expected(block, HUGE_COPIES)
      const huge = await start({ env: { IMAGE: path } })
      const clients = [await connect(huge)]
      const atStart = residentBytes(huge.pid)
      // Compared with the same program serving the small picture: a server that reads the
      // whole file when it starts holds it before the first download begins.
      const before = idle === undefined || atStart === undefined ? (idle ?? atStart) : Math.min(idle, atStart)
      const memory = watchMemory(huge.pid, 50)
      let peak: number | undefined
      try {
        while (clients.length < HUGE_CLIENTS) clients.push(await connect(huge))
        const downloads = Promise.all(clients.map((client) => receiveCompared(client, hugeFile, STALL_MS)))
        downloads.catch(() => {}) // when memory decides first, the rest of the downloads is moot
        // The verdict comes as soon as memory passes the limit: no need to move 400 MiB first.
        const tooMuch = before === undefined ? new Promise<never>(() => {}) : memory.above(before + MEMORY_LIMIT).then(() => undefined)
        const results = await Promise.race([downloads, tooMuch])
        for (const got of results ?? []) {
          const mismatch = describeCompared(t('Your server sent'), t`the ${hugeFile.bytes / MiB} MiB file`, hugeFile, got, SHORT)
          if (mismatch) failWith(mismatch)
        }
      } finally {
        peak = memory.stop()
      }
      if (before === undefined || peak === undefined) return // no /proc here: nothing to claim
      if (peak - before > MEMORY_LIMIT) {
        fail(
          t`Your server's memory grew by ${size(peak - before)} while ${HUGE_CLIENTS} clients fetched a ${size(hugeFile.bytes)} file: it held the file in memory instead of streaming it from disk.`,
          [
            t`Memory (resident) while it served the small picture: ${idle === undefined ? t('unknown') : size(idle)}`,
            t`When the first of the ${HUGE_CLIENTS} clients had connected: ${atStart === undefined ? t('unknown') : size(atStart)}`,
            t`At its peak: ${size(peak)}`,
            t`Allowed growth: ${size(MEMORY_LIMIT)}`,
          ],
          {
            why: 'readFileSync (or readFile) loads the whole file, once per client, or once at start-up. fs.createReadStream(IMAGE).pipe(socket) reads 64 KiB at a time, as fast as that client takes them, so memory stays flat whatever the size of the file.',
          },
        )
      }
    },
    { ms: BIG_CHECK_MS },
  )

  stretch(...portTaken('the-error-event'))
  stretch(
    'run by hand, with no HOST and no IMAGE, sends beauty.png from its folder, on 127.0.0.1 only',
    {
      see: 'image-and-out',
      why: "By hand nobody passes HOST or IMAGE, so the defaults apply: process.env.HOST ?? '127.0.0.1' and process.env.IMAGE ?? 'beauty.png', the file in the folder it runs from.",
    },
    async ({ start, connect }) => {
      const byHand = await start({ byHand: true, files: { 'beauty.png': png } })
      const client = await connect(byHand)
      await expectBoundToHost(byHand)
      await expectFile(byHand, client, png, t('beauty.png from its folder'))
    },
  )
  stretch(
    ...onIPv6('ipv6-af_inet6', async ({ start, connect, scratch }) => {
      const picture6 = picture()
      const v6 = await start({ env: { IMAGE: await scratch('ipv6.png', picture6) } })
      await expectFile(v6, await connect(v6), picture6, t('the picture'))
      await expectBoundToHost(v6)
    }),
  )
})
