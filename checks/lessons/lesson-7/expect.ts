// Lesson 7's expectations: the JSON a client posts, the three lines it prints for a 201, and
// the one line it prints for an error. Each failure names the usual bug behind it.

import { printedLines } from '../../engine/expect.ts'
import { fail, type Explain } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import type { Program } from '../../run/program.ts'
import { quoteBytes } from '../../text/bytes.ts'
import { capitalize, size } from '../../text/words.ts'
import { settled, waitFor } from '../../engine/wait.ts'
import { expectEnded, expectFailedCleanly, expectStatusError } from '../lesson-5/expect.ts'
import type { CheckContext } from '../../engine/story.ts'
import { hostPort } from '../../run/sockets.ts'
import { t } from '../../text/lang.ts'
import { DEFAULT_NAME, DEFAULT_TEXT, message, type Message } from './demo.ts'

/** The check that a program started without NAME and TEXT posts the README's defaults. */
export const DEFAULTS_CHECK = `with no NAME and TEXT, posts the defaults ${DEFAULT_NAME} and ${DEFAULT_TEXT}`
export const DEFAULTS_EXPLAIN = {
  see: 'the-exercise',
  why: `By hand nobody passes NAME or TEXT, so the defaults apply: process.env.NAME ?? '${DEFAULT_NAME}' and process.env.TEXT ?? '${DEFAULT_TEXT}'.`,
} satisfies Explain

/** Why a URL on [::1] fails where a URL on 127.0.0.1 works. */
export const IPV6_WHY =
  'In a URL an IPv6 address stands in brackets, http://[::1]:8085/, because it has colons of its own. fetch and http.request read such a URL as it is. ' +
  "new URL(…).hostname keeps the brackets: net.connect() wants the address without them, '::1'."

const STRINGIFY_WHY = t(
  'Build the body with JSON.stringify({ name: NAME, text: TEXT }). It escapes what gluing strings breaks on: a quote ends the string early, a backslash starts an escape, and a newline may not stand in a JSON string at all.',
)

/** The Content-Type of a JSON body: application/json, a charset allowed. */
export function expectJsonType(contentType: string | undefined, program: Program, sent: string[]): void {
  if (contentType !== undefined && /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i.test(contentType)) return
  const label = capitalize(program.label)
  fail(contentType === undefined ? t`${label} sent no Content-Type header, not Content-Type: application/json.` : t`${label} sent Content-Type: ${contentType}, not Content-Type: application/json.`, sent, {
    why: "Content-Type tells the server what the body is. Without it a server cannot know the bytes are JSON; fetch even sends a string body as text/plain. Say so: headers: { 'Content-Type': 'application/json' }.",
  })
}

/** The body is JSON with exactly `name` and `text`, holding `want`; `sent` shows the request. */
export function expectJsonMessage(body: Buffer, program: Program, want: Message, sent: string[] = []): void {
  const label = capitalize(program.label)
  const shown = [...sent, t`The body (${size(body.length)}): ${quoteBytes(body, 400)}`, t`Expected JSON like: ${JSON.stringify(want)}`]
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch (error) {
    if (body.length === 0) fail(t`${label} sent no body at all.`, shown, { why: 'The message goes in the body: fetch(URL, { method: "POST", body: JSON.stringify(…) }).' })
    if (/^name=|&text=/.test(body.toString('utf8'))) {
      fail(t`${label} sent a form (name=…&text=…), not JSON.`, shown, { why: STRINGIFY_WHY })
    }
    fail(t`${label}'s body is not valid JSON: ${(error as Error).message}.`, shown, { why: STRINGIFY_WHY })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(t`${label}'s body is JSON, but not an object with name and text.`, shown, { why: STRINGIFY_WHY })
  }
  const fields = Object.keys(parsed)
  const record = parsed as Record<string, unknown>
  const extra = fields.filter((field) => field !== 'name' && field !== 'text')
  const missing = ['name', 'text'].filter((field) => !fields.includes(field))
  if (missing.length > 0 || extra.length > 0) {
    // At most two missing: name and text.
    const lacking = missing.length === 0 ? undefined : missing.length === 1 ? t`no ${missing[0]}` : t`no ${missing[0]} and no ${missing[1]}`
    const more = extra.length === 0 ? undefined : t`also ${extra.join(', ')}`
    const what = lacking !== undefined && more !== undefined ? t`${lacking}, ${more}` : (lacking ?? more)
    fail(t`${label}'s JSON has ${what}: expected exactly the fields name and text.`, shown, { why: 'The message is { "name": NAME, "text": TEXT }, those two fields and no others.' })
  }
  for (const field of ['name', 'text'] as const) {
    const got = record[field]
    if (got === want[field]) continue
    const env = field.toUpperCase()
    if (typeof got !== 'string') fail(t`${label}'s "${field}" is ${JSON.stringify(got)}, not the string in ${env}.`, shown)
    fail(t`${label}'s "${field}" is ${quoteBytes(got)}, but ${env} was ${quoteBytes(want[field])}.`, shown, {
      why: t`Send the text as it is, from process.env.${env}: no trimming, no escaping of your own. JSON.stringify escapes what must be escaped, and the server's JSON.parse undoes it.`,
    })
  }
}

