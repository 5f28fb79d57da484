// Lesson 5 · raw-get: the same GET by hand over node:net. The grader is a raw TCP server that
// reads the request's bytes and writes a hand-made answer, cut wherever it hurts: inside the
// head, inside a chunk size, between a \r and its \n, inside a character.

import { expectExit, expectPrinted } from '../../engine/expect.ts'
import { fail } from '../../engine/failure.ts'
import { exercise, type CheckContext, type TestServer } from '../../engine/story.ts'
import type { Connection } from '../../peers/connection.ts'
import type { Program } from '../../run/program.ts'
import { quoteBytes } from '../../text/bytes.ts'
import { t } from '../../text/lang.ts'
import { capitalize } from '../../text/words.ts'
import { HTML_TYPE, JSON_TYPE, notFoundPage, satinItems, satinJson, serverErrorJson, type SatinItem } from './demo.ts'
import { expectEnded, expectFailedCleanly, expectGivesUp, expectItems, expectStatusError } from './expect.ts'
import { cutInsideCharacter, withRandomCuts } from '../../peers/fragments.ts'
import { BIG_ITEMS, IPV6_URL, IPV6_URL_WHY, STALLED, STALL_TIMEOUT_MS, chunked } from './http.ts'
import { onIPv6 } from '../shared.ts'
import { hostPort } from '../../run/sockets.ts'

export interface RequestHead {
  raw: Buffer
  method: string
  target: string
  version: string
  headers: Map<string, string>
}

