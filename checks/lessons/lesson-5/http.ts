// What lesson 5's three clients share: the data's constants, chunked framing, and the checks
// of the request a client sent.

import { explaining, fail } from '../../engine/failure.ts'
import { piecesOf } from '../../peers/fragments.ts'
import type { HttpPeer, RecordedRequest } from '../../peers/http.ts'
import type { Program } from '../../run/program.ts'
import { t } from '../../text/lang.ts'
import { capitalize } from '../../text/words.ts'
import { describeRequest } from './expect.ts'

/** TIMEOUT_MS for the stall stories; a program gets 10× that to give up. A program may start
 * its clock before fetch has even loaded (a few hundred ms on a loaded machine): 300 ms once
 * made a correct download give up before its request, so the margin is 10× that now. */
export const STALL_TIMEOUT_MS = 1000
export const BIG_ITEMS = 1500
export const BIG_PICTURE = 20 * 1024 * 1024
export const STALLED = t('the server sent its headers and part of the body, then nothing more')

/** The ⭐ IPv6 check's name and why: a URL on [::1]. */
export const IPV6_URL = 'works the same over IPv6, with a URL on [::1]'
export const IPV6_URL_WHY =
  'In a URL an IPv6 address goes in brackets, http://[::1]:8083/, because it has colons of its own. fetch and http.get read it as it is. ' +
  "new URL(…).hostname keeps the brackets: net.connect() needs the address without them, '::1'."

/** The body in HTTP/1.1 chunked framing, cut at `cuts`; also where each size line starts. */
export function chunked(body: Buffer, cuts: number[]): { bytes: Buffer; sizeLines: number[] } {
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

/** The request's method (GET, unless a lesson's client POSTs) and its target, query included. */
export function expectGet(request: RecordedRequest, program: Program, path: string, method = 'GET'): void {
  const label = capitalize(program.label)
  const sent = describeRequest(request, program)
  if (request.method !== method) fail(t`${label} sent a ${request.method} request; expected ${method}.`, sent)
  if (request.path === path) return
  const [pathname, query] = path.split('?')
  if (request.path === pathname) {
    fail(t`${label} dropped the query: it asked for ${request.path}, not ${path}.`, sent, {
      why: t`The query (?${query}) is part of what you ask for. Pass the whole URL, or send url.pathname + url.search.`,
    })
  }
  fail(t`${label} asked for ${request.path}, but the URL it was given says ${path}.`, sent)
}

/** Waits for the program's request (for `ms`, or the peer's default); one that never comes most
 * likely went elsewhere. */
export function requestOf(peer: HttpPeer, program: Program, count = 1, ms?: number): Promise<RecordedRequest> {
  return explaining({ why: "Send the request to the address in the URL environment variable: the grader's server runs on a port of its own." }, () =>
    peer.request(program, count, ms),
  )
}
