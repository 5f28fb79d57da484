// Lesson 5 · raw-get: the same GET as get-json.ts, by hand, over a plain TCP socket.
// HTTP/1.1 is text: a request line, headers, a blank line; then the answer's status line,
// headers, a blank line and the body. By hand: npm run peer lesson-5, then npx tsx raw-get.ts.
import net from 'node:net'

const TARGET = new URL(process.env.URL ?? 'http://127.0.0.1:8083/satinApi?type=1&page=1')
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

function fail(reason: string): void {
  console.error(`error: GET ${TARGET.href} failed: ${reason}`)
  process.exitCode = 1
}

// 1. The request. Every line ends with \r\n, and an empty line ends the head. The target is
//    the path and the query: /satinApi?type=1&page=1. Host names the server, with its port.
const request =
  `GET ${TARGET.pathname}${TARGET.search} HTTP/1.1\r\n` +
  `Host: ${TARGET.host}\r\n` +
  'Accept: application/json\r\n' +
  'Connection: close\r\n' +
  '\r\n'

// An IPv6 host keeps its brackets in hostname ([::1]); connect() wants the bare address.
const host = TARGET.hostname.replace(/^\[|\]$/g, '')
const socket = net.connect({ host, port: Number(TARGET.port || 80) }, () => socket.write(request))

// 2. Connection: close means the server hangs up after its answer: collect bytes until then.
//    Bytes, not text: a character can be cut between two reads.
const chunks: Buffer[] = []
socket.on('data', (chunk: Buffer) => chunks.push(chunk))
socket.on('end', () => {
  try {
    show(Buffer.concat(chunks))
  } catch (error) {
    fail((error as Error).message)
  }
})

// 3. A server that stops sending must not keep us waiting forever.
socket.setTimeout(TIMEOUT_MS)
socket.on('timeout', () => {
  fail(`nothing arrived for ${TIMEOUT_MS} ms`)
  socket.destroy()
})
socket.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message))

function show(response: Buffer): void {
  // 4. The head ends at the first empty line. It is ASCII; the body is decoded later, whole.
  const headEnd = response.indexOf('\r\n\r\n')
  if (headEnd < 0) throw new Error('the connection closed before the headers ended')
  const [statusLine = '', ...headerLines] = response.subarray(0, headEnd).toString('latin1').split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine)
  if (!status) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`)
  // Header names are case-insensitive: Content-Type and content-type are the same header.
  const headers = new Map<string, string>()
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  console.log(`status: ${status[1]} ${status[2]}`)
  console.log(`content-type: ${headers.get('content-type')}`)
  const code = Number(status[1])
  if (code < 200 || code > 299) {
    fail(`the server answered ${status[1]} ${status[2]}`)
    return
  }

  // 5. The body: chunked, or Content-Length bytes, or (neither) everything up to the close.
  let body = response.subarray(headEnd + 4)
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
    body = unchunk(body)
  } else if (headers.has('content-length')) {
    const length = Number(headers.get('content-length'))
    if (body.length < length) throw new Error(`the connection closed after ${body.length} of ${length} bytes`)
    body = body.subarray(0, length)
  }

  // 6. Only now, with every byte here, decode and parse.
  const answer = JSON.parse(body.toString('utf8')) as { data: { name: string; text: string }[] }
  for (const item of answer.data) console.log(`${item.name}: ${item.text}`)
}

/** "<size in hex>\r\n<size bytes>\r\n", again and again, until a size of 0. */
function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    if (lineEnd < 0) throw new Error('the chunked body ended early')
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16) // "1a3;ext" → 0x1a3
    if (Number.isNaN(size)) throw new Error(`bad chunk size line: ${JSON.stringify(bytes.subarray(at, lineEnd).toString('latin1'))}`)
    at = lineEnd + 2
    if (size === 0) return Buffer.concat(parts)
    if (at + size > bytes.length) throw new Error('the chunked body ended early')
    parts.push(bytes.subarray(at, at + size))
    at += size + 2 // the chunk's bytes, then its \r\n
  }
}
