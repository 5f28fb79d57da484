// Lesson 5: HTTP GET. Three clients of a local HTTP server: get-json (fetch), download (a
// picture saved safely) and raw-get (the same GET by hand over node:net). For the first two
// the grader is a node:http server that records each request; for raw-get it is a raw TCP
// server that reads the request's bytes and writes a hand-made answer, cut wherever it hurts.
// Items and pictures are new on every run (Chinese, emoji, bytes that are not UTF-8).

import type { IncomingMessage, ServerResponse } from 'node:http'
import { quoteBytes } from '../bytes.ts'
import { expectExit, expectPrinted } from '../expect.ts'
import { explaining, fail } from '../failure.ts'
import { limits } from '../limits.ts'
import type { Connection } from '../peers/connection.ts'
import type { Handler, HttpPeer, RecordedRequest } from '../peers/http.ts'
import type { Random } from '../random.ts'
import type { Program } from '../run/program.ts'
import { exercise, type CheckContext, type TestServer } from '../story.ts'
import { seconds, sleep } from '../wait.ts'
import { JSON_TYPE, notFoundPage, pandaJpeg, satinItems, satinJson, serverErrorJson, writeAll, type SatinItem } from './lesson-5-demo.ts'
import {
  compareBytes,
  decodedAsText,
  describeRequest,
  expectEnded,
  expectFailedCleanly,
  expectFolderUntouched,
  expectGivesUp,
  expectItems,
  expectStatusError,
  filesIn,
  size,
  waitForBytesOnDisk,
} from './lesson-5-expect.ts'
import { noise } from './lesson-5-image.ts'

/** TIMEOUT_MS for the stall stories; a program gets 10× that to give up. A program may start
 * its clock before fetch has even loaded (a few hundred ms on a loaded machine): 300 ms once
 * made a correct download give up before its request, so the margin is 10× that now. */
const STALL_TIMEOUT_MS = 1000
const BIG_ITEMS = 1500
const BIG_PICTURE = 20 * 1024 * 1024
const HTML_TYPE = 'text/html; charset=utf-8'
const STALLED = 'the server sent its headers and part of the body, then nothing more'

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** A handler that may wait; a failure inside it just drops that response. */
const serve =
  (handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Handler =>
  (request, response) => {
    handle(request, response).catch(() => response.destroy())
  }

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/** `promise`, or `fallback` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Where every multi-byte character starts, with its length. */
function characters(bytes: Buffer, from = 0, to = bytes.length): Array<[number, number]> {
  const found: Array<[number, number]> = []
  for (let i = from; i < to; i++) {
    const byte = bytes[i]!
    if (byte >= 0xc0) found.push([i, byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2])
  }
  return found
}

/** A cut strictly inside one of the multi-byte characters of bytes[from, to). */
function cutInsideCharacter(bytes: Buffer, random: Random, from = 0, to = bytes.length): number {
  const [start, length] = random.pick(characters(bytes, from, to))
  return start + random.int(1, length - 1)
}

/** `cuts` plus random ones, sorted, unique, within (0, length). */
function withRandomCuts(cuts: number[], length: number, total: number, random: Random): number[] {
  const all = new Set(cuts.filter((cut) => cut > 0 && cut < length))
  while (all.size < Math.min(total, length - 1)) all.add(random.int(1, length - 1))
  return [...all].sort((a, b) => a - b)
}

const piecesOf = (bytes: Buffer, cuts: number[]) => [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length))

/** Writes the pieces to an HTTP response with pauses between them (the peer sends chunked). */
async function writePieces(response: ServerResponse, pieces: Buffer[], pauseMs: number): Promise<void> {
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(pauseMs)
    if (response.destroyed) return
    response.write(piece)
  }
  response.end()
}

/** Writes the pieces to a raw connection with pauses between them, recorded as one send. */
async function sendPieces(connection: Connection, bytes: Buffer, cuts: number[], pauseMs: number): Promise<void> {
  const pieces = piecesOf(bytes, cuts)
  connection.transcript.peerSent(bytes, pieces.map((p) => p.length), pauseMs)
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(pauseMs)
    if (connection.socket.destroyed) return
    connection.socket.write(piece)
  }
}

