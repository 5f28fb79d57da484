// Lesson 5 · get-json: GET JSON with fetch, check the status, print one line per item. The
// grader is a node:http server that records each request; the items are new on every run
// (Chinese, emoji, quotes), and the body comes whole, in pieces, chunked and large.

import { expectExit, expectPrinted } from '../../engine/expect.ts'
import { fail } from '../../engine/failure.ts'
import { exercise } from '../../engine/story.ts'
import type { RecordedRequest } from '../../peers/http.ts'
import { inPieces, partial, routes, stream } from '../../peers/routes.ts'
import type { Program } from '../../run/program.ts'
import { t } from '../../text/lang.ts'
import { capitalize, size } from '../../text/words.ts'
import { JSON_TYPE, json, notFound, satinItems, satinJson, serverError, type SatinItem } from './demo.ts'
import { describeRequest, expectEnded, expectGivesUp, expectItems, expectStatusError, markAfterPrinted } from './expect.ts'
import { cutInsideCharacter, piecesOf, withRandomCuts } from '../../peers/fragments.ts'
import { BIG_ITEMS, IPV6_URL, IPV6_URL_WHY, STALLED, STALL_TIMEOUT_MS, expectGet, requestOf } from './http.ts'
import { onIPv6 } from '../shared.ts'

const JSON_WHY = 'response.json() (or JSON.parse of the whole body, decoded once) gives you the object; print item.name and item.text for each item of data.'

export default exercise(({ check, stretch }) => {
  let client: Program
  let request: RecordedRequest
  let items: SatinItem[]

  check('sends GET for the URL it is given, query included', { see: 'url-parts' }, async ({ http, start, random }) => {
    const path = `/satinApi?type=${random.int(1, 3)}&page=${random.int(2, 99)}`
    items = satinItems(random, random.int(4, 7))
    const body = Buffer.from(satinJson(items))
    const peer = await http(routes({ [path]: json(body) }, notFound))
    client = await start({ env: { URL: peer.url(path) } })
    request = await requestOf(peer, client)
    expectGet(request, client, path)
  })

  check('asks for JSON with Accept: application/json', { see: 'the-request' }, async () => {
    const accept = request.headers.accept
    if (!accept || !/application\/json/i.test(accept)) {
      const label = capitalize(client.label)
      fail(accept ? t`${label} sent Accept: ${accept}, not Accept: application/json.` : t`${label} sent no Accept header, not Accept: application/json.`, describeRequest(request, client), {
        why: "Accept tells the server which kind of body you can read. fetch sends */* unless you say otherwise: fetch(TARGET, { headers: { Accept: 'application/json' } }).",
      })
    }
  })

  check('prints the status code and the content-type', { see: 'the-response' }, async () => {
    await expectPrinted(client, '200', { why: 'The status code comes first in the answer: print response.status.' })
    await expectPrinted(client, JSON_TYPE, { why: "Print the Content-Type header as the server sent it: response.headers.get('content-type')." })
  })

  check('prints name: text for each item, in order, and exits with code 0', { see: 'read-the-whole-body-then-decode', why: JSON_WHY }, async () => {
    await expectItems(client, items, { badJson: t('Your client could not parse the body as JSON: {error}') })
    await expectExit(client, 0)
  })

  check(
    'reads a chunked body that arrives in pieces, a character cut in two',
    {
      see: 'read-the-whole-body-then-decode',
      why: 'Join the pieces as bytes and decode once at the end: response.json() or response.text() do that for you.',
    },
    async ({ http, start, random }) => {
      const its = satinItems(random, random.int(3, 5))
      const body = Buffer.from(satinJson(its))
      // Three of the writes end inside a character: a slow reader may get two writes as one
      // read, but not all of them.
      const data = body.indexOf('"data"')
      const inside = [0, 1, 2].map(() => cutInsideCharacter(body, random, data))
      const cuts = withRandomCuts(inside, body.length, 6, random)
      const peer = await http(inPieces(200, { 'Content-Type': JSON_TYPE }, piecesOf(body, cuts), 25)) // chunked
      const program = await start({ env: { URL: peer.url('/satinApi?type=1&page=1') } })
      await requestOf(peer, program)
      await expectItems(program, its, {
        badJson: t`Your client could not parse a body that arrived in ${cuts.length + 1} pieces: {error}. Parse it once, when all of it is there.`,
        split: t('The body came in pieces, and one piece ended inside a character. `body += chunk` decodes each piece on its own: collect the Buffers, or call setEncoding("utf8") first.'),
      })
      await expectExit(program, 0)
    },
  )

  check(
    `reads a large body: ${BIG_ITEMS} items, about 600 KB`,
    { see: 'content-length-or-chunked', why: 'Read until the body is complete, however many pieces it takes, then parse it once.' },
    async ({ http, start, random }) => {
      const its = satinItems(random, BIG_ITEMS)
      const body = Buffer.from(satinJson(its, { padded: true, random }))
      const peer = await http(stream(200, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length }, body, 16 * 1024))
      const program = await start({ env: { URL: peer.url('/satinApi?type=1&page=1') } })
      await requestOf(peer, program)
      await expectItems(program, its, { badJson: t`Your client could not parse a ${size(body.length, false)} body: {error}` })
      await expectExit(program, 0)
    },
  )

  for (const status of [404, 500]) {
    check(`on a ${status}, prints one line with the status and exits with code 1`, { see: 'check-the-status' }, async ({ http, start }) => {
      const peer = await http(status === 404 ? notFound : serverError)
      const program = await start({ env: { URL: peer.url(status === 404 ? '/satinApi?type=1&page=77' : '/satinApi?type=1&page=1') } })
      await requestOf(peer, program)
      await expectEnded(program, t`the ${status} answer`)
      expectStatusError(program, status, {
        why: 'A 404 or a 500 comes with a body too (an error page), but it is not your data. Check response.ok before reading the body.',
      })
    })
  }

  stretch('gives up with one line when the server stalls mid-body (TIMEOUT_MS)', { see: 'timeouts' }, async ({ http, start, random }) => {
    const body = Buffer.from(satinJson(satinItems(random, 5)))
    const peer = await http(partial(200, { 'Content-Type': JSON_TYPE }, body, random.int(20, body.length >> 1), 'stall'))
    const program = await start({ env: { URL: peer.url('/satinApi?type=1&page=1'), TIMEOUT_MS: String(STALL_TIMEOUT_MS) } })
    await requestOf(peer, program)
    // Its status lines come with the head, before the stall: the line it gives up with is news.
    const mark = await markAfterPrinted(program, JSON_TYPE)
    await expectGivesUp(program, STALL_TIMEOUT_MS, STALLED, mark)
  })
  stretch(
    ...onIPv6(
      'ipv6-in-a-url',
      async ({ http, start, random }) => {
        const path = `/satinApi?type=${random.int(1, 3)}&page=${random.int(2, 99)}`
        const its = satinItems(random, random.int(3, 5))
        const peer = await http(routes({ [path]: json(Buffer.from(satinJson(its))) }, notFound))
        const program = await start({ env: { URL: peer.url(path) } })
        expectGet(await requestOf(peer, program), program, path)
        await expectItems(program, its, { badJson: t('Your client could not parse the body as JSON: {error}') })
        await expectExit(program, 0)
      },
      IPV6_URL_WHY,
      IPV6_URL,
    ),
  )
})