/** What a 201 makes a program print: the status, `location: <Location>`, `id: <id>`. */
export interface Created {
  location: string
  id: string
}

const endsWithLabelled = (line: string, label: string, value: string) => line.trimEnd().toLowerCase().endsWith(`${label}: ${value}`.toLowerCase()) && line.trimEnd().endsWith(value)

/**
 * After a 201: a line with 201, then `location: <Location>`, then `id: <id>`, in that order,
 * and exit code 0.
 */
export async function expectCreated(program: Program, created: Created, explain: Explain = {}): Promise<void> {
  const label = capitalize(program.label)
  const { location, id } = created
  const at = () => {
    const lines = program.stdout.lines
    const status = lines.findIndex((line) => /\b201\b/.test(line))
    const where = lines.findIndex((line) => endsWithLabelled(line, 'location', location))
    const which = lines.findIndex((line) => endsWithLabelled(line, 'id', id))
    return { status, where, which }
  }
  const found = () => Object.values(at()).every((index) => index >= 0)
  await waitFor(() => found() || program.stdout.ended, [(wake) => program.stdout.watch(wake), settled(program.exited)], limits.waitMs)
  const expected = [t('Expected three lines, in this order:'), t('  status: 201 Created   (or just 201)'), `  location: ${location}`, `  id: ${id}`]
  const evidence = [...expected, ...printedLines(program)]
  const lines = program.stdout.lines
  const { status, where, which } = at()
  const complaint = [...program.stderr.lines, ...lines].find((line) => /SyntaxError|JSON/.test(line) && !/^\s+at /.test(line))
  if ((status < 0 || which < 0) && complaint !== undefined) {
    fail(t`${label} could not parse the answer's body as JSON: ${complaint.trim()}`, evidence, {
      why: 'The body came in pieces, one of them ending inside a character of the id. Keep the bytes, join them once the body is complete, then decode and parse: text += chunk decodes each piece alone, and a cut character becomes "\ufffd".',
      ...explain,
    })
  }
  if (status < 0) {
    fail(t`${label} did not print the status 201.`, evidence, { why: 'The status comes first in the answer: print response.status (201 Created: the message was made).', ...explain })
  }
  if (where < 0) {
    const lost = lines.find((line) => /location:\s*(null|undefined)?\s*$/i.test(line))
    if (lost !== undefined) {
      fail(t`${label} printed ${quoteBytes(lost)}: it did not find the Location header.`, evidence, {
        why: "Header names are case-insensitive: the server may send Location, location or LOCATION. response.headers.get('location') finds any of them; by hand, lower-case the names before you look one up.",
        ...explain,
      })
    }
    fail(t`${label} did not print the line location: ${location}.`, evidence, { why: "Print the Location header as the server sent it: response.headers.get('location').", ...explain })
  }
  if (which < 0) {
    const quoted = JSON.stringify(id)
    if (lines.some((line) => line.trimEnd().endsWith(`id: ${quoted}`))) {
      fail(t`${label} printed the id JSON-quoted: id: ${quoted}. Print the string itself: id: ${id}.`, evidence, {
        why: 'JSON.stringify(body.id) (or printing the raw JSON) adds quotes and escapes. Parse the body and print body.id, a string.',
        ...explain,
      })
    }
    if (lines.some((line) => line.includes('\ufffd'))) {
      fail(t`${label} printed "\ufffd" where a character of the id should be: the bytes of one character were decoded apart.`, evidence, {
        why: 'The body came in pieces, one of them ending inside a character of the id. Join the bytes, then decode once: response.json() does.',
        ...explain,
      })
    }
    fail(t`${label} did not print the line id: ${id}.`, evidence, { why: "Parse the answer's body as JSON and print its id: (await response.json()).id.", ...explain })
  }
  if (!(status < where && where < which)) {
    fail(t`${label} printed the three lines, but not in this order: status, location, id.`, evidence, explain)
  }
  const exit = await program.waitForExit(limits.waitMs)
  if (!exit) fail(t`${label} printed the three lines, but was still running 3 s later; it should have exited with code 0.`, printedLines(program), explain)
  if (exit.code !== 0) fail(t`${label} printed the three lines, then ${program.describeExit()}; expected exit code 0.`, printedLines(program), explain)
}