/** The body in HTTP/1.1 chunked framing, cut at `cuts`; also where each size line starts. */
function chunked(body: Buffer, cuts: number[]): { bytes: Buffer; sizeLines: number[] } {
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

function expectGet(request: RecordedRequest, program: Program, path: string): void {
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
function requestOf(peer: HttpPeer, program: Program, count = 1): Promise<RecordedRequest> {
  return explaining({ why: "Send the request to the address in the URL environment variable: the grader's server runs on a port of its own." }, () =>
    peer.request(program, count),
  )
}

// ——— 5.1 get-json ———

const JSON_WHY = 'response.json() (or JSON.parse of the whole body, decoded once) gives you the object; print item.name and item.text for each item of data.'

export const getJson = exercise(({ check, stretch }) => {
  let client: Program
  let request: RecordedRequest
  let items: SatinItem[]

  check('sends GET for the URL it is given, query included', { see: 'url-parts' }, async ({ http, start, random }) => {
    const path = `/satinApi?type=${random.int(1, 3)}&page=${random.int(2, 99)}`
    items = satinItems(random, random.int(4, 7))
    const body = Buffer.from(satinJson(items))
    const peer = await http((req, res) => {
      if (req.url !== path) {
        res.writeHead(404, { 'Content-Type': HTML_TYPE })
        res.end(notFoundPage(req.url ?? '/'))
        return
      }
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length })
      res.end(body)
    })
    client = await start({ env: { URL: peer.url(path) } })
    request = await requestOf(peer, client)
    expectGet(request, client, path)
  })

  check('asks for JSON with Accept: application/json', { see: 'the-request' }, async () => {
    const accept = request.headers.accept
    if (!accept || !/application\/json/i.test(accept)) {
      fail(`${capitalize(client.label)} sent ${accept ? `Accept: ${accept}` : 'no Accept header'}, not Accept: application/json.`, describeRequest(request, client), {
        why: "Accept tells the server which kind of body you can read. fetch sends */* unless you say otherwise: fetch(TARGET, { headers: { Accept: 'application/json' } }).",
      })
    }
  })

  check('prints the status code and the content-type', { see: 'the-response' }, async () => {
    await expectPrinted(client, '200', { why: 'The status code comes first in the answer: print response.status.' })
    await expectPrinted(client, JSON_TYPE, { why: "Print the Content-Type header as the server sent it: response.headers.get('content-type')." })
  })

  check('prints name: text for each item, in order, and exits with code 0', { see: 'read-the-whole-body-then-decode', why: JSON_WHY }, async () => {
    await expectItems(client, items, { badJson: 'Your client could not parse the body as JSON: {error}' })
    await expectExit(client, 0)
  })

  check(
    'reads a chunked body that arrives in pieces, a character cut in two',
    {
      see: 'read-the-whole-body-then-decode',
      why: 'Join the pieces as bytes and decode once at the end: response.json() or response.text() do that for you.',
    },
    async ({ http, start, random }) => {
      const its = satinItems(random, random.int(3, 5))
      const body = Buffer.from(satinJson(its))
      // Three of the writes end inside a character: a slow reader may get two writes as one
      // read, but not all of them.
      const data = body.indexOf('"data"')
      const inside = [0, 1, 2].map(() => cutInsideCharacter(body, random, data))
      const cuts = withRandomCuts(inside, body.length, 6, random)
      const peer = await http(
        serve(async (_, res) => {
          res.writeHead(200, { 'Content-Type': JSON_TYPE }) // no Content-Length: chunked
          await writePieces(res, piecesOf(body, cuts), 25)
        }),
      )
      const program = await start({ env: { URL: peer.url('/satinApi?type=1&page=1') } })
      await requestOf(peer, program)
      await expectItems(program, its, {
        badJson: `Your client could not parse a body that arrived in ${cuts.length + 1} pieces: {error}. Parse it once, when all of it is there.`,
        split: 'The body came in pieces, and one piece ended inside a character. `body += chunk` decodes each piece on its own: collect the Buffers, or call setEncoding("utf8") first.',
      })
      await expectExit(program, 0)
    },
  )

  check(
    `reads a large body: ${BIG_ITEMS} items, about 600 KB`,
    { see: 'content-length-or-chunked', why: 'Read until the body is complete, however many pieces it takes, then parse it once.' },
    async ({ http, start, random }) => {
      const its = satinItems(random, BIG_ITEMS)
      const body = Buffer.from(satinJson(its, { padded: true, random }))
      const peer = await http(
        serve(async (_, res) => {
          res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length })
          if (await writeAll(res, body, 16 * 1024)) res.end()
        }),
      )
      const program = await start({ env: { URL: peer.url('/satinApi?type=1&page=1') } })
      await requestOf(peer, program)
      await expectItems(program, its, { badJson: `Your client could not parse a ${size(body.length)} body: {error}` })
      await expectExit(program, 0)
    },
  )

  for (const status of [404, 500]) {
    check(`on a ${status}, prints one line with the status and exits with code 1`, { see: 'check-the-status' }, async ({ http, start }) => {
      const peer = await http((req, res) => {
        if (status === 404) {
          res.writeHead(404, { 'Content-Type': HTML_TYPE })
          res.end(notFoundPage(req.url ?? '/'))
        } else {
          res.writeHead(500, { 'Content-Type': JSON_TYPE })
          res.end(serverErrorJson())
        }
      })
      const program = await start({ env: { URL: peer.url(status === 404 ? '/satinApi?type=1&page=77' : '/satinApi?type=1&page=1') } })
      await requestOf(peer, program)
      await expectEnded(program, `the ${status} answer`)
      expectStatusError(program, status, {
        why: 'A 404 or a 500 comes with a body too (an error page), but it is not your data. Check response.ok before reading the body.',
      })
    })
  }

  stretch('gives up with one line when the server stalls mid-body (TIMEOUT_MS)', { see: 'timeouts' }, async ({ http, start, random }) => {
    const body = Buffer.from(satinJson(satinItems(random, 5)))
    const peer = await http((_, res) => {
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length })
      res.write(body.subarray(0, random.int(20, body.length >> 1)))
    })
    const program = await start({ env: { URL: peer.url('/satinApi?type=1&page=1'), TIMEOUT_MS: String(STALL_TIMEOUT_MS) } })
    await requestOf(peer, program)
    await expectGivesUp(program, STALL_TIMEOUT_MS, STALLED)
  })
})

