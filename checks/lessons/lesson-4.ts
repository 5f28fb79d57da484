// Lesson 4: an image server that sends the file named by IMAGE to every client and closes,
// and a client that saves everything it receives to OUT. The data is bytes, not text: a
// picture first, then files holding every byte value and invalid UTF-8, sent in tiny and in
// huge writes, to many clients at once and to one that does not read. Sizes and bounds are
// chosen so that a correct program meets them ten times over on a 2-core machine (measured;
// see the notes at each constant), and the bug each one catches misses them by far. The
// data is kept as small as that allows, and compared byte for byte as it arrives rather than
// hashed: the grader's one thread serves every grading that runs beside this one.

import { openSync, readFileSync, writeSync, closeSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { expectBoundToHost, expectExit, expectRunning } from '../expect.ts'
import { CheckFailure, fail } from '../failure.ts'
import { limits } from '../limits.ts'
import { projectRoot } from '../paths.ts'
import type { Connection } from '../peers/connection.ts'
import type { Random } from '../random.ts'
import { residentBytes, watchMemory } from '../run/memory.ts'
import type { Program } from '../run/program.ts'
import { exercise } from '../story.ts'
import { seconds, waitFor } from '../wait.ts'
import { Expected, MiB, binaryData, compareFile, describeCompared, describeMismatch, filesIn, receiveCompared, size, type Mismatch } from './lesson-4-data.ts'

/** Deadlines grow with NETLINGS_TIME_SCALE, like the engine's own. */
const scale = limits.waitMs / 3000

/** The big file: every byte value, invalid UTF-8, pseudo-random bytes. */
const BLOCK_BYTES = 50 * MiB

/** For 8 clients at once and the slow reader: bigger than what the kernel buffers between
 * two sockets (a few MiB), so that a download cannot finish without the server's help. */
const MEDIUM_BYTES = 16 * MiB

/** A big transfer to or from a correct program takes ~0.1–0.5 s here (2 s with four gradings
 * side by side); this is the deadline for one that just works. */
const BIG_MS = 15_000 * scale

/**
 * The client's speed check: 100 MiB sent in 8 MiB writes must be saved within 12 s.
 * Measured on this project's 2-core machine, from the first byte sent to the client's exit:
 * linear clients (pipe to a write stream; chunks joined once; awaited FileHandle writes)
 * took 0.23–0.8 s alone, up to 1.1 s with three more lesson-4 gradings running; a client
 * that does `data = Buffer.concat([data, chunk])` on every chunk took 47.6 s (15.3 s on
 * 50 MiB). Load only slows the quadratic one further.
 */
const SPEED_COPIES = 2
const SPEED_BYTES = SPEED_COPIES * BLOCK_BYTES
const SPEED_SECONDS = 12
const SPEED_MS = SPEED_SECONDS * 1000 * scale

/**
 * The ⭐ memory checks: 200 MiB through a program whose resident memory may grow by at most
 * 100 MiB. Measured: streaming programs grow by 34–41 MiB; a server that reads the file at
 * start-up by ~195 MiB, one that reads it per client by 200 MiB per client; a client that
 * collects the chunks by ~400 MiB (the chunks, then their join).
 */
const HUGE_COPIES = 4
const HUGE_CLIENTS = 2
const MEMORY_LIMIT = 100 * MiB

/** The picture: lessons/lesson-4-image-server/beauty.png, made by scripts/make-beauty-png.ts. */
function picture(): Buffer {
  return readFileSync(join(projectRoot, 'lessons', 'lesson-4-image-server', 'beauty.png'))
}

function failWith(mismatch: Mismatch): never {
  fail(mismatch.message, mismatch.details, { why: mismatch.why, see: mismatch.see })
}

// ---- The client ------------------------------------------------------------------------

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

const EXIT_WHY =
  "When the server closes, your socket emits 'end' and then 'close'. Once the file is written, nothing should keep " +
  'Node alive: no timer, no stdin, no socket left open. Then the program exits by itself with code 0.'

const TOO_EARLY_WHY =
  'Writing a file takes time. process.exit() right after write() or writeFile() ends the program before the bytes ' +
  "reach the disk. Let Node exit by itself once the write stream has finished (pipe and pipeline wait for it)."

/** The file `name` in the client's folder holds exactly `expected`. */
async function expectSaved(client: Program, name: string, role: string, expected: Buffer, what: string): Promise<void> {
  const path = join(client.workDir, name)
  if (!existsSync(path)) {
    const others = filesIn(client.workDir)
    if (others.length > 0) {
      fail(
        `Your client ${client.describeExit()} without writing ${name} (${role}); it wrote ${others.map((f) => `${f.name} (${size(f.bytes)})`).join(', ')} instead.`,
        [],
        { why: `The grader tells your client where to save: ${role}. Read it with process.env.OUT ?? 'new.png'.`, see: 'image-and-out' },
      )
    }
    fail(`Your client ${client.describeExit()}, but there is no ${name} (${role}) in its folder.`, [], { why: TOO_EARLY_WHY, see: 'when-the-client-is-done' })
  }
  // "Exited with code 0" is in every message: the client was meant to exit, and the grader
  // reports an exit during a check as the news unless the message already tells it.
  const mismatch = describeMismatch(`Your client ${client.describeExit()}, but its ${name} holds`, what, expected, readFileSync(path), { why: TOO_EARLY_WHY, see: 'when-the-client-is-done' })
  if (mismatch) failWith(mismatch)
}

/** The same for a big download, compared as the file is read. */
async function expectSavedBig(client: Program, name: string, expected: Expected, what: string): Promise<void> {
  const path = join(client.workDir, name)
  if (!existsSync(path)) {
    fail(`Your client ${client.describeExit()}, but there is no ${name} (OUT=${name}) in its folder.`, [], { why: TOO_EARLY_WHY, see: 'when-the-client-is-done' })
  }
  const mismatch = describeCompared(`Your client ${client.describeExit()}, but its ${name} holds`, what, expected, await compareFile(path, expected), {
    why: TOO_EARLY_WHY,
    see: 'when-the-client-is-done',
  })
  if (mismatch) failWith(mismatch)
}

export const imageClient = exercise(({ check, stretch }) => {
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
    await expectSaved(client, out, `OUT=${out}`, png, 'the picture')
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
      const where = others.length ? `; it wrote ${others.map((f) => f.name).join(', ')} instead` : ''
      fail(`With OUT unset, your client ${again.describeExit()} and left new.png as it was${where}.`, [], {
        why: "When OUT is not set, save to new.png: const OUT = process.env.OUT ?? 'new.png'.",
        see: 'image-and-out',
      })
    }
    await expectSaved(again, 'new.png', 'OUT unset, so new.png', png, 'the picture')
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
      const taken = () => connection.socket.bytesWritten - connection.socket.writableLength
      let halfway = 0
      const probe = setTimeout(() => (halfway = taken()), SPEED_MS / 2)
      void (async () => {
        for (let copy = 0; copy < SPEED_COPIES; copy++) await connection.sendAll(data, 8 * MiB)
        if (!connection.socket.destroyed) connection.end()
      })()
      const status = await fast.waitForExit(SPEED_MS)
      clearTimeout(probe)
      if (!status) {
        const now = taken()
        const slowing = now - halfway < halfway ? ', and it was slowing down' : ''
        fail(
          `After ${seconds(SPEED_MS)}, your client had taken in only about ${size(now)} of ${size(SPEED_BYTES)}${slowing}.`,
          [
            `In the first ${seconds(SPEED_MS / 2)}: about ${size(halfway)}`,
            `In the next ${seconds(SPEED_MS / 2)}:  about ${size(Math.max(0, now - halfway))}`,
            `A client that saves as it goes takes well under a second for all of it.`,
          ],
          {
            why:
              'Joining buffers on every chunk (data = Buffer.concat([data, chunk]), like the seed\'s all_data += data) copies ' +
              'everything received so far, again and again: twice the data takes four times as long. Push the chunks into an ' +
              'array and join them once at the end, or better, stream them to the file.',
          },
        )
      }
      if (fast.stoppedBecause || status.code !== 0) fail(`Your client ${fast.describeExit()}; expected it to exit with code 0.`)
      await expectSavedBig(fast, name, new Expected(data, SPEED_COPIES), `the ${SPEED_BYTES / MiB} MiB download`)
    },
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
          for (let copy = 0; copy < HUGE_COPIES && !connection.socket.destroyed; copy++) await connection.sendAll(data, 8 * MiB)
          connection.end()
          return huge.waitForExit(BIG_MS)
        })()
        download.catch(() => {}) // when memory decides first, the rest of the download is moot
        // The verdict comes as soon as memory passes the limit: no need to finish 200 MiB first.
        const tooMuch = before === undefined ? new Promise<never>(() => {}) : memory.above(before + MEMORY_LIMIT).then(() => 'too much' as const)
        const status = await Promise.race([download, tooMuch])
        overLimit = status === 'too much'
        if (status !== 'too much') {
          if (!status) fail(`Your client was still running ${seconds(BIG_MS)} after the server had sent ${size(total)} and closed.`, [], { why: EXIT_WHY })
          if (huge.stoppedBecause || status.code !== 0) fail(`Your client ${huge.describeExit()}; expected it to exit with code 0.`)
        }
      } finally {
        peak = memory.stop()
      }
      if (before !== undefined && peak !== undefined && (overLimit || peak - before > MEMORY_LIMIT)) {
        const outcome = overLimit ? 'while it was saving' : `(it ${huge.describeExit()}) while it saved`
        fail(
          `Your client's memory grew by ${size(peak - before)} ${outcome} ${size(total)}: it held the download in memory instead of streaming it to disk.`,
          [`Memory (resident) before the download: ${size(before)}`, `At its peak: ${size(peak)}`, `Allowed growth: ${size(MEMORY_LIMIT)}`],
          {
            why:
              "socket.pipe(fs.createWriteStream(OUT)) writes each chunk as it comes and pauses the socket while the disk catches up, " +
              'so a file of any size needs only a few chunks of memory. Collecting everything first needs all of it at once.',
          },
        )
      }
      await expectSavedBig(huge, name, new Expected(data, HUGE_COPIES), `the ${total / MiB} MiB download`)
    },
  )
})

