// Lesson 7 · raw-post: the same POST as post-json, by hand over node:net. The grader is a raw
// TCP server: it reads the request's head line by line, then exactly Content-Length bytes of
// body, as any HTTP server does, and writes a hand-made answer cut wherever it hurts: inside
// the head, between a \r and its \n, inside a chunk size, inside a character of the id.

import { fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import type { Random } from '../../engine/random.ts'
import { exercise, type CheckContext, type TestServer } from '../../engine/story.ts'
import { seconds, waitFor } from '../../engine/wait.ts'
import type { Connection } from '../../peers/connection.ts'
import { cutInsideCharacter, withRandomCuts } from '../../peers/fragments.ts'
import type { Program } from '../../run/program.ts'
import { hostPort } from '../../run/sockets.ts'
import { quoteBytes } from '../../text/bytes.ts'
import { t } from '../../text/lang.ts'
import { capitalize } from '../../text/words.ts'
import { IPV6_URL, chunked } from '../lesson-5/http.ts'
import { onIPv6 } from '../shared.ts'
import { expectRequestLine, readHead, responseHead, type RequestHead } from '../lesson-5/raw-get.ts'
import { DEFAULT_NAME, DEFAULT_TEXT, HTML_TYPE, JSON_TYPE, anyCase, createdJson, errorJson, gatewayPage, message, messageId, serial, type Message } from './demo.ts'
import { DEFAULTS_CHECK, DEFAULTS_EXPLAIN, IPV6_WHY, expectCreated, expectJsonMessage, expectJsonType, expectRefusal, nothingListening, type Created } from './expect.ts'

/** The request's lines as sent, the one at fault marked: what a server reads, line by line. */
function judged(head: RequestHead, program: Program, fault?: { line: number; says: string }): string[] {
  const lines = head.raw.toString('latin1').slice(0, -4).split('\r\n')
  const shown = lines.map((line, i) => `  ${quoteBytes(Buffer.from(`${line}\r\n`, 'latin1'))}${i === fault?.line ? `   ← ${fault.says}` : ''}`)
  return [t`${capitalize(program.label)} sent this head, line by line:`, ...shown, t('  "\\r\\n"   (the empty line)')]
}

/** Which line of the head holds header `name` (0 is the request line); -1 when none does. */
const lineOf = (head: RequestHead, name: string) =>
  head.raw
    .toString('latin1')
    .split('\r\n')
    .findIndex((line, i) => i > 0 && line.slice(0, line.indexOf(':')).trim().toLowerCase() === name)

/** Host, Content-Type, Content-Length and Connection: close, judged one by one. */
function expectPostHeaders(head: RequestHead, program: Program, host: string): number {
  const label = capitalize(program.label)
  const at = (name: string, says: string) => judged(head, program, { line: lineOf(head, name), says })
  const hostHeader = head.headers.get('host')
  if (hostHeader === undefined) fail(t`${label} sent no Host header.`, judged(head, program), { why: t`HTTP/1.1 requires Host: one server can answer for many names. Send Host: ${host}, which is url.host.` })
  if (hostHeader !== host) {
    const portless = host.slice(0, host.lastIndexOf(':'))
    const why =
      hostHeader === portless || hostHeader === portless.replace(/^\[|\]$/g, '')
        ? t`Without a port, Host: ${hostHeader} names port 80, not the server you talk to. url.host is the name and the port; url.hostname has no port.`
        : t('Host names the server as the URL does, with its port (and an IPv6 address in brackets): url.host.')
    fail(t`${label} sent Host: ${hostHeader}; expected Host: ${host}.`, at('host', t`expected Host: ${host}`), { why })
  }
  expectJsonType(head.headers.get('content-type'), program, judged(head, program, { line: lineOf(head, 'content-type'), says: t('expected application/json') }))
  const length = head.headers.get('content-length')
  if (length === undefined) {
    fail(t`${label} sent no Content-Length header.`, judged(head, program), {
      why: 'A body needs a length: the server reads exactly Content-Length bytes after the empty line, and without it a request has no body at all. Send Content-Length: Buffer.byteLength(body).',
    })
  }
  if (!/^\d+$/.test(length)) fail(t`${label} sent Content-Length: ${length}, which is not a number of bytes.`, at('content-length', t('expected a number')))
  const connection = head.headers.get('connection')
  if (!connection || connection.toLowerCase() !== 'close') {
    fail(connection ? t`${label} sent Connection: ${connection}, not Connection: close.` : t`${label} sent no Connection header, not Connection: close.`, connection ? at('connection', t('expected close')) : judged(head, program), {
      why: 'HTTP/1.1 keeps a connection open for the next request unless you say Connection: close. Then the server hangs up after its answer, and you know it is complete.',
    })
  }
  return Number(length)
}

const BYTES_WHY = t(
  'Content-Length counts bytes, not characters. TEXT.length counts UTF-16 units: 客 is 1 of them and 3 bytes in UTF-8, 🐼 is 2 and 4 bytes. Make the body a Buffer first, Buffer.from(JSON.stringify(…)), and send body.length; or Buffer.byteLength(json).',
)

/**
 * Reads exactly Content-Length bytes of body, as a server does, and judges them: JSON with
 * exactly `want`. A body that does not parse is answered with a 400, as a server would, and then
 * explained: most often a Content-Length counted in characters.
 */
async function expectPostBody(connection: Connection, head: RequestHead, length: number, want: Message): Promise<void> {
  const program = connection.program
  const label = capitalize(program.label)
  const arrived = () => connection.unread.length >= length || connection.ended || connection.broken !== undefined
  await waitFor(arrived, [connection.changes], limits.waitMs)
  const unread = connection.unread
  if (unread.length < length) {
    const closed = connection.ended || connection.broken
    fail(
      closed
        ? t`${label} sent Content-Length: ${length}, but only ${unread.length} bytes of body, and then closed the connection.`
        : t`${label} sent Content-Length: ${length}, but only ${unread.length} bytes of body, and nothing more for ${seconds(limits.waitMs)}.`,
      [...judged(head, program), t`The body: ${quoteBytes(unread, 300)}`],
      { why: t`${BYTES_WHY} A Content-Length larger than the body keeps the server waiting for bytes that never come.` },
    )
  }
  const body = unread.subarray(0, length)
  let parses = true
  try {
    JSON.parse(body.toString('utf8'))
  } catch {
    parses = false
  }
  if (!parses) {
    // As a server would: the bytes it read are not JSON. What came after them shows why.
    const rest = (await connection.drain(300)).subarray(length)
    const text = Buffer.from(errorJson('body is not valid JSON'))
    connection.send(Buffer.concat([responseHead('400 Bad Request', { 'Content-Type': JSON_TYPE, 'Content-Length': text.length, Connection: 'close' }), text]))
    connection.end()
    if (rest.length > 0) {
      const whole = Buffer.concat([body, rest])
      fail(
        t`${label} sent Content-Length: ${length}, but its body is ${whole.length} bytes: the server read ${length} bytes, cut the JSON short, and answered 400 "body is not valid JSON".`,
        [...judged(head, program, { line: lineOf(head, 'content-length'), says: t`the body has ${whole.length} bytes` }), t`The body: ${quoteBytes(whole, 300)}`],
        { why: BYTES_WHY },
      )
    }
  }
  expectJsonMessage(body, program, want, judged(head, program))
}

/** The answer to a POST: status line, headers in the order and case given, body. */
const answer = (status: string, headers: Record<string, string | number>, body: Buffer) => Buffer.concat([responseHead(status, headers), body])

/** A 201 for `posted`: its bytes, and the lines it should make a program print. */
function createdAnswer(random: Random, posted: Message, names: { location: string; type: string; length: string }) {
  const expected: Created = { location: `/messages/${serial(random)}`, id: messageId(random) }
  const body = Buffer.from(createdJson(expected.id, posted))
  const bytes = answer('201 Created', { [names.type]: JSON_TYPE, [names.length]: body.length, [names.location]: expected.location, Connection: 'close' }, body)
  return { bytes, expected, bodyStart: bytes.length - body.length }
}

const STANDARD = { location: 'Location', type: 'Content-Type', length: 'Content-Length' }

/** A fresh raw-post program, its connection, and its request read up to and with its body. */
async function rawClient(context: CheckContext, posted = message(context.random), passed = true): Promise<{ program: Program; connection: Connection; posted: Message }> {
  const server = await context.listen()
  const env = { URL: `http://${hostPort(server.host, server.port)}/messages`, ...(passed && { NAME: posted.name, TEXT: posted.text }) }
  const program = await context.start({ to: server, env })
  const connection = await server.accept(program)
  const head = await readHead(connection)
  const length = expectPostHeaders(head, program, hostPort(server.host, server.port))
  await expectPostBody(connection, head, length, posted)
  return { program, connection, posted }
}

export default exercise(({ check, stretch }) => {
  let server: TestServer
  let client: Program
  let connection: Connection
  let path: string
  let head: RequestHead
  let posted: Message
  let length: number

  check('connects to the host and port in URL', { see: 'post-by-hand', why: 'new URL(process.env.URL) gives you hostname and port: connect to those.' }, async ({ listen, start, random }) => {
    server = await listen()
    path = `/messages?room=${serial(random)}`
    posted = message(random)
    client = await start({ to: server, env: { URL: `http://${hostPort(server.host, server.port)}${path}`, NAME: posted.name, TEXT: posted.text } })
    connection = await server.accept(client)
  })

  check('sends the request line POST <path?query> HTTP/1.1, lines ending in \\r\\n', { see: 'post-by-hand' }, async () => {
    head = await readHead(connection)
    expectRequestLine(head, client, path, 'POST')
  })

  check('sends Host with its port, Content-Type: application/json, Content-Length and Connection: close', { see: 'post-by-hand' }, async () => {
    length = expectPostHeaders(head, client, hostPort(server.host, server.port))
  })

  check('sends a Content-Length that counts bytes, then the JSON body', { see: 'content-length-counts-bytes' }, async () => {
    await expectPostBody(connection, head, length, posted)
  })

  check(
    'prints the status, location: <Location> and id: <id>, the answer cut anywhere, even inside a \\r\\n',
    { see: 'reading-the-answer-status-and-headers', why: 'Keep the bytes until the server closes. The head ends at the first \\r\\n\\r\\n, wherever the reads were cut; decode the body once it is complete.' },
    async ({ random }) => {
      const { bytes, expected, bodyStart } = createdAnswer(random, posted, STANDARD)
      const headEnd = bytes.indexOf('\r\n\r\n')
      // Writes end: inside the status line, between a header's \r and its \n, between the two
      // \r\n of the empty line, and inside a character of the id.
      const crlf = bytes.indexOf('\r\n', random.int(20, headEnd - 4))
      const cuts = withRandomCuts([random.int(3, 12), crlf + 1, headEnd + 2, cutInsideCharacter(bytes, random, bodyStart)], bytes.length, 7, random)
      await connection.sendPieces(bytes, cuts, 20)
      connection.end()
      await expectCreated(client, expected)
    },
  )

  check(DEFAULTS_CHECK, DEFAULTS_EXPLAIN, async (context) => {
    const defaults = { name: DEFAULT_NAME, text: DEFAULT_TEXT }
    const { program, connection } = await rawClient(context, defaults, false)
    const { bytes, expected } = createdAnswer(context.random, defaults, STANDARD)
    connection.send(bytes)
    connection.end()
    await expectCreated(program, expected)
  })

  check('reads header names in any case: LOCATION, content-type, CONTENT-LENGTH', { see: 'reading-the-answer-status-and-headers' }, async (context) => {
    const { program, connection, posted } = await rawClient(context)
    const { bytes, expected } = createdAnswer(context.random, posted, { location: 'LOCATION', type: 'content-type', length: 'CONTENT-LENGTH' })
    connection.send(bytes)
    connection.end()
    await expectCreated(program, expected, {
      why: "Header names are case-insensitive: LOCATION, Location and location are one header. Lower-case each name as you parse it, then look up 'location'.",
    })
  })

  check('reads a chunked answer, split inside a chunk size and inside a character', { see: 'reading-the-answer-status-and-headers' }, async (context) => {
    const { random } = context
    const { program, connection, posted } = await rawClient(context)
    const expected: Created = { location: `/messages/${serial(random)}`, id: messageId(random) }
    const body = Buffer.from(createdJson(expected.id, posted))
    const framed = chunked(body, withRandomCuts([cutInsideCharacter(body, random, body.indexOf('"id"'))], body.length, 3, random))
    const headBytes = responseHead('201 Created', { [anyCase(random, 'Location')]: expected.location, 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked', connection: 'close' })
    const bytes = Buffer.concat([headBytes, framed.bytes])
    const at = (offset: number) => headBytes.length + offset
    const twoDigits = framed.sizeLines.find((offset) => framed.bytes.indexOf('\r\n', offset) - offset >= 2)
    const cuts = [random.int(5, headBytes.length - 5), at(framed.sizeLines[1]! - 1), cutInsideCharacter(bytes, random, at(0))]
    if (twoDigits !== undefined) cuts.push(at(twoDigits + 1))
    await connection.sendPieces(bytes, withRandomCuts(cuts, bytes.length, 6, random), 20)
    connection.end()
    await expectCreated(program, expected, {
      why: 'With Transfer-Encoding: chunked the body is "<size in hex>\\r\\n<bytes>\\r\\n" again and again, ending with a size of 0. Cut the chunks out of the bytes, join them, then decode and parse.',
    })
  })

  check('on a 400, prints one line with the status and the error text, and exits with code 1', { see: 'status-codes-for-a-post' }, async (context) => {
    const { program, connection } = await rawClient(context)
    const error = `名字太长了 (name too long) #${serial(context.random)}`
    const body = Buffer.from(errorJson(error))
    connection.send(answer('400 Bad Request', { 'Content-Type': JSON_TYPE, 'Content-Length': body.length, Connection: 'close' }, body))
    connection.end()
    await expectRefusal(program, 400, error, { why: 'Read the status code from the status line first; for a 400, print it with the JSON body\'s error field, and set process.exitCode = 1.' })
  })

  check('on a 502 with an HTML page, prints one line with the status and exits with code 1', { see: 'status-codes-for-a-post' }, async (context) => {
    const { program, connection } = await rawClient(context)
    const page = Buffer.from(gatewayPage())
    connection.send(answer('502 Bad Gateway', { 'Content-Type': HTML_TYPE, 'Content-Length': page.length, Connection: 'close' }, page))
    connection.end()
    await expectRefusal(program, 502, undefined, { why: 'Read the status code first. An error body need not be JSON: for a page, print the status alone, and set process.exitCode = 1.' })
  })

  check(
    ...onIPv6(
      'ipv6-in-a-url',
      async (context) => {
        const { program, connection, posted } = await rawClient(context)
        const { bytes, expected } = createdAnswer(context.random, posted, STANDARD)
        connection.send(bytes)
        connection.end()
        await expectCreated(program, expected)
      },
      `${IPV6_WHY} Host: is url.host, brackets and port included.`,
      IPV6_URL,
    ),
  )

  stretch(...nothingListening('post-by-hand', "A refused connection arrives as an 'error' event on the socket (ECONNREFUSED). Handle it: print one line, set process.exitCode = 1."))
})