// ——— 5.2 download ———

const SAFE_WHY = 'Stream the body into a temporary file next to OUT; rename it to OUT once the whole body is there.'

/** OUT holds exactly `want`, and nothing else was left in the folder. */
function expectSaved(program: Program, out: string, want: Buffer): void {
  const label = capitalize(program.label)
  const files = filesIn(program.workDir)
  const got = files.get(out)
  const others = [...files.keys()].filter((name) => name !== out)
  if (!got) {
    if (others.length) {
      fail(`${label} did not save ${out}; it saved ${others.join(', ')} instead.`, [], { why: "Save to the file named by OUT: const OUT = process.env.OUT ?? 'pic.jpg'." })
    }
    fail(`${label} saved no file: there is no ${out}.`)
  }
  if (!got.equals(want)) {
    if (decodedAsText(want, got)) {
      fail(`${label} turned the picture into a string, and back: every byte that is not valid UTF-8 became "\ufffd" (ef bf bd).`, compareBytes(want, got), {
        why: 'A picture is bytes, not text. Never call .text() or toString() on it, or add its pieces to a string: keep Buffers, or stream them to the file.',
      })
    }
    fail(`${out} is not the picture the server sent.`, compareBytes(want, got))
  }
  if (others.length) fail(`${label} saved ${out}, but left ${others.join(', ')} behind.`, [], { why: 'Rename the temporary file to OUT; do not copy it.' })
}