// ---- The server ------------------------------------------------------------------------

const CLOSE_WHY =
  'The client reads until the server closes: that is how it knows the picture is complete. End the socket once the ' +
  'last byte is written: readStream.pipe(socket) and pipeline() do it for you, or call socket.end().'

const SHORT = {
  why:
    'socket.destroy() closes at once and drops whatever is still waiting to be sent; socket.end() sends it all first. ' +
    'Let pipe() or pipeline() end the socket when the file ends.',
  see: 'the-end-of-the-file-is-the-end-of-the-stream',
}

/** Everything until the server closes its side, compared with `expected`. */
async function expectFile(server: Program, connection: Connection, expected: Buffer, what: string, servedBefore = false): Promise<void> {
  const got = await connection.drain(limits.waitMs)
  if (got.length === 0 && connection.ended) await server.waitForExit(200) // a crash: let its last words arrive
  const mismatch = describeMismatch('Your server sent', what, expected, got, SHORT)
  if (!connection.ended && !connection.broken) {
    fail(
      `Your server did not close the connection: it sent ${size(got.length)} and then nothing for ${seconds(limits.waitMs)}.`,
      mismatch ? [mismatch.message, ...mismatch.details] : [`That is the whole of ${what}, byte for byte; only the close is missing.`],
      { why: CLOSE_WHY, see: 'the-end-of-the-file-is-the-end-of-the-stream' },
    )
  }
  if (got.length === 0 && servedBefore && server.running) {
    fail(`Your server sent ${what} to the first client, but closed the connection to ${connection.name} without sending a byte.`, [], {
      why: 'A read stream can be read only once: once it has ended, piping it again sends nothing. Create a new one, createReadStream(IMAGE), for every connection.',
      see: 'many-clients',
    })
  }
  if (got.length === 0) {
    const missing = [...server.stderr.lines, ...server.stdout.lines].find((line) => line.includes('ENOENT'))
    fail(
      `Your server closed the connection without sending a byte${missing ? ': it could not open the file it tried to send (ENOENT)' : ''}.`,
      missing ? [`It printed: ${missing.trim()}`] : [],
      {
        why: `Send the file named by IMAGE. The grader passes IMAGE as an absolute path; read it with process.env.IMAGE ?? 'beauty.png'.`,
        see: 'image-and-out',
      },
    )
  }
  if (mismatch) {
    const broke = connection.broken && !connection.ended ? ` (${connection.broken})` : ''
    failWith({ ...mismatch, message: mismatch.message.replace(/\.$/, broke + '.') })
  }
  connection.end()
}

