// The grader as an HTTP server on loopback (node:http): each check hands it a handler that
// answers as the story needs (JSON, a redirect, a 404, a stall), and every request the
// program makes is recorded, so a check can say what was asked, not just what came back.

import { hostPort } from '../run/sockets.ts'
import { diagnoseConnecting } from '../run/diagnose.ts'
import { capitalize } from '../text/words.ts'
import { lang, t } from '../text/lang.ts'
import type { Socket } from 'node:net'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { fail } from '../engine/failure.ts'
import { limits } from '../engine/limits.ts'
import type { Program } from '../run/program.ts'
import { seconds, settled, waitFor, type Subscribe } from '../engine/wait.ts'

export interface RecordedRequest {
  method: string
  /** The request target: path and query, as sent. */
  path: string
  headers: IncomingHttpHeaders
  httpVersion: string
  /** The header lines as sent: names in their own case, in their order. */
  rawHeaders: string[]
  /** The body as it arrived (Content-Length or chunked), its first BODY_KEPT bytes kept. */
  body: Buffer
  /** How many bytes of body arrived, kept or not. */
  bodyBytes: number
  /** The whole body has arrived. */
  bodyEnded: boolean
  /** When the head arrived (Date.now()): a retry's wait is the time between two requests. */
  at: number
}

/** How much of a request's body the peer keeps: a JSON message whole, an upload's start. */
export const BODY_KEPT = 1024 * 1024

export type Handler = (request: IncomingMessage, response: ServerResponse) => void

export class HttpPeer {
  readonly requests: RecordedRequest[] = []
  private listeners = new Set<() => void>()
  private readonly sockets: Socket[] = []

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static listen(handler: Handler, host = '127.0.0.1'): Promise<HttpPeer> {
    return new Promise((resolve, reject) => {
      let peer: HttpPeer | undefined
      const server = createServer((request, response) => {
        const record: RecordedRequest = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          httpVersion: request.httpVersion,
          rawHeaders: request.rawHeaders,
          body: Buffer.alloc(0),
          bodyBytes: 0,
          bodyEnded: false,
          at: Date.now(),
        }
        peer!.requests.push(record)
        peer!.notify()
        // The body is read as it comes, whatever the reply does: a reply that answers first
        // (a 413) leaves the rest to be read and dropped here, so the client's upload can end
        // and its answer is not lost to a reset.
        request.on('data', (chunk: Buffer) => {
          record.bodyBytes += chunk.length
          if (record.body.length < BODY_KEPT) record.body = Buffer.concat([record.body, chunk.subarray(0, BODY_KEPT - record.body.length)])
          peer!.notify()
        })
        request.on('end', () => {
          record.bodyEnded = true
          peer!.notify()
        })
        request.on('close', () => peer!.notify())
        response.on('error', () => {}) // a client that hangs up mid-answer is the client's story
        handler(request, response)
      })
      server.on('connection', (socket) => peer?.sockets.push(socket))
      server.once('error', reject)
      server.listen({ host, port: 0 }, () => {
        const address = server.address()
        peer = new HttpPeer(server, host, typeof address === 'object' && address ? address.port : 0)
        resolve(peer)
      })
    })
  }

  /** Bytes that crossed this server's connections, both ways. */
  bytesMoved(): number {
    return this.sockets.reduce((total, socket) => total + socket.bytesRead + socket.bytesWritten, 0)
  }

  url(path: string): string {
    return `http://${hostPort(this.host, this.port)}${path}`
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener()
  }

  private watch: Subscribe = (wake) => {
    this.listeners.add(wake)
    return () => this.listeners.delete(wake)
  }

  /** Waits for the program's `count`th request (1 = the first). */
  async request(program: Program, count = 1, ms = limits.startMs): Promise<RecordedRequest> {
    await waitFor(() => this.requests.length >= count || !program.running, [this.watch, settled(program.exited)], ms)
    const request = this.requests[count - 1]
    if (request) return request
    const reason = diagnoseConnecting(program, this.host, this.port)
    // Chinese sentences follow one another without a space.
    const sentence = reason ? `${lang() === 'en' ? ' ' : ''}${capitalize(reason)}` : ''
    const [label, url] = [program.label, this.url('/')]
    if (!program.running) {
      const exit = program.describeExit()
      fail(`${count === 1 ? t`${label} ${exit} before it sent a request to ${url}.` : t`${label} ${exit} before it sent request number ${count} to ${url}.`}${sentence}`)
    }
    const within = seconds(ms)
    fail(`${count === 1 ? t`${label} did not send a request to ${url} within ${within}.` : t`${label} did not send request number ${count} to ${url} within ${within}.`}${sentence}`)
  }

  /** Waits for the whole body of the program's `count`th request; a body that stops short (the
   * program left, or sent fewer bytes than its Content-Length) fails in plain words. */
  async body(program: Program, count = 1, ms = limits.waitMs): Promise<RecordedRequest> {
    const request = await this.request(program, count)
    await waitFor(() => request.bodyEnded || !program.running, [this.watch, settled(program.exited)], ms)
    if (request.bodyEnded) return request
    const [label, got, promised] = [program.label, request.bodyBytes, request.headers['content-length']]
    if (!program.running) {
      const exit = program.describeExit()
      fail(promised === undefined ? t`${label} ${exit} after ${got} bytes of body.` : t`${label} ${exit} after ${got} bytes of body of the ${promised} its Content-Length promised.`)
    }
    const quiet = seconds(ms)
    fail(
      promised === undefined
        ? t`${label} sent ${got} bytes of body, then nothing more for ${quiet}.`
        : t`${label} sent ${got} bytes of body of the ${promised} its Content-Length promised, then nothing more for ${quiet}.`,
    )
  }

  close(): void {
    this.server.closeAllConnections()
    this.server.close()
  }
}