export const download = exercise(({ check, stretch }) => {
  let client: Program
  let picture: Buffer
  let out: string

  const outName = (random: Random) => `panda-${random.int(1000, 9999)}.jpg`
  const oldPicture = (random: Random) => Buffer.concat([Buffer.from(`旧的图片 old picture #${random.int(1000, 9999)}\n`), noise(random, random.int(2000, 4000))])

  check('sends GET for the URL it is given', { see: 'url-parts' }, async ({ http, start, random }) => {
    out = outName(random)
    picture = pandaJpeg(random)
    const path = `/pics/${random.int(10000, 99999)}.jpg?size=small`
    const peer = await http((req, res) => {
      if (req.url !== path) {
        res.writeHead(404, { 'Content-Type': HTML_TYPE })
        res.end(notFoundPage(req.url ?? '/'))
        return
      }
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': picture.length })
      res.end(picture)
    })
    client = await start({ env: { URL: peer.url(path), OUT: out } })
    expectGet(await requestOf(peer, client), client, path)
  })

  check('saves the picture to OUT, byte for byte, and exits with code 0', { see: 'saving-a-download-safely' }, async () => {
    await expectExit(client, 0, { why: 'Once the picture is saved, nothing is left to do: the program ends by itself.' })
    expectSaved(client, out, picture)
  })

  check(
    'replaces an existing OUT instead of appending to it',
    { see: 'saving-a-download-safely', why: "The seed opens the file with 'ab', append. fs.createWriteStream(path) (flag 'w') empties the file first; rename() replaces it whole." },
    async ({ http, start, random }) => {
      const name = outName(random)
      const old = oldPicture(random)
      const pic = pandaJpeg(random)
      const peer = await http((_, res) => {
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': pic.length })
        res.end(pic)
      })
      const program = await start({ env: { URL: peer.url('/pic.jpg'), OUT: name }, files: { [name]: old } })
      await requestOf(peer, program)
      await expectExit(program, 0)
      const got = filesIn(program.workDir).get(name)
      if (got?.equals(Buffer.concat([old, pic]))) {
        fail(`${capitalize(program.label)} appended the picture to the existing ${name} instead of replacing it.`, [
          `${name} now holds ${size(got.length)}: the old ${size(old.length)}, then the new ${size(pic.length)}.`,
        ])
      }
      if (got && got.length > pic.length && got.subarray(0, pic.length).equals(pic)) {
        fail(`${capitalize(program.label)} wrote the picture over the start of the existing ${name}, but left the old file's tail after it.`, [
          `${name} now holds ${size(got.length)}; the picture is ${size(pic.length)}.`,
        ])
      }
      expectSaved(program, name, pic)
    },
  )

  check(
    'follows redirects: 301, then 302',
    {
      see: 'redirects',
      why: 'fetch follows redirects by itself (unless told redirect: "manual"); http.get does not: on a 3xx, GET the Location header, resolved against the URL you asked for.',
    },
    async ({ http, start, random }) => {
      const name = outName(random)
      const pic = pandaJpeg(random)
      const n = random.int(10000, 99999)
      const [first, second, last] = [`/old/${n}.jpg`, `/moved/${n}.jpg`, `/cdn/${n}.jpg`]
      const peer: HttpPeer = await http((req, res) => {
        if (req.url === first) {
          res.writeHead(301, { Location: second, 'Content-Type': HTML_TYPE })
          res.end(`<a href="${second}">Moved Permanently</a>\n`)
        } else if (req.url === second) {
          res.writeHead(302, { Location: peer.url(last), 'Content-Type': HTML_TYPE })
          res.end(`<a href="${peer.url(last)}">Found</a>\n`)
        } else if (req.url === last) {
          res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': pic.length })
          res.end(pic)
        } else {
          res.writeHead(404, { 'Content-Type': HTML_TYPE })
          res.end(notFoundPage(req.url ?? '/'))
        }
      })
      const program = await start({ env: { URL: peer.url(first), OUT: name } })
      await requestOf(peer, program)
      await program.waitForExit(limits.waitMs)
      const asked = peer.requests.map((r) => `  ${r.method} ${r.path}`)
      const label = capitalize(program.label)
      if (!peer.requests.some((r) => r.path === second)) {
        fail(`${label} did not follow the redirect: the server answered 301 Moved Permanently with Location: ${second}, and your client never asked for it.`, [
          `${label} asked for:`,
          ...asked,
        ])
      }
      if (!peer.requests.some((r) => r.path === last)) {
        fail(`${label} followed the 301 but not the 302 after it (Location: ${peer.url(last)}, an absolute URL this time).`, [`${label} asked for:`, ...asked])
      }
      await expectExit(program, 0)
      expectSaved(program, name, pic)
    },
  )

  check(
    'streams a 20 MB picture to disk as it arrives, byte for byte',
    {
      see: 'saving-a-download-safely',
      why: "Stream it: pipe the body into fs.createWriteStream(), so each piece goes to disk as it arrives. The seed's pic += response.content keeps the whole file in memory first.",
    },
    async ({ http, start, random }) => {
      const name = outName(random)
      const big = pandaJpeg(random, BIG_PICTURE)
      const half = BIG_PICTURE / 2
      const enough = 1024 * 1024
      let program: Program | undefined
      const onDisk = deferred<number | undefined>()
      const peer = await http(
        serve(async (_, res) => {
          try {
            res.writeHead(200, { 'Content-Type': 'image/jpeg' }) // chunked: no size known in advance
            if (!(await writeAll(res, big.subarray(0, half)))) return
            // The first half is on its way. A client that streams puts it on disk now; one that
            // keeps everything in memory writes nothing until the end, which we do not send yet.
            const bytes = await waitForBytesOnDisk(program!.workDir, enough, limits.waitMs)
            onDisk.resolve(bytes)
            if (bytes < enough) return void res.destroy()
            if (await writeAll(res, big.subarray(half))) res.end()
          } finally {
            onDisk.resolve(undefined) // the client left early (a no-op once resolved)
          }
        }),
      )
      program = await start({ env: { URL: peer.url(`/big/${random.int(10000, 99999)}.jpg`), OUT: name } })
      await requestOf(peer, program)
      const label = capitalize(program.label)
      const bytes = await within(onDisk.promise, limits.waitMs * 3, undefined)
      if (bytes === undefined) {
        fail(`${label} did not take the first ${size(half)} of the picture within ${seconds(limits.waitMs * 3)}${program.running ? '' : `: it ${program.describeExit()}`}.`)
      }
      if (bytes < enough) {
        fail(
          `${label} had written ${size(bytes)} to disk after the first ${size(half)} of ${size(BIG_PICTURE)} had arrived: it keeps the picture in memory until the end.`,
          ['(The grader counts the bytes of every file in the folder of OUT, a temporary file included.)'],
        )
      }
      await expectExit(program, 0)
      expectSaved(program, name, big)
    },
  )

  for (const status of [404, 500]) {
    check(`on a ${status}, prints one line with the status, exits with code 1 and saves nothing`, { see: 'check-the-status' }, async ({ http, start, random }) => {
      const name = outName(random)
      // The 404 story has an old OUT to keep; the 500 story has none, and must not make one.
      const old = status === 404 ? oldPicture(random) : undefined
      const page = Buffer.from(status === 404 ? notFoundPage(`/pics/${name}`) : serverErrorJson())
      const peer = await http((_, res) => {
        res.writeHead(status, { 'Content-Type': status === 404 ? HTML_TYPE : JSON_TYPE, 'Content-Length': page.length })
        res.end(page)
      })
      const program = await start({ env: { URL: peer.url(`/pics/${name}`), OUT: name }, files: old ? { [name]: old } : undefined })
      await requestOf(peer, program)
      await expectEnded(program, `the ${status} answer`)
      expectFolderUntouched(program, { out: name, content: old, body: page, what: `the ${status} answer` })
      expectStatusError(program, status, { why: 'Check response.ok (or the status code) before you write anything.' })
    })
  }

  check(
    'on a broken transfer, exits with code 1, leaves no partial file and keeps the old OUT',
    { see: 'saving-a-download-safely', why: SAFE_WHY },
    async ({ http, start, random }) => {
      const name = outName(random)
      const old = oldPicture(random)
      const pic = pandaJpeg(random, 256 * 1024)
      const peer = await http((_, res) => {
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': pic.length })
        // Half the promised bytes, then the connection is cut.
        res.write(pic.subarray(0, pic.length >> 1), () => res.socket?.destroy())
      })
      const program = await start({ env: { URL: peer.url('/pic.jpg'), OUT: name }, files: { [name]: old } })
      await requestOf(peer, program)
      const what = `the connection broke halfway (${size(pic.length >> 1)} of the ${size(pic.length)} promised)`
      await expectEnded(program, what)
      expectFolderUntouched(program, { out: name, content: old, body: pic, what: 'the broken transfer' })
      expectFailedCleanly(program, 'the broken transfer', { why: 'A body that ends before Content-Length bytes is an error: print one line, set process.exitCode = 1.' })
    },
  )

  stretch('gives up with one line when the server stalls (TIMEOUT_MS), leaving no partial file', { see: 'timeouts' }, async ({ http, start, random }) => {
    const name = outName(random)
    const old = oldPicture(random)
    const pic = pandaJpeg(random, 64 * 1024)
    const peer = await http((_, res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': pic.length })
      res.write(pic.subarray(0, pic.length >> 1))
    })
    const program = await start({ env: { URL: peer.url('/pic.jpg'), OUT: name, TIMEOUT_MS: String(STALL_TIMEOUT_MS) }, files: { [name]: old } })
    await requestOf(peer, program)
    await expectGivesUp(program, STALL_TIMEOUT_MS, STALLED)
    expectFolderUntouched(program, { out: name, content: old, body: pic, what: 'the stalled transfer' })
  })
})

