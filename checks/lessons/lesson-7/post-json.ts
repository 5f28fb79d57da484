// Lesson 7 · post-json: POST a JSON message with fetch. The grader is a node:http server that
// records each request and its body; the text holds what string-glued JSON breaks on (quotes,
// backslashes, a newline), the answer's id holds CJK and emoji and comes in pieces, and some
// answers are refusals: 400, an HTML 502, and 503s that ask, with Retry-After, to come back later.

import { fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import { exercise } from '../../engine/story.ts'
import { seconds } from '../../engine/wait.ts'
import type { HttpPeer, RecordedRequest } from '../../peers/http.ts'
import { inTurn, routes, type Reply } from '../../peers/routes.ts'
import type { Program } from '../../run/program.ts'
import { t } from '../../text/lang.ts'
import { capitalize } from '../../text/words.ts'
import { describeRequest } from '../lesson-5/expect.ts'
import { IPV6_URL, expectGet, requestOf } from '../lesson-5/http.ts'
import { onIPv6 } from '../shared.ts'
import { DEFAULT_NAME, DEFAULT_TEXT, badGateway, busy, busyError, created, createdJson, message, messageId, refused, serial, type Message } from './demo.ts'
import { DEFAULTS_CHECK, DEFAULTS_EXPLAIN, IPV6_WHY, expectCreated, expectJsonMessage, expectJsonType, expectRefusal, nothingListening, type Created } from './expect.ts'
import type { Random } from '../../engine/random.ts'

/** A 201 for `posted`, and the lines it should make a program print. */
function answer(random: Random, posted: Message): { reply: Reply; created: Created } {
  const id = messageId(random)
  const location = `/messages/${serial(random)}`
  return { reply: created(random, location, createdJson(id, posted)), created: { location, id } }
}

const env = (peer: HttpPeer, path: string, posted?: Message) => ({ URL: peer.url(path), ...(posted && { NAME: posted.name, TEXT: posted.text }) })

const RETRY_WHY = t(
  'A 503 with Retry-After: N says "busy: come back in N seconds". Read it with response.headers.get(\'retry-after\'), wait that long (await new Promise((resolve) => setTimeout(resolve, N * 1000))), and send the same request again: at most 3 tries in all.',
)

/** Waits for request number `count`, which a retry sends `after` seconds after the previous one. */
async function expectRetry(peer: HttpPeer, program: Program, count: number, after: number): Promise<RecordedRequest> {
  const label = capitalize(program.label)
  const previous503 = ['', t('the first 503'), t('the second 503'), t('the third 503')][count - 1]
  const latest = (after + 3) * 1000
  const previous = peer.requests[count - 2]!
  try {
    await peer.request(program, count, latest + 500)
  } catch {
    if (!program.running) fail(t`${label} ${program.describeExit()} after ${previous503}, without trying again.`, [], { why: RETRY_WHY })
    fail(t`${label} did not try again within ${seconds(latest)} of ${previous503} (Retry-After: ${after}).`, [], { why: RETRY_WHY })
  }
  const retry = peer.requests[count - 1]!
  const waited = retry.at - previous.at
  const shown = [t`The 503 said: Retry-After: ${after}`]
  if (waited < after * 1000 - 100) {
    fail(t`${label} tried again after ${(waited / 1000).toFixed(2)} s; the server asked it to wait ${after} s (Retry-After: ${after}).`, shown, {
      why: 'Retry-After is in seconds: wait N * 1000 ms before the next try. Trying again at once makes a busy server busier.',
    })
  }
  if (waited > latest) fail(t`${label} waited ${seconds(waited)} before it tried again; the server asked for ${after} s.`, shown, { why: RETRY_WHY })
  return retry
}

/** Only a 503 asks for another try: a refusal is the answer. */
function expectOneTry(peer: HttpPeer, program: Program, status: number): void {
  if (peer.requests.length === 1) return
  fail(t`${capitalize(program.label)} sent ${peer.requests.length} requests to a server that answered ${status}: only a 503 asks you to try again.`, [], {
    why:
      status === 400
        ? t`A ${status} will be a ${status} again: the request itself is wrong. Retry a 503 with Retry-After; print anything else and stop.`
        : t`A ${status} will be a ${status} again: the server behind this one is down, and it did not say when to come back. Retry a 503 with Retry-After; print anything else and stop.`,
  })
}

export default exercise(({ check, stretch }) => {
  let client: Program
  let request: RecordedRequest
  let posted: Message
  let expected: Created

  check('sends POST for the URL it is given, query included', { see: 'from-requestspost-to-fetch' }, async ({ http, start, random }) => {
    const path = `/messages?room=${serial(random)}`
    posted = message(random)
    const reply = answer(random, posted)
    expected = reply.created
    const peer = await http(routes({ [path]: reply.reply }, refused(404, 'no such room')))
    client = await start({ env: env(peer, path, posted) })
    await requestOf(peer, client)
    request = await peer.body(client)
    expectGet(request, client, path, 'POST')
  })

  check('sends Content-Type: application/json', { see: 'content-type' }, async () => {
    expectJsonType(request.headers['content-type'], client, describeRequest(request, client))
  })

  check('sends exactly {"name": NAME, "text": TEXT} as JSON, quotes, backslashes and newlines included', { see: 'json-with-jsonstringify' }, async () => {
    expectJsonMessage(request.body, client, posted, describeRequest(request, client))
  })

  check(
    'on a 201, prints the status, location: <Location> and id: <id>, in this order, and exits with code 0',
    { see: 'reading-the-answer-status-and-headers' },
    async () => {
      await expectCreated(client, expected)
    },
  )

  check(
    DEFAULTS_CHECK,
    DEFAULTS_EXPLAIN,
    async ({ http, start, random }) => {
      const defaults = { name: DEFAULT_NAME, text: DEFAULT_TEXT }
      const reply = answer(random, defaults)
      const peer = await http(reply.reply)
      const program = await start({ env: env(peer, '/messages') })
      const sent = await peer.body(program)
      expectJsonMessage(sent.body, program, defaults, describeRequest(sent, program))
      await expectCreated(program, reply.created)
    },
  )

  check(
    'on a 400, prints one line with the status and the error text, and exits with code 1',
    { see: 'status-codes-for-a-post', why: 'Check the status before you take the answer for a success. A 400 says your request was wrong; its JSON body says how.' },
    async ({ http, start, random }) => {
      const error = `名字太长了 (name too long) #${serial(random)}`
      const peer = await http(refused(400, error))
      const program = await start({ env: env(peer, '/messages', message(random)) })
      await requestOf(peer, program)
      await expectRefusal(program, 400, error)
      expectOneTry(peer, program, 400)
    },
  )

  check(
    'on a 502 with an HTML page, prints one line with the status and exits with code 1',
    { see: 'status-codes-for-a-post', why: 'Check the status first. An error body need not be JSON: try to parse it, and when that fails, print the status alone.' },
    async ({ http, start, random }) => {
      const peer = await http(badGateway)
      const program = await start({ env: env(peer, '/messages', message(random)) })
      await requestOf(peer, program)
      await expectRefusal(program, 502, undefined)
      expectOneTry(peer, program, 502)
    },
  )

  // One busy server for two chapters: 503 (Retry-After: 2), 503 (Retry-After: 0), then 201.
  let busyPeer: HttpPeer
  let busyClient: Program
  let busyReply: Created

  check('on a 503 with Retry-After: 2, waits 2 s, then sends the same request again', { see: 'retry-after' }, async ({ http, start, random }) => {
    const mine = message(random)
    const reply = answer(random, mine)
    busyReply = reply.created
    busyPeer = await http(inTurn(busy(2), busy(0), reply.reply))
    busyClient = await start({ env: env(busyPeer, '/messages', mine) })
    await requestOf(busyPeer, busyClient)
    const retry = await expectRetry(busyPeer, busyClient, 2, 2)
    await busyPeer.body(busyClient, 2)
    expectGet(retry, busyClient, '/messages', 'POST')
    expectJsonMessage(retry.body, busyClient, mine, describeRequest(retry, busyClient))
  })

  check('on a second 503, with Retry-After: 0, tries a third time and prints its 201', { see: 'retry-after' }, async () => {
    await expectRetry(busyPeer, busyClient, 3, 0)
    await expectCreated(busyClient, busyReply)
  })

  check('after a third 503, gives up: one line with the status, exit code 1', { see: 'retry-after' }, async ({ http, start, random }) => {
    const peer = await http(busy(0))
    const program = await start({ env: env(peer, '/messages', message(random)) })
    await requestOf(peer, program)
    await expectRetry(peer, program, 2, 0)
    await expectRetry(peer, program, 3, 0)
    // A fourth try comes at once (Retry-After: 0), or never: the exit or the fourth, whichever is first.
    const fourth = await peer.request(program, 4, limits.waitMs).then(
      () => true,
      () => false,
    )
    if (fourth) {
      const label = capitalize(program.label)
      const count = peer.requests.length
      fail(count > 4 ? t`${label} sent ${count} requests to a server that answered 503 every time: 3 tries in all is the limit.` : t`${label} sent a fourth request to a server that answered 503 every time: 3 tries in all is the limit.`, [], {
        why: 'Count the tries. After the third 503, stop: print one line with the status and set process.exitCode = 1. A client that retries for ever keeps a busy server busy.',
      })
    }
    await expectRefusal(program, 503, busyError(0))
  })

  check(
    ...onIPv6(
      'ipv6-in-a-url',
      async ({ http, start, random }) => {
        const mine = message(random)
        const reply = answer(random, mine)
        const peer = await http(reply.reply)
        const program = await start({ env: env(peer, '/messages', mine) })
        const sent = await peer.body(program)
        expectJsonMessage(sent.body, program, mine, describeRequest(sent, program))
        await expectCreated(program, reply.created)
      },
      IPV6_WHY,
      IPV6_URL,
    ),
  )

  stretch(...nothingListening('status-codes-for-a-post', 'fetch throws when it cannot connect (ECONNREFUSED). Catch it: print one line, set process.exitCode = 1.'))
})
