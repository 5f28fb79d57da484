// The grader as an HTTP server on loopback (node:http): each check hands it a handler that
// answers as the story needs (JSON, a redirect, a 404, a stall), and every request the
// program makes is recorded, so a check can say what was asked, not just what came back.

import { hostPort } from '../run/sockets.ts'
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
}

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
        peer!.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, httpVersion: request.httpVersion })
        for (const listener of [...peer!.listeners]) listener()
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

  private watch: Subscribe = (wake) => {
    this.listeners.add(wake)
    return () => this.listeners.delete(wake)
  }

  /** Waits for the program's `count`th request (1 = the first). */
  async request(program: Program, count = 1, ms = limits.startMs): Promise<RecordedRequest> {
    await waitFor(() => this.requests.length >= count || !program.running, [this.watch, settled(program.exited)], ms)
    const request = this.requests[count - 1]
    if (request) return request
    const what = count === 1 ? 'a request' : `request number ${count}`
    if (!program.running) fail(`${program.label} ${program.describeExit()} before it sent ${what} to ${this.url('/')}.`)
    fail(`${program.label} did not send ${what} to ${this.url('/')} within ${seconds(ms)}.`)
  }

  close(): void {
    this.server.closeAllConnections()
    this.server.close()
  }
}