async function receive(connection: Connection, expected: Expected, what: string, ms = BIG_MS): Promise<void> {
  const got = await receiveCompared(connection, expected, ms)
  const mismatch = describeCompared('Your server sent', what, expected, got, SHORT)
  if (mismatch) failWith(mismatch)
  connection.end()
}

/** Waits until some of the file has reached `connection`. */
async function firstBytes(connection: Connection): Promise<void> {
  const arrived = () => connection.socket.bytesRead > 0 || connection.ended || connection.broken !== undefined
  const ok = await waitFor(arrived, [(wake) => (connection.socket.on('data', wake), () => connection.socket.off('data', wake))], limits.waitMs)
  if (!ok || connection.socket.bytesRead === 0) fail(`Your server sent nothing to ${connection.name} for ${seconds(limits.waitMs)}.`)
}

export const imageServer = exercise(({ check, stretch }) => {
  let first: Connection
  let server: Program
  let png: Buffer
  let idle: number | undefined
  let block: Buffer
  let medium: { server: Program; file: Expected; what: string }

  check('listens on the HOST and PORT it is given', { see: 'host-and-port' }, async ({ start, connect, scratch }) => {
    png = picture()
    server = await start({ env: { IMAGE: scratch('beauty.png', png) } })
    first = await connect(server)
    // Its memory now, holding nothing big: what the ⭐ memory check compares with.
    idle = residentBytes(server.pid)
    await expectBoundToHost(server, { see: 'host-and-port' })
  })

  check('sends every byte of the picture, then closes the connection', { see: 'bytes-not-text' }, async () => {
    await expectFile(server, first, png, 'the picture')
  })

  check('serves 3 clients in a row', { see: 'many-clients' }, async ({ connect }) => {
    for (let n = 0; n < 3; n++) await expectFile(server, await connect(server), png, 'the picture', true)
  })

  check(
    `sends ${BLOCK_BYTES / MiB} MiB of every byte value, byte for byte`,
    { see: 'bytes-not-text' },
    async ({ start, connect, scratch, random }) => {
      block = binaryData(random, BLOCK_BYTES)
      const big = await start({ env: { IMAGE: scratch('bytes.bin', block) } })
      await receive(await connect(big), new Expected(block), `the ${BLOCK_BYTES / MiB} MiB file`)
    },
  )

  check(
    'serves 8 clients at once',
    {
      see: 'many-clients',
      why: 'Each connection gets its own read stream and its own pipe, so all of them are served side by side. Never wait for one download to finish before starting the next.',
    },
    async ({ start, connect, scratch, random }) => {
      const data = binaryData(random, MEDIUM_BYTES)
      const what = `the ${MEDIUM_BYTES / MiB} MiB file`
      medium = {
        server: await start({ env: { IMAGE: scratch('medium.bin', data) } }),
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
        const got = await receiveCompared(client, medium.file, BIG_MS)
        client.end() // done, as a real client would be: the server may now close for good
        return got
      })
      for (const download of downloads) download.catch(() => {}) // a failure is read below, or not at all
      const firstDone = await Promise.race(downloads).then(
        () => true,
        () => false,
      )
      const waiting = clients.filter((c) => c.socket.bytesRead === 0).length
      if (waiting > 0) {
        const when = firstDone ? 'When the first client had its whole file' : `After ${seconds(BIG_MS)}`
        fail(`${when}, ${waiting} of the ${clients.length} clients had not received a single byte: your server serves one client at a time.`, [
          `All ${clients.length} had connected before the first byte was read.`,
        ])
      }
      const results = await Promise.all(downloads)
      for (const [i, got] of results.entries()) {
        const mismatch = describeCompared(`Your server sent ${clients[i]!.name}`, what, medium.file, got, SHORT)
        if (mismatch) failWith(mismatch)
      }
    },
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
          `While ${slow.name} was not reading, ${fast.name} received only ${size(fast.socket.bytesRead)} of ${size(medium.file.bytes)} in ${seconds(BIG_MS)}.`,
          ['A server that waits for one download to finish before it serves the next is stuck behind the slow client.'],
        )
      }
      slow.resume()
      await receive(slow, medium.file, `${medium.what} (to the slow client, once it read again)`)
    },
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
      const path = scratch('huge.bin')
      const fd = openSync(path, 'w')
      for (let copy = 0; copy < HUGE_COPIES; copy++) writeSync(fd, block)
      closeSync(fd)
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
        const downloads = Promise.all(clients.map((client) => receiveCompared(client, hugeFile, BIG_MS)))
        downloads.catch(() => {}) // when memory decides first, the rest of the downloads is moot
        // The verdict comes as soon as memory passes the limit: no need to move 400 MiB first.
        const tooMuch = before === undefined ? new Promise<never>(() => {}) : memory.above(before + MEMORY_LIMIT).then(() => undefined)
        const results = await Promise.race([downloads, tooMuch])
        for (const got of results ?? []) {
          const mismatch = describeCompared('Your server sent', `the ${hugeFile.bytes / MiB} MiB file`, hugeFile, got, SHORT)
          if (mismatch) failWith(mismatch)
        }
      } finally {
        peak = memory.stop()
      }
      if (before === undefined || peak === undefined) return // no /proc here: nothing to claim
      if (peak - before > MEMORY_LIMIT) {
        fail(
          `Your server's memory grew by ${size(peak - before)} while ${HUGE_CLIENTS} clients fetched a ${size(hugeFile.bytes)} file: it held the file in memory instead of streaming it from disk.`,
          [
            `Memory (resident) while it served the small picture: ${idle === undefined ? 'unknown' : size(idle)}`,
            `When the first of the ${HUGE_CLIENTS} clients had connected: ${atStart === undefined ? 'unknown' : size(atStart)}`,
            `At its peak: ${size(peak)}`,
            `Allowed growth: ${size(MEMORY_LIMIT)}`,
          ],
          {
            why:
              'readFileSync (or readFile) loads the whole file, once per client, or once at start-up. fs.createReadStream(IMAGE).pipe(socket) ' +
              'reads 64 KiB at a time, as fast as that client takes them, so memory stays flat whatever the size of the file.',
          },
        )
      }
    },
  )
})
