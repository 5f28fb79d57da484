// A correct raw-get in another style: an incremental parser that works on the bytes as they
// arrive (head, then Content-Length bytes or chunks) and stops as soon as the body is
// complete, without waiting for the server to close.
import { connect } from 'node:net'

const url = new URL(process.env.URL ?? 'http://127.0.0.1:8083/satinApi?type=1&page=1')
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

type State = 'head' | 'length' | 'size' | 'data' | 'data-end' | 'trailer' | 'until-close' | 'done'

let state: State = 'head'
let buffer = Buffer.alloc(0)
let remaining = 0
let status = 0
const body: Buffer[] = []

const socket = connect(Number(url.port) || 80, url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname)
socket.setTimeout(TIMEOUT_MS, () => giveUp(`timed out after ${TIMEOUT_MS} ms of silence`))
socket.on('error', (error) => giveUp(error.message))
socket.write(['GET ' + url.pathname + url.search + ' HTTP/1.1', 'Host: ' + url.host, 'Accept: application/json', 'Connection: close', '', ''].join('\r\n'))

socket.on('data', (chunk: Buffer) => {
  buffer = Buffer.concat([buffer, chunk])
  while (step()) {}
})
socket.on('end', () => {
  if (state === 'until-close') finish()
  else if (state !== 'done') giveUp('the server closed the connection mid-answer')
})

function giveUp(reason: string): void {
  if (state === 'done') return
  state = 'done'
  console.error(`raw GET failed: ${reason}`)
  process.exitCode = 1
  socket.destroy()
}

/** Takes one step if the buffer allows it; false when more bytes are needed. */
function step(): boolean {
  switch (state) {
    case 'head': {
      const end = buffer.indexOf('\r\n\r\n')
      if (end === -1) return false
      const [statusLine, ...lines] = buffer.toString('latin1', 0, end).split('\r\n')
      buffer = buffer.subarray(end + 4)
      const [, code = '0', reason = ''] = /^HTTP\/\d\.\d (\d+) ?(.*)/.exec(statusLine!) ?? []
      status = Number(code)
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(name + ':'))?.slice(name.length + 1).trim()
      console.log(`HTTP status ${status} (${reason})`)
      console.log(`content-type = ${header('content-type')}`)
      if (status < 200 || status >= 300) {
        giveUp(`the server answered ${status}`)
        return false
      }
      if (header('transfer-encoding')?.toLowerCase() === 'chunked') state = 'size'
      else if (header('content-length') !== undefined) {
        remaining = Number(header('content-length'))
        state = 'length'
      } else state = 'until-close'
      return true
    }
    case 'length': {
      const take = buffer.subarray(0, remaining)
      body.push(take)
      remaining -= take.length
      buffer = buffer.subarray(take.length)
      if (remaining > 0) return false
      finish()
      return false
    }
    case 'size': {
      const end = buffer.indexOf('\r\n')
      if (end === -1) return false
      remaining = parseInt(buffer.toString('latin1', 0, end), 16)
      buffer = buffer.subarray(end + 2)
      state = remaining === 0 ? 'trailer' : 'data'
      return true
    }
    case 'data': {
      const take = buffer.subarray(0, remaining)
      body.push(take)
      remaining -= take.length
      buffer = buffer.subarray(take.length)
      if (remaining > 0) return false
      state = 'data-end'
      return true
    }
    case 'data-end':
      if (buffer.length < 2) return false
      buffer = buffer.subarray(2)
      state = 'size'
      return true
    case 'trailer': {
      // Trailer fields (usually none), then an empty line.
      const end = buffer.indexOf('\r\n')
      if (end === -1) return false
      buffer = buffer.subarray(end + 2)
      if (end === 0) finish()
      return end !== 0
    }
    case 'until-close':
      body.push(buffer)
      buffer = Buffer.alloc(0)
      return false
    default:
      return false
  }
}

function finish(): void {
  state = 'done'
  socket.end()
  try {
    const parsed: { data: { name: string; text: string }[] } = JSON.parse(Buffer.concat(body).toString('utf8'))
    for (const item of parsed.data) console.log(`${item.name}: ${item.text}`)
  } catch (error) {
    console.error(`raw GET failed: ${(error as Error).message}`)
    process.exitCode = 1
  }
}
