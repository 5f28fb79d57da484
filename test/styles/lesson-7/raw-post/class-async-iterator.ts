// A correct raw-post in another style: a class, events.once for the connection, the head and
// the body in two writes without a half-close, and the answer read with for await.
import { once } from 'node:events'
import net from 'node:net'

class RawPost {
  private readonly url: URL

  constructor(target: string) {
    this.url = new URL(target)
  }

  private request(body: Buffer): Buffer {
    const lines = [
      `POST ${this.url.pathname}${this.url.search} HTTP/1.1`,
      `host: ${this.url.host}`,
      'content-type: application/json',
      `content-length: ${body.byteLength}`,
      'connection: close',
      '',
      '',
    ]
    return Buffer.from(lines.join('\r\n'), 'latin1')
  }

  async send(message: object): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const body = Buffer.from(JSON.stringify(message), 'utf8')
    const host = this.url.hostname.startsWith('[') ? this.url.hostname.slice(1, -1) : this.url.hostname
    const socket = net.createConnection(Number(this.url.port) || 80, host)
    await once(socket, 'connect')
    socket.write(this.request(body))
    socket.write(body)
    const received: Buffer[] = []
    for await (const chunk of socket) received.push(chunk as Buffer)
    return RawPost.parse(Buffer.concat(received))
  }

  static parse(all: Buffer): { status: number; headers: Record<string, string>; body: Buffer } {
    const end = all.indexOf('\r\n\r\n')
    if (end === -1) throw new Error('incomplete response head')
    const [first, ...rest] = all.toString('latin1', 0, end).split('\r\n')
    const status = Number(first!.split(' ')[1])
    const headers: Record<string, string> = {}
    for (const line of rest) {
      const at = line.indexOf(':')
      headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim()
    }
    let body = all.subarray(end + 4)
    if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) {
      const pieces: Buffer[] = []
      for (let at = 0; ; ) {
        const eol = body.indexOf('\r\n', at)
        const size = parseInt(body.toString('latin1', at, eol), 16)
        if (!size) break
        pieces.push(body.subarray(eol + 2, eol + 2 + size))
        at = eol + 2 + size + 2
      }
      body = Buffer.concat(pieces)
    } else if (headers['content-length'] !== undefined) {
      body = body.subarray(0, Number(headers['content-length']))
    }
    return { status, headers, body }
  }
}

const poster = new RawPost(process.env.URL ?? 'http://127.0.0.1:8085/messages')
try {
  const answer = await poster.send({ name: process.env.NAME ?? '客户端', text: process.env.TEXT ?? '我是客户端~~' })
  const text = answer.body.toString('utf8')
  if (answer.status === 201) {
    console.log(`${answer.status} Created`)
    console.log(`location: ${answer.headers.location}`)
    console.log(`id: ${(JSON.parse(text) as { id: string }).id}`)
  } else {
    let detail = ''
    try {
      detail = ` - ${(JSON.parse(text) as { error: string }).error}`
    } catch {
      // not JSON
    }
    console.error(`server said ${answer.status}${detail}`)
    process.exitCode = 1
  }
} catch (error) {
  console.error(`request failed: ${(error as Error).message}`)
  process.exitCode = 1
}
