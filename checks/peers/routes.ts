// An HTTP peer's behaviour, declared a line per path: `routes({ '/a': redirect(301, '/b'),
// '/b': send(200, { 'Content-Type': JPEG }, picture) }, notFound)`. The grader's checks and
// the lessons' demo servers answer through the same replies, so what a learner tries by hand
// is what the grader does.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { sleep } from '../engine/wait.ts'
import type { Handler } from './http.ts'

/** One answer to one request. It may wait; if it throws, the response is dropped. */
export type Reply = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>

/** A handler that answers each request by its target: the whole target (path and query)
 * first, then the path alone; `otherwise` answers the rest. */
export function routes(table: Record<string, Reply>, otherwise: Reply): Handler {
  return answering((request, response) => {
    const target = request.url ?? '/'
    const reply = table[target] ?? table[target.split('?')[0]!] ?? otherwise
    return reply(request, response)
  })
}

/** A reply as a handler: a reply that fails (a client that left) just drops that response. The
 * reply starts at once, in the request's own tick: a reply that reads the body must be listening
 * before its first bytes flow (they may have come with the head). */
export const answering =
  (reply: Reply): Handler =>
  (request, response) => {
    new Promise<void>((resolve) => resolve(reply(request, response)))
      .catch(() => response.destroy())
  }

export type Headers = Record<string, string | number>

/** The whole body at once, with a Content-Length. */
export const send =
  (status: number, headers: Headers, body: string | Buffer = ''): Reply =>
  (_, response) => {
    const bytes = Buffer.from(body)
    response.writeHead(status, { ...headers, 'Content-Length': bytes.length })
    response.end(bytes)
  }

/** A redirect to `location`, which may depend on the request (an absolute URL with its Host). */
export const redirect =
  (status: 301 | 302 | 303 | 307 | 308, location: string | ((request: IncomingMessage) => string)): Reply =>
  (request, response) => {
    const where = typeof location === 'string' ? location : location(request)
    response.writeHead(status, { Location: where, 'Content-Type': 'text/html; charset=utf-8' })
    response.end(`<a href="${where}">${response.statusMessage}</a>\n`)
  }

/** The body streamed chunked (no Content-Length unless `headers` has one), in writes of
 * `size` bytes, each waiting for the socket to take the last. */
export const stream =
  (status: number, headers: Headers, body: Buffer, size = 64 * 1024): Reply =>
  async (_, response) => {
    response.writeHead(status, headers)
    if (await writeAll(response, body, size)) response.end()
  }

/** The body in these pieces, `pauseMs` apart, chunked: each piece a read of its own. */
export const inPieces =
  (status: number, headers: Headers, pieces: Buffer[], pauseMs: number): Reply =>
  async (_, response) => {
    response.writeHead(status, headers)
    for (const [i, piece] of pieces.entries()) {
      if (i > 0) await sleep(pauseMs)
      if (response.destroyed) return
      response.write(piece)
    }
    response.end()
  }

/** Headers that promise `body.length` bytes, then only `sent` of them. `then: 'stall'` sends
 * nothing more and keeps the connection open; `'cut'` closes the connection. */
export const partial =
  (status: number, headers: Headers, body: Buffer, sent: number, then: 'stall' | 'cut'): Reply =>
  (_, response) => {
    response.writeHead(status, { ...headers, 'Content-Length': body.length })
    response.write(body.subarray(0, sent), () => {
      if (then === 'cut') response.socket?.destroy()
    })
  }

/** Writes `bytes`, waiting whenever the socket's buffer is full; false if the client left. */
export async function writeAll(response: ServerResponse, bytes: Buffer, size = 64 * 1024): Promise<boolean> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    if (response.destroyed) return false
    if (!response.write(bytes.subarray(offset, offset + size))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done)
          response.off('close', done)
          resolve()
        }
        response.on('drain', done)
        response.on('close', done)
      })
    }
  }
  return !response.destroyed
}

/** Reads the request's body until `bytes` of it have arrived, then resets the connection: an
 * upload cut half-way, as a crashed server or a dropped network does it. */
export const resetAfter =
  (bytes: number): Reply =>
  (request) => {
    let received = 0
    request.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received >= bytes) request.socket.resetAndDestroy()
    })
  }

/** The first request gets the first reply, the second the second, and so on; the last reply
 * answers every request after that. (A server that is busy, then busy, then answers.) */
export function inTurn(...replies: Reply[]): Reply {
  let next = 0
  return (request, response) => replies[Math.min(next++, replies.length - 1)]!(request, response)
}