// ——— 5.3 raw-get ———

interface RequestHead {
  raw: Buffer
  method: string
  target: string
  version: string
  headers: Map<string, string>
}

/** Reads the request's head, up to the blank line, and explains a head that never ends. */
async function readHead(connection: Connection): Promise<RequestHead> {
  const label = capitalize(connection.program.label)
  let raw: Buffer
  try {
    raw = await connection.readUntil('\r\n\r\n')
  } catch (error) {
    const sent = connection.unread
    if (sent.includes('\n') && !sent.includes('\r\n')) {
      fail(`${label} ended its lines with \\n alone: ${quoteBytes(sent)}.`, [], {
        why: 'In HTTP every line ends with \\r\\n, and an empty line (\\r\\n\\r\\n) ends the head. Until the server sees it, it waits for more headers.',
      })
    }
    if (sent.includes('\r\n')) {
      fail(`${label} sent ${quoteBytes(sent)}, but no empty line after the headers.`, [], {
        why: 'An empty line (\\r\\n\\r\\n) ends the head. Until the server sees it, it waits for more headers.',
      })
    }
    throw error
  }
  const [requestLine = '', ...lines] = raw.toString('latin1').slice(0, -4).split('\r\n')
  const headers = new Map<string, string>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const [method = '', target = '', version = ''] = requestLine.split(' ')
  return { raw, method, target, version, headers }
}

