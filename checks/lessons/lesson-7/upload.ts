// Lesson 7 · upload: POST a file's bytes, streamed, and check the server's receipt. The grader
// is a node:http server that takes the body with a Content-Length or chunked, counts it and
// hashes it; the files hold every byte value and invalid UTF-8, one is 20 MB, one (⭐) 200 MB
// while the program's memory is watched; and some servers lie, refuse (413) or reset half-way.

import { createHash, type Hash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { printedLines, expectExit, expectPrintedLine } from '../../engine/expect.ts'
import { fail, type Explain } from '../../engine/failure.ts'
import type { Random } from '../../engine/random.ts'
import { exercise } from '../../engine/story.ts'
import { deferred, seconds, whileMoving } from '../../engine/wait.ts'
import type { RecordedRequest } from '../../peers/http.ts'
import { resetAfter, routes, type Reply } from '../../peers/routes.ts'
import { residentBytes, watchMemory } from '../../run/memory.ts'
import type { Program } from '../../run/program.ts'
import { t } from '../../text/lang.ts'
import { capitalize, size } from '../../text/words.ts'
import { BIG_CHECK_MS, MEMORY_LIMIT, STALL_MS, failWith, picture } from '../lesson-4/bounds.ts'
import { binaryData, describeMismatch, sha256 } from '../lesson-4/data.ts'
import { describeRequest, expectEnded, expectFailedCleanly } from '../lesson-5/expect.ts'
import { IPV6_URL, expectGet, requestOf } from '../lesson-5/http.ts'
import { onIPv6 } from '../shared.ts'
import { PNG_TYPE, badGateway, receipt, refused, serial, tooLarge, tooLargeError, type Receipt } from './demo.ts'
import { IPV6_WHY, expectRefusal } from './expect.ts'
import { limits } from '../../engine/limits.ts'

/** 20 MB, and 200 MB for the ⭐: sizes in MB, as the checks' names say them. */
const BIG_BYTES = 20_000_000
const HUGE_BYTES = 200_000_000

const SHORT: Explain = {
  why: 'Send every byte of the file: the body is the file read from disk, createReadStream(IMAGE), and fetch sends all of it.',
}

/** The body the server received, whole (it was small enough to keep), is `file`. */
function expectBody(request: RecordedRequest, program: Program, file: Buffer, what: string): void {
  const mismatch = describeMismatch(t`${capitalize(program.label)} sent`, what, file, request.body, SHORT)
  if (mismatch) failWith({ ...mismatch, details: [...mismatch.details, ...describeRequest(request, program)] })
}

const okLine = (bytes: number) => `uploaded ${bytes} bytes, sha256 ok`

/** A file of `bytes` for IMAGE: every byte value and invalid UTF-8 first. */
const uploadFile = (random: Random, bytes: number) => binaryData(random, bytes)

/** Saying what differs: exit code 1, no "sha256 ok", and a line that names `about`. */
async function expectDifferenceReported(program: Program, lie: string, about: RegExp, name: string): Promise<void> {
  const what = t`the server's answer, ${lie}`
  await expectEnded(program, what)
  const label = capitalize(program.label)
  const output = [...program.stderr.lines, ...program.stdout.lines]
  if (output.some((line) => line.includes('sha256 ok'))) {
    fail(t`${label} printed "sha256 ok" after ${what}.`, printedLines(program), {
      why: "Compare both numbers with your own: the file's size in bytes, and the SHA-256 of its bytes (createHash('sha256')). Either one differing means the upload went wrong.",
    })
  }
  expectFailedCleanly(program, what, { why: 'When the numbers differ, say which one (the server received …, but the file has …) and set process.exitCode = 1.' })
  if (!output.some((line) => about.test(line))) {
    fail(t`${label} did not say that the ${name} differs.`, printedLines(program), { why: t`Name what differs, the ${name}, and both values.` })
  }
}

/** SHA-256 of HUGE_BYTES zero bytes, the ⭐ file: worked out once, so a grading need not. */
const HUGE_ZEROS_SHA256 = 'd162f6594b643795442d4c7bba3a1711962b9e63717625d9f1f9696df315c86b'
const ZEROS = Buffer.alloc(1024 * 1024)

const allZero = (chunk: Buffer) => {
  for (let at = 0; at < chunk.length; at += ZEROS.length) {
    const part = chunk.subarray(at, at + ZEROS.length)
    if (!part.equals(ZEROS.subarray(0, part.length))) return false
  }
  return true
}

/**
 * The receipt of an upload that should be all zeros, without hashing them: while only zeros
 * arrive they are counted (memcmp, a tenth of a hash's work), and the first other byte starts a
 * real SHA-256, fed the zeros before it. The answer is the truth either way.
 */
function zerosReceipt(seen: (truth: Receipt) => void): Reply {
  return receipt(undefined, seen, () => {
    let zeros = 0
    let hash: Hash | undefined
    const feedZeros = (into: Hash, count: number) => {
      for (let left = count; left > 0; left -= ZEROS.length) into.update(ZEROS.subarray(0, Math.min(left, ZEROS.length)))
    }
    return {
      update(chunk: Buffer) {
        if (!hash && allZero(chunk)) {
          zeros += chunk.length
          return
        }
        if (!hash) feedZeros((hash = createHash('sha256')), zeros)
        hash.update(chunk)
      },
      digest() {
        if (hash) return hash.digest('hex')
        if (zeros === HUGE_BYTES) return HUGE_ZEROS_SHA256
        const all = createHash('sha256')
        feedZeros(all, zeros)
        return all.digest('hex')
      },
    }
  })
}

export default exercise(({ check, stretch }) => {
  let client: Program
  let request: RecordedRequest
  let file: Buffer
  /** The program's memory as it uploaded a small file: the ⭐ memory check's baseline. */
  let idle: number | undefined

  check('sends POST for the URL it is given, query included', { see: 'streaming-an-upload' }, async ({ http, start, scratch, random }) => {
    const path = `/upload?album=${serial(random)}`
    file = uploadFile(random, random.int(60_000, 90_000))
    const peer = await http(routes({ [path]: receipt() }, refused(404, 'no such album')))
    client = await start({ env: { URL: peer.url(path), IMAGE: await scratch(`photo-${serial(random)}.png`, file) } })
    request = await requestOf(peer, client)
    idle = residentBytes(client.pid)
    expectGet(request, client, path, 'POST')
    await peer.body(client)
  })

  check('sends Content-Type: image/png', { see: 'content-type' }, async () => {
    const type = request.headers['content-type']
    if (type === undefined || !/^image\/png\s*(;.*)?$/i.test(type)) {
      const label = capitalize(client.label)
      fail(type === undefined ? t`${label} sent no Content-Type header, not Content-Type: ${PNG_TYPE}.` : t`${label} sent Content-Type: ${type}, not Content-Type: ${PNG_TYPE}.`, describeRequest(request, client), {
        why: "Content-Type says what the body is: the picture, image/png. headers: { 'Content-Type': 'image/png' }.",
      })
    }
  })

  check('uploads every byte of the file: all 256 byte values and invalid UTF-8', { see: 'streaming-an-upload' }, async () => {
    expectBody(request, client, file, t('the file'))
  })

  check('prints uploaded <n> bytes, sha256 ok and exits with code 0', { see: 'streaming-an-upload' }, async () => {
    await expectPrintedLine(client, okLine(file.length), { why: "The server's count and SHA-256 match the file's: say so, in those words." })
    await expectExit(client, 0)
  })

  check(
    'with no IMAGE, uploads beauty.png from its folder',
    { see: 'the-exercise', why: "By hand nobody passes IMAGE, so the default applies: process.env.IMAGE ?? 'beauty.png', the file in the folder it runs from." },
    async ({ http, start }) => {
      const png = picture()
      const peer = await http(receipt())
      const program = await start({ env: { URL: peer.url('/upload') }, files: { 'beauty.png': png } })
      expectBody(await peer.body(program), program, png, 'beauty.png')
      await expectPrintedLine(program, okLine(png.length))
      await expectExit(program, 0)
    },
  )

  check(
    `uploads a ${BIG_BYTES / 1e6} MB file, byte for byte`,
    { see: 'streaming-an-upload' },
    async ({ http, start, scratch, random }) => {
      const big = uploadFile(random, BIG_BYTES)
      const heard = deferred<Receipt>()
      const peer = await http(receipt(undefined, heard.resolve))
      const program = await start({ env: { URL: peer.url('/upload'), IMAGE: await scratch('big.png', big) } })
      const sent = await requestOf(peer, program)
      // Judged by whether the body moves, not by how long 20 MB take on a loaded machine.
      const got = (await whileMoving(heard.promise, () => sent.bodyBytes, STALL_MS))?.value
      if (!got) {
        const why = program.running ? t`it sent ${size(sent.bodyBytes)}, then nothing for ${seconds(STALL_MS)}` : t`it ${program.describeExit()} after ${size(sent.bodyBytes)}`
        fail(t`${capitalize(program.label)} did not send the whole ${BIG_BYTES / 1e6} MB file: ${why}.`, describeRequest(sent, program), SHORT)
      }
      if (got.sha256 !== sha256(big)) {
        expectBody(sent, program, big.subarray(0, sent.body.length), t`the first ${size(sent.body.length, false)} of the file`)
        fail(t`${capitalize(program.label)} sent ${size(got.bytes)}, not the ${size(big.length)} of the file, byte for byte.`, [t`The server's SHA-256: ${got.sha256}`, t`The file's SHA-256:   ${sha256(big)}`], SHORT)
      }
      await expectPrintedLine(program, okLine(big.length))
      await expectExit(program, 0)
    },
    { ms: BIG_CHECK_MS },
  )

  check("when the server's SHA-256 differs, says so and exits with code 1", { see: 'streaming-an-upload' }, async ({ http, start, scratch, random }) => {
    const data = uploadFile(random, random.int(20_000, 40_000))
    const wrong = sha256(Buffer.from(`not the file #${serial(random)}`))
    const peer = await http(receipt((truth) => ({ bytes: truth.bytes, sha256: wrong })))
    const program = await start({ env: { URL: peer.url('/upload'), IMAGE: await scratch('lie.png', data) } })
    await requestOf(peer, program)
    await expectDifferenceReported(program, t`sha256 ${wrong.slice(0, 12)}… with the right byte count`, /sha-?256|hash|digest/i, 'SHA-256')
  })

  check("when the server's byte count differs, with the right SHA-256, says so and exits with code 1", { see: 'streaming-an-upload' }, async ({ http, start, scratch, random }) => {
    const data = uploadFile(random, random.int(20_000, 40_000))
    const peer = await http(receipt((truth) => ({ bytes: truth.bytes - 1, sha256: truth.sha256 })))
    const program = await start({ env: { URL: peer.url('/upload'), IMAGE: await scratch('count.png', data) } })
    await requestOf(peer, program)
    await expectDifferenceReported(program, t`${data.length - 1} bytes with the right sha256`, new RegExp(`\\b${data.length - 1}\\b|bytes|size|length|count`, 'i'), t('byte count'))
  })

  check('on a 413, prints one line with the status and the error, and exits with code 1', { see: 'status-codes-for-a-post' }, async ({ http, start, scratch, random }) => {
    const limit = `${random.int(100, 900)} KB`
    const peer = await http(tooLarge(limit))
    const program = await start({ env: { URL: peer.url('/upload'), IMAGE: await scratch('large.png', uploadFile(random, 2_000_000)) } })
    await requestOf(peer, program)
    await expectRefusal(program, 413, tooLargeError(limit), {
      why: "413 Payload Too Large: the server will not take a file this size. Check response.ok, and print the status with the JSON body's error.",
    })
  })

  check(
    'on a 502 with an HTML page, prints one line with the status and exits with code 1',
    { see: 'status-codes-for-a-post', why: 'Check response.ok first. An error body need not be JSON: try to parse it, and when that fails, print the status alone.' },
    async ({ http, start, scratch, random }) => {
      const peer = await http(badGateway)
      const program = await start({ env: { URL: peer.url('/upload'), IMAGE: await scratch('gateway.png', uploadFile(random, 50_000)) } })
      await requestOf(peer, program)
      await expectRefusal(program, 502, undefined)
    },
  )

  check(
    'when the server resets the connection half-way, prints one line and exits with code 1',
    { see: 'streaming-an-upload', why: "A reset makes fetch throw (ECONNRESET): catch it, print one line, set process.exitCode = 1. The upload did not happen." },
    async ({ http, start, scratch, random }) => {
      const data = uploadFile(random, 4_000_000)
      const peer = await http(resetAfter(data.length >> 1))
      const program = await start({ env: { URL: peer.url('/upload'), IMAGE: await scratch('reset.png', data) } })
      await requestOf(peer, program)
      const what = t`the server reset the connection after ${size(data.length >> 1, false)} of ${size(data.length, false)}`
      await expectEnded(program, what)
      expectFailedCleanly(program, what)
    },
  )

  stretch(
    ...onIPv6(
      'ipv6-in-a-url',
      async ({ http, start, scratch, random }) => {
        const data = uploadFile(random, random.int(20_000, 40_000))
        const peer = await http(receipt())
        const program = await start({ env: { URL: peer.url('/upload'), IMAGE: await scratch('v6.png', data) } })
        expectBody(await peer.body(program), program, data, t('the file'))
        await expectPrintedLine(program, okLine(data.length))
        await expectExit(program, 0)
      },
      IPV6_WHY,
      IPV6_URL,
    ),
  )

  stretch(
    `streams from disk: its memory stays flat while ${HUGE_BYTES / 1e6} MB goes up`,
    { see: 'streaming-an-upload' },
    async ({ http, start, scratch }) => {
      // Zeros, a sparse file: memory is what this check is about (every byte value went up in the
      // checks before), and zeros cost neither a disk write nor a hash here.
      const path = await scratch('huge.png')
      const handle = await open(path, 'w')
      await handle.truncate(HUGE_BYTES)
      await handle.close()
      const heard = deferred<Receipt>()
      const peer = await http(zerosReceipt(heard.resolve))
      const program = await start({ env: { URL: peer.url('/upload'), IMAGE: path } })
      // A program may read the whole file once for its SHA-256 before it sends the request: 200 MB
      // take a second or two of a loaded machine.
      const sent = await requestOf(peer, program, 1, limits.startMs * 2)
      const atStart = residentBytes(program.pid)
      // Compared with the same program uploading a small file too: one that reads the whole file
      // before it sends the request already holds it here.
      const before = idle === undefined || atStart === undefined ? (idle ?? atStart) : Math.min(idle, atStart)
      const memory = watchMemory(program.pid, 50)
      let peak: number | undefined
      let overLimit = false
      try {
        const tooMuch = before === undefined ? new Promise<never>(() => {}) : memory.above(before + MEMORY_LIMIT).then(() => 'too much' as const)
        // A correct program takes a second or two; on a machine loaded with gradings side by side,
        // ten times that or more: judged by whether the body moves, not by how long it takes.
        const outcome = await whileMoving(Promise.race([heard.promise, tooMuch]), () => sent.bodyBytes, STALL_MS)
        overLimit = outcome?.value === 'too much'
        if (outcome === undefined) fail(t`${capitalize(program.label)} sent ${size(sent.bodyBytes)} of the ${HUGE_BYTES / 1e6} MB file, then nothing for ${seconds(STALL_MS)}.`)
      } finally {
        peak = memory.stop()
      }
      if (before !== undefined && peak !== undefined && (overLimit || peak - before > MEMORY_LIMIT)) {
        fail(
          t`${capitalize(program.label)}'s memory grew by ${size(peak - before)} while it uploaded ${HUGE_BYTES / 1e6} MB: it held the file in memory instead of streaming it.`,
          [
            t`Memory (resident) as it uploaded a small file: ${idle === undefined ? t('unknown') : size(idle)}`,
            t`When this request arrived: ${atStart === undefined ? t('unknown') : size(atStart)}`,
            t`At its peak: ${size(peak)}`,
            t`Allowed growth: ${size(MEMORY_LIMIT)}`,
          ],
          {
            why: "readFile() holds the whole file; so does fetch with a stream body, unless it says redirect: 'error': to follow a redirect it would send the body again, so it keeps a copy. body: Readable.toWeb(createReadStream(IMAGE)), duplex: 'half', redirect: 'error' sends 64 KiB at a time, as the network takes them.",
          },
        )
      }
      await expectPrintedLine(program, okLine(HUGE_BYTES))
      await expectExit(program, 0)
    },
    { ms: BIG_CHECK_MS },
  )
})