/**
 * After a refusal: the program ends by itself, exits with code 1, one line names the status, and,
 * when the server sent a JSON error, that same line holds its text.
 */
export async function expectRefusal(program: Program, status: number, error: string | undefined, explain: Explain = {}): Promise<void> {
  await expectEnded(program, t`the ${status} answer`)
  const output = [...program.stderr.lines, ...program.stdout.lines]
  const label = capitalize(program.label)
  const crashed = output.some((line) => /^\s+at .+(\(.*\)|:\d+:\d+)$/.test(line))
  if (crashed && error === undefined && output.some((line) => /SyntaxError|JSON/.test(line))) {
    fail(t`${label} crashed parsing the ${status} answer's HTML page as JSON.`, [t('It printed:'), ...output.slice(0, 12).map((line) => `  ${line}`)], {
      why: 'An error answer can come from anywhere on the way (a proxy, a gateway), with a page, not JSON. Try to parse it, and when that fails, print the status alone.',
      ...explain,
    })
  }
  expectStatusError(program, status, explain)
  if (error === undefined) {
    // A page has no error text: a template that prints one anyway shows the user "undefined".
    const blank = output.find((line) => line.includes(String(status)) && /\b(undefined|null)\b/.test(line))
    if (blank === undefined) return
    fail(t`${label} printed "${/\bundefined\b/.test(blank) ? 'undefined' : 'null'}" where the error text would go: the ${status} answer's body is an HTML page, with no error field.`, [t('It printed:'), `  ${blank}`], {
      why: "Add the error text only when there is one: error === undefined ? '' : `: ${error}`. For a page, the status alone says enough.",
      ...explain,
    })
  }
  if (output.some((line) => line.includes(String(status)) && line.includes(error))) return
  const shown = [t('It printed:'), ...output.filter((line) => line.trim() !== '').slice(0, 12).map((line) => `  ${line}`), t`The server's body: ${JSON.stringify({ error })}`]
  const apart = output.some((line) => line.includes(error))
  fail(
    apart ? t`${label} printed the status ${status} and the error text, but not on one line.` : t`${label} did not print the server's error text: ${quoteBytes(error)}.`,
    shown,
    { why: 'A JSON error body says what was wrong: print one line with the status and its error field, such as `error: 400 Bad Request: name too long`.', ...explain },
  )
}

/** ⭐ A client pointed where nothing listens says so in one line and exits with code 1. */
export const nothingListening = (see: string, why: string) =>
  [
    'with nothing listening, prints one line and exits with code 1',
    { see, why } satisfies Explain,
    async ({ start, freePort, host, random }: CheckContext) => {
      const port = await freePort()
      const program = await start({ env: { URL: `http://${hostPort(host, port)}/messages`, NAME: DEFAULT_NAME, TEXT: message(random).text } })
      const what = t('the refused connection')
      await expectEnded(program, what)
      expectFailedCleanly(program, what)
    },
  ] as const