/** Reads the request's head, up to the blank line, and explains a head that never ends. */
export async function readHead(connection: Connection): Promise<RequestHead> {
  const label = capitalize(connection.program.label)
  let raw: Buffer
  try {
    raw = await connection.readUntil('\r\n\r\n')
  } catch (error) {
    const sent = connection.unread
    if (sent.includes('\n') && !sent.includes('\r\n')) {
      fail(t`${label} ended its lines with \\n alone: ${quoteBytes(sent)}.`, [], {
        why: 'In HTTP every line ends with \\r\\n, and an empty line (\\r\\n\\r\\n) ends the head. Until the server sees it, it waits for more headers.',
      })
    }
    if (sent.includes('\r\n')) {
      fail(t`${label} sent ${quoteBytes(sent)}, but no empty line after the headers.`, [], {
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

/** The request line, checked: the method (GET, unless a lesson's client POSTs), the path with
 * its query, HTTP/1.1. */
export function expectRequestLine(head: RequestHead, program: Program, path: string, method = 'GET'): void {
  const label = capitalize(program.label)
  const sent = [t`${label} sent: ${quoteBytes(head.raw, 240)}`]
  const line = head.raw.subarray(0, head.raw.indexOf('\r\n')).toString('latin1')
  if (!/^\S+ \S+ \S+$/.test(line)) {
    fail(t`${label}'s request line is ${quoteBytes(line)}; expected ${method} ${path} HTTP/1.1.`, sent, { why: 'Method, target and version, with one space between them.' })
  }
  if (head.method !== method) fail(t`${label} sent a ${head.method} request; expected ${method}.`, sent)
  // A server must accept the absolute form too (http://host:port/path), though clients rarely send it.
  const target = /^https?:\/\//.test(head.target) ? new URL(head.target).pathname + new URL(head.target).search : head.target
  if (target !== path) {
    const [pathname, query] = path.split('?')
    if (target === pathname) {
      fail(t`${label} dropped the query: it asked for ${head.target}, not ${path}.`, sent, {
        why: t`The query (?${query}) is part of the target: send url.pathname + url.search.`,
      })
    }
    fail(t`${label} asked for ${head.target}, but the URL it was given says ${path}.`, sent)
  }
  if (head.version !== 'HTTP/1.1') {
    fail(t`${label} asked in ${head.version}; expected HTTP/1.1.`, sent, { why: 'The version ends the request line: GET /path HTTP/1.1.' })
  }
}

function expectRequestHeaders(head: RequestHead, program: Program, host: string): void {
  const label = capitalize(program.label)
  const sent = [t`${label} sent: ${quoteBytes(head.raw, 240)}`]
  const hostHeader = head.headers.get('host')
  if (hostHeader === undefined) fail(t`${label} sent no Host header.`, sent, { why: t`HTTP/1.1 requires Host: one server can answer for many names. Send Host: ${host}.` })
  if (hostHeader !== host) {
    fail(t`${label} sent Host: ${hostHeader}; expected Host: ${host}.`, sent, { why: 'Host names the server as the URL does, with the port unless it is 80: url.host.' })
  }
  const accept = head.headers.get('accept')
  if (!accept || !/application\/json/i.test(accept)) {
    fail(accept ? t`${label} sent Accept: ${accept}, not Accept: application/json.` : t`${label} sent no Accept header, not Accept: application/json.`, sent, {
      why: 'Accept tells the server which kind of body you can read.',
    })
  }
  const connection = head.headers.get('connection')
  if (!connection || connection.toLowerCase() !== 'close') {
    fail(connection ? t`${label} sent Connection: ${connection}, not Connection: close.` : t`${label} sent no Connection header, not Connection: close.`, sent, {
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

export const responseHead = (status: string, headers: Record<string, string | number>) =>
  Buffer.from(`HTTP/1.1 ${status}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`)

const CHUNKED_JSON = t(
  'Your client could not parse the chunked body as JSON: {error}. With Transfer-Encoding: chunked the body is a series of "<size in hex>\\r\\n<bytes>\\r\\n", ending with "0\\r\\n\\r\\n": take the sizes out, join the bytes, then parse. (This server writes header names in lower case: transfer-encoding. Names are case-insensitive.)',
)

export default exercise(({ check, stretch }) => {
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
      await connection.sendPieces(response, cuts, 25)
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
        badJson: t`Your client could not parse the body as JSON: {error}. The answer came in ${writes} writes: was it parsed before the whole body had arrived?`,
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
      await connection.sendPieces(response, withRandomCuts(tcpCuts, response.length, 7, random), 20)
      connection.end()
      await expectItems(program, its, {
        badJson: CHUNKED_JSON,
        split: t('An HTTP chunk ended in the middle of a character. Join the bytes of all the chunks, then decode once; never decode chunk by chunk.'),
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

  check(
    'reads a body that ends at the close, with neither Content-Length nor chunked',
    { see: 'content-length-or-chunked', why: 'With neither Content-Length nor Transfer-Encoding: chunked, the body is every byte up to the close.' },
    async (context) => {
      const { random } = context
      const { program, connection } = await rawClient(context)
      const its = satinItems(random, random.int(3, 5))
      const body = Buffer.from(satinJson(its))
      const response = Buffer.concat([responseHead('200 OK', { 'Content-Type': JSON_TYPE, Connection: 'close' }), body])
      await connection.sendPieces(response, withRandomCuts([], response.length, 3, random), 20)
      connection.end()
      await expectItems(program, its, {
        badJson: t('Your client could not parse a body sent with neither Content-Length nor Transfer-Encoding: chunked: {error}. Such a body is every byte up to the close.'),
      })
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
      await expectEnded(program, t`the ${status} answer`)
      expectStatusError(program, status, { why: 'Read the status code from the status line before the body; for anything but 2xx, print one line and set process.exitCode = 1.' })
    })
  }

  check(
    'on a body cut short of its Content-Length, prints one line and exits with code 1',
    { see: 'content-length-or-chunked', why: 'Content-Length says how many bytes the body has. A close before they have all come is a broken answer, not your data: print one line, set process.exitCode = 1.' },
    async (context) => {
      const { random } = context
      const { program, connection } = await rawClient(context)
      const body = Buffer.from(satinJson(satinItems(random, 5)))
      const sent = random.int(20, body.length >> 1)
      connection.send(Buffer.concat([responseHead('200 OK', { 'Content-Type': JSON_TYPE, 'Content-Length': body.length, Connection: 'close' }), body.subarray(0, sent)]))
      connection.end()
      const what = t`a close at ${sent} of the ${body.length} bytes its Content-Length promised`
      await expectEnded(program, what)
      expectFailedCleanly(program, what)
    },
  )

  stretch(
    'with nothing listening, prints one line and exits with code 1',
    { see: 'check-the-status', why: "A refused connection arrives as an 'error' event on the socket (ECONNREFUSED). Handle it: print one line, set process.exitCode = 1." },
    async ({ start, freePort, host }) => {
      const port = await freePort()
      const program = await start({ env: { URL: `http://${host}:${port}/satinApi?type=1&page=1` } })
      await expectEnded(program, t('the refused connection'))
      expectFailedCleanly(program, t('the refused connection'))
    },
  )

  stretch('gives up with one line when the server stalls mid-body (TIMEOUT_MS)', { see: 'timeouts' }, async (context) => {
    const { random } = context
    const { program, connection } = await rawClient(context, { TIMEOUT_MS: String(STALL_TIMEOUT_MS) })
    const body = Buffer.from(satinJson(satinItems(random, 5)))
    const headBytes = responseHead('200 OK', { 'Content-Type': JSON_TYPE, 'Content-Length': body.length, Connection: 'close' })
    connection.send(Buffer.concat([headBytes, body.subarray(0, random.int(20, body.length >> 1))]))
    await expectGivesUp(program, STALL_TIMEOUT_MS, STALLED)
  })
  stretch(
    ...onIPv6(
      'ipv6-in-a-url',
      async ({ listen, start, random }) => {
        const v6 = await listen()
        const where = hostPort(v6.host, v6.port)
        const asked = `/satinApi?type=${random.int(1, 3)}&page=${random.int(2, 99)}`
        const program = await start({ to: v6, env: { URL: `http://${where}${asked}` } })
        const wire = await v6.accept(program)
        const sent = await readHead(wire)
        expectRequestLine(sent, program, asked)
        expectRequestHeaders(sent, program, where)
        const its = satinItems(random, random.int(3, 5))
        const body = Buffer.from(satinJson(its))
        wire.send(Buffer.concat([responseHead('200 OK', { 'Content-Type': JSON_TYPE, 'Content-Length': body.length, Connection: 'close' }), body]))
        wire.end()
        await expectItems(program, its, { badJson: t('Your client could not parse the body as JSON: {error}') })
        await expectExit(program, 0)
      },
      IPV6_URL_WHY,
      IPV6_URL,
    ),
  )
})