/** The request line, checked: GET, the path with its query, HTTP/1.1. */
function expectRequestLine(head: RequestHead, program: Program, path: string): void {
  const label = capitalize(program.label)
  const sent = [`${label} sent: ${quoteBytes(head.raw, 240)}`]
  const line = head.raw.subarray(0, head.raw.indexOf('\r\n')).toString('latin1')
  if (!/^\S+ \S+ \S+$/.test(line)) {
    fail(`${label}'s request line is ${quoteBytes(line)}; expected GET ${path} HTTP/1.1.`, sent, { why: 'Method, target and version, with one space between them.' })
  }
  if (head.method !== 'GET') fail(`${label} sent a ${head.method} request; expected GET.`, sent)
  // A server must accept the absolute form too (http://host:port/path), though clients rarely send it.
  const target = /^https?:\/\//.test(head.target) ? new URL(head.target).pathname + new URL(head.target).search : head.target
  if (target !== path) {
    const [pathname, query] = path.split('?')
    if (target === pathname) {
      fail(`${label} dropped the query: it asked for ${head.target}, not ${path}.`, sent, {
        why: `The query (?${query}) is part of the target: send url.pathname + url.search.`,
      })
    }
    fail(`${label} asked for ${head.target}, but the URL it was given says ${path}.`, sent)
  }
  if (head.version !== 'HTTP/1.1') {
    fail(`${label} asked in ${head.version}; expected HTTP/1.1.`, sent, { why: 'The version ends the request line: GET /path HTTP/1.1.' })
  }
}

function expectRequestHeaders(head: RequestHead, program: Program, host: string): void {
  const label = capitalize(program.label)
  const sent = [`${label} sent: ${quoteBytes(head.raw, 240)}`]
  const hostHeader = head.headers.get('host')
  if (hostHeader === undefined) fail(`${label} sent no Host header.`, sent, { why: 'HTTP/1.1 requires Host: one server can answer for many names. Send Host: ' + host + '.' })
  if (hostHeader !== host) {
    fail(`${label} sent Host: ${hostHeader}; expected Host: ${host}.`, sent, { why: 'Host names the server as the URL does, with the port unless it is 80: url.host.' })
  }
  const accept = head.headers.get('accept')
  if (!accept || !/application\/json/i.test(accept)) {
    fail(`${label} sent ${accept ? `Accept: ${accept}` : 'no Accept header'}, not Accept: application/json.`, sent, {
      why: 'Accept tells the server which kind of body you can read.',
    })
  }
  const connection = head.headers.get('connection')
  if (!connection || connection.toLowerCase() !== 'close') {
    fail(`${label} sent ${connection ? `Connection: ${connection}` : 'no Connection header'}, not Connection: close.`, sent, {
      why: 'HTTP/1.1 keeps a connection open for the next request unless you say Connection: close. Then the server hangs up after its answer, and you know it is complete.',
    })
  }
}

