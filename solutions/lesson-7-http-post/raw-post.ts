// Lesson 7 · raw-post: the same POST as post-json.ts, by hand, over a plain TCP socket. A
// request with a body: the head says how many bytes follow (Content-Length), then they do.
// By hand: npm run peer lesson-7 in one terminal, npx tsx raw-post.ts in another.
import net from 'node:net'

const TARGET = new URL(process.env.URL ?? 'http://127.0.0.1:8085/messages')
const NAME = process.env.NAME ?? '客户端'
const TEXT = process.env.TEXT ?? '我是客户端~~'

function fail(reason: string): void {
  console.error(`error: POST ${TARGET.href} failed: ${reason}`)
  process.exitCode = 1
}

// 1. The body first, as bytes: Content-Length counts them, not characters (客 is 3 bytes).
const body = Buffer.from(JSON.stringify({ name: NAME, text: TEXT }))

// 2. The head: request line, headers, an empty line; every line ends with \r\n. Host is
//    url.host: the name and the port, an IPv6 address in brackets ([::1]:8085).
const head =
  `POST ${TARGET.pathname}${TARGET.search} HTTP/1.1\r\n` +
  `Host: ${TARGET.host}\r\n` +
  'Content-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${body.length}\r\n` +
  'Connection: close\r\n' +
  '\r\n'

// An IPv6 hostname keeps its brackets ([::1]); connect() wants the bare address.
const host = TARGET.hostname.replace(/^\[|\]$/g, '')
const socket = net.connect({ host, port: Number(TARGET.port || 80) }, () => socket.end(Buffer.concat([Buffer.from(head), body])))

// 3. Connection: close: the server hangs up after its answer. Collect bytes until then.
const chunks: Buffer[] = []
socket.on('data', (chunk: Buffer) => chunks.push(chunk))
socket.on('end', () => {
  try {
    show(Buffer.concat(chunks))
  } catch (error) {
    fail((error as Error).message)
  }
})
socket.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message))

function show(response: Buffer): void {
  // 4. The head ends at the first empty line, wherever the reads were cut.
  const headEnd = response.indexOf('\r\n\r\n')
  if (headEnd < 0) throw new Error('the connection closed before the headers ended')
  const [statusLine = '', ...headerLines] = response.subarray(0, headEnd).toString('latin1').split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine)
  if (!status) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`)
  // Header names are case-insensitive: LOCATION, Location and location are one header.
  const headers = new Map<string, string>()
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }

  // 5. The body: chunked, or Content-Length bytes, or everything up to the close.
  let rest = response.subarray(headEnd + 4)
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
    rest = unchunk(rest)
  } else if (headers.has('content-length')) {
    const length = Number(headers.get('content-length'))
    if (rest.length < length) throw new Error(`the connection closed after ${rest.length} of ${length} bytes`)
    rest = rest.subarray(0, length)
  }
  const text = rest.toString('utf8')

  const code = Number(status[1])
  if (code === 201) {
    const created = JSON.parse(text) as { id: string }
    console.log(`status: ${status[1]} ${status[2]}`)
    console.log(`location: ${headers.get('location')}`)
    console.log(`id: ${created.id}`)
    return
  }
  // 6. Anything else: one line with the status, and the server's error text if it sent JSON.
  let error: string | undefined
  try {
    const parsed = JSON.parse(text) as { error?: unknown }
    if (typeof parsed.error === 'string') error = parsed.error
  } catch {
    // An HTML error page: the status says enough.
  }
  fail(`the server answered ${status[1]} ${status[2]}${error === undefined ? '' : `: ${error}`}`)
}

/** "<size in hex>\r\n<size bytes>\r\n", again and again, until a size of 0. */
function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    if (lineEnd < 0) throw new Error('the chunked body ended early')
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16)
    if (Number.isNaN(size)) throw new Error('bad chunk size line')
    at = lineEnd + 2
    if (size === 0) return Buffer.concat(parts)
    if (at + size > bytes.length) throw new Error('the chunked body ended early')
    parts.push(bytes.subarray(at, at + size))
    at += size + 2
  }
}