/** A fresh raw-get program, its connection and its request read. */
async function rawClient(context: CheckContext, env: Record<string, string> = {}): Promise<{ program: Program; connection: Connection; server: TestServer }> {
  const server = await context.listen()
  const program = await context.start({ to: server, env: { URL: `http://${server.host}:${server.port}/satinApi?type=1&page=1`, ...env } })
  const connection = await server.accept(program)
  await readHead(connection)
  return { program, connection, server }
}

const responseHead = (status: string, headers: Record<string, string | number>) =>
  Buffer.from(`HTTP/1.1 ${status}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`)

const CHUNKED_JSON =
  'Your client could not parse the chunked body as JSON: {error}. With Transfer-Encoding: chunked the body is a series of "<size in hex>\\r\\n<bytes>\\r\\n", ending with "0\\r\\n\\r\\n": take the sizes out, join the bytes, then parse. (This server writes header names in lower case: transfer-encoding. Names are case-insensitive.)'

export const rawGet = exercise(({ check, stretch }) => {
  let server: TestServer
  let client: Program
  let connection: Connection
  let path: string
  let head: RequestHead
  let items: SatinItem[]
  let writes = 0

  check('connects to the host and port in URL', { see: 'url-parts', why: 'new URL(process.env.URL) gives you hostname and port: connect to those.' }, async ({ listen, start, random }) => {
    server = await listen()
    path = `/satinApi?type=${random.int(1, 3)}&page=${random.int(2, 99)}`
    client = await start({ to: server, env: { URL: `http://${server.host}:${server.port}${path}` } })
    connection = await server.accept(client)
  })

  check('sends the request line GET <path?query> HTTP/1.1', { see: 'the-request' }, async () => {
    head = await readHead(connection)
    expectRequestLine(head, client, path)
  })

  check('sends Host, Accept: application/json and Connection: close, then a blank line', { see: 'the-request' }, async () => {
    expectRequestHeaders(head, client, `${server.host}:${server.port}`)
  })

  check(
    'prints the status code and the content-type',
    { see: 'the-response', why: 'The status line comes first: HTTP/1.1 200 OK. Then headers, "Name: value", up to an empty line.' },
    async ({ random }) => {
      items = satinItems(random, random.int(4, 7))
      const body = Buffer.from(satinJson(items))
      const response = Buffer.concat([responseHead('200 OK', { 'Content-Type': JSON_TYPE, 'Content-Length': body.length, Connection: 'close' }), body])
      const bodyStart = response.length - body.length
      const inside = [0, 1, 2].map(() => cutInsideCharacter(response, random, bodyStart))
      const cuts = withRandomCuts(inside, response.length, 6, random)
      await sendPieces(connection, response, cuts, 25)
      writes = cuts.length + 1
      connection.end()
      await expectPrinted(client, '200')
      await expectPrinted(client, JSON_TYPE)
    },
  )

  check(
    'prints name: text for each item, in order, and exits with code 0',
    {
      see: 'read-the-whole-body-then-decode',
      why: 'Keep the bytes until the body is complete (Content-Length bytes, or the close), then decode and parse them once.',
    },
    async () => {
      await expectItems(client, items, {
        badJson: `Your client could not parse the body as JSON: {error}. The answer came in ${writes} writes: was it parsed before the whole body had arrived?`,
      })
      await expectExit(client, 0)
    },
  )

  check(
    'reads a chunked body split anywhere, even inside a chunk size or a character',
    { see: 'content-length-or-chunked', why: 'Collect the bytes, cut the chunks out of them, join the chunks, then decode once.' },
    async (context) => {
      const { random } = context
      const { program, connection } = await rawClient(context)
      const its = satinItems(random, random.int(3, 5))
      const body = Buffer.from(satinJson(its))
      // An HTTP chunk ends inside a character; chunks are big enough for two-digit sizes.
      // (4 cuts in 300-odd bytes: some chunk is at least 16 bytes long.)
      const chunkCuts = withRandomCuts([cutInsideCharacter(body, random, body.indexOf('"data"'))], body.length, 4, random)
      const framed = chunked(body, chunkCuts)
      const headBytes = responseHead('200 OK', { 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked', connection: 'close' })
      const response = Buffer.concat([headBytes, framed.bytes])
      const at = (offset: number) => headBytes.length + offset
      // Writes end: inside the head, between the digits of a chunk size, between a \r and its
      // \n, and inside a character.
      const twoDigits = framed.sizeLines.find((offset) => framed.bytes.indexOf('\r\n', offset) - offset >= 2)!
      const afterData = framed.sizeLines[2]! - 1
      const tcpCuts = [
        random.int(5, headBytes.length - 5),
        at(twoDigits + 1),
        at(afterData),
        cutInsideCharacter(response, random, at(framed.sizeLines[1]!)),
        cutInsideCharacter(response, random, at(framed.sizeLines[1]!)),
      ]
      await sendPieces(connection, response, withRandomCuts(tcpCuts, response.length, 7, random), 20)
      connection.end()
      await expectItems(program, its, {
        badJson: CHUNKED_JSON,
        split: 'An HTTP chunk ended in the middle of a character. Join the bytes of all the chunks, then decode once; never decode chunk by chunk.',
      })
      await expectExit(program, 0)
    },
  )

  check(
    `reads a large chunked body: ${BIG_ITEMS} items, about 600 KB`,
    { see: 'content-length-or-chunked', why: 'Keep reading until the chunk of size 0 (or the close), however many reads it takes.' },
    async (context) => {
      const { random } = context
      const { program, connection } = await rawClient(context)
      const its = satinItems(random, BIG_ITEMS)
      const body = Buffer.from(satinJson(its, { padded: true, random }))
      const cuts: number[] = []
      for (let at = 0; ; ) {
        at += random.next() < 0.2 ? random.int(1, 9) : random.int(100, 16000)
        if (at >= body.length) break
        cuts.push(at)
      }
      const response = Buffer.concat([responseHead('200 OK', { 'Content-Type': JSON_TYPE, 'Transfer-Encoding': 'chunked', Connection: 'close' }), chunked(body, cuts).bytes])
      await connection.sendAll(response, 64 * 1024)
      connection.end()
      await expectItems(program, its, { badJson: CHUNKED_JSON })
      await expectExit(program, 0)
    },
  )

  for (const status of [404, 500]) {
    check(`on a ${status}, prints one line with the status and exits with code 1`, { see: 'check-the-status' }, async (context) => {
      const { program, connection } = await rawClient(context)
      if (status === 404) {
        const page = Buffer.from(notFoundPage('/satinApi?type=1&page=1'))
        connection.send(Buffer.concat([responseHead('404 Not Found', { 'Content-Type': HTML_TYPE, 'Content-Length': page.length, Connection: 'close' }), page]))
      } else {
        const json = Buffer.from(serverErrorJson())
        const headBytes = responseHead('500 Internal Server Error', { 'Content-Type': JSON_TYPE, 'Transfer-Encoding': 'chunked', Connection: 'close' })
        connection.send(Buffer.concat([headBytes, chunked(json, [json.length >> 1]).bytes]))
      }
      connection.end()
      await expectEnded(program, `the ${status} answer`)
      expectStatusError(program, status, { why: 'Read the status code from the status line before the body; for anything but 2xx, print one line and set process.exitCode = 1.' })
    })
  }

  stretch('gives up with one line when the server stalls mid-body (TIMEOUT_MS)', { see: 'timeouts' }, async (context) => {
    const { random } = context
    const { program, connection } = await rawClient(context, { TIMEOUT_MS: String(STALL_TIMEOUT_MS) })
    const body = Buffer.from(satinJson(satinItems(random, 5)))
    const headBytes = responseHead('200 OK', { 'Content-Type': JSON_TYPE, 'Content-Length': body.length, Connection: 'close' })
    connection.send(Buffer.concat([headBytes, body.subarray(0, random.int(20, body.length >> 1))]))
    await expectGivesUp(program, STALL_TIMEOUT_MS, STALLED)
  })
})
