// Lesson 5's expectations: what an HTTP client prints (items in order, one error line), how it
// gives up, and what it leaves on disk. Each failure names the usual bug behind it.

import { readFileSync, watch } from 'node:fs'
import { printedLines } from '../../engine/expect.ts'
import { filesIn } from '../../run/files.ts'
import { quoteBytes } from '../../text/bytes.ts'
import { t } from '../../text/lang.ts'
import { capitalize, size } from '../../text/words.ts'
import { fail, type Explain } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import type { RecordedRequest } from '../../peers/http.ts'
import type { Program } from '../../run/program.ts'
import { seconds, settled, waitFor, type Subscribe } from '../../engine/wait.ts'
import { itemLine, type SatinItem } from './demo.ts'

/**
 * `message`, plus how the program ended if it has and the message does not say. (A story
 * whose connection closed reports an exit "during this check" instead of a message that
 * does not name it; a client that exits after its answer is no news, the bug is.)
 */
function ending(program: Program, message: string): string {
  if (program.running || !program.exit || message.includes(program.describeExit())) return message
  return t`${message} It then ${program.describeExit()}.`
}

/** The request as the grader's server received it, for a failure's details. */
export function describeRequest(request: RecordedRequest, program: Program): string[] {
  const lines = [`${request.method} ${request.path} HTTP/${request.httpVersion}`]
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`)
  return [t`${capitalize(program.label)} sent:`, ...lines.map((line) => `  ${line}`)]
}

function everything(program: Program): string[] {
  return [...program.stderr.lines, ...program.stdout.lines].filter((line) => line.trim() !== '')
}

function shown(program: Program): string[] {
  const output = everything(program)
  return output.length ? [t('It printed:'), ...output.slice(0, 12).map((l) => `  ${l}`)] : [t('It printed nothing.')]
}

const isStackLine = (line: string) => /^\s+at .+(\(.*\)|:\d+:\d+)$/.test(line)
const JSON_TROUBLE = /SyntaxError|JSON/

export interface ItemNotes {
  /** The message when the program could not parse the body (a JSON error in its output). */
  badJson: string
  /** Why, when it printed U+FFFD: where the character was cut. */
  split?: string
}

/** Every item printed as `name: text`, in the server's order. */
export async function expectItems(program: Program, items: SatinItem[], notes: ItemNotes): Promise<void> {
  const expected = items.map(itemLine)
  // Lines only ever get added, so the search resumes where it stopped.
  let next = 0
  let line = 0
  const allFound = () => {
    const lines = program.stdout.lines
    while (next < expected.length && line < lines.length) {
      if (lines[line]!.includes(expected[next]!)) next++
      line++
    }
    return next === expected.length
  }
  await waitFor(() => allFound() || program.stdout.ended, [program.stdout.watch.bind(program.stdout), settled(program.exited)], limits.waitMs)
  if (allFound()) return

  const label = capitalize(program.label)
  const lines = program.stdout.lines
  const missing = expected[next]!
  const evidence = [t`Expected a line containing: ${missing}`, ...printedLines(program)]
  if (lines.some((l) => l.includes('\ufffd'))) {
    fail(ending(program, t`${label} printed "\ufffd" where a character should be: the bytes of one character were decoded apart.`), evidence, {
      why: notes.split ?? t('A character such as 熊 takes 3 bytes in UTF-8, and they can arrive in two reads. Join all the bytes, then decode once.'),
    })
  }
  const complaint = everything(program).find((l) => JSON_TROUBLE.test(l) && !isStackLine(l))
  if (complaint) fail(ending(program, notes.badJson.replace('{error}', complaint.trim())), evidence)
  const found = expected.filter((e) => lines.some((l) => l.includes(e))).length
  if (found === 0 && lines.some((l) => /\S: \S/.test(l))) {
    fail(ending(program, t`${label} printed none of this run's items.`), evidence, {
      why: 'The server makes up new items on every run. Print what it sent this time, not what you saw once.',
    })
  }
  if (found === expected.length) {
    fail(ending(program, t`${label} printed every item, but not in the order the server sent them.`), evidence, {
      why: 'Print the items in the order of the "data" array.',
    })
  }
  const message = program.running
    ? t`${label} printed ${found} of the ${expected.length} items, and was still running ${seconds(limits.waitMs)} later; item ${next + 1} is missing.`
    : t`${label} printed ${found} of the ${expected.length} items; item ${next + 1} is missing.`
  fail(ending(program, message), evidence)
}

/** Waits for the program to end by itself after `what` ("the 404 answer"). */
export async function expectEnded(program: Program, what: string, ms = limits.waitMs): Promise<void> {
  const status = await program.waitForExit(ms)
  if (!status) fail(t`${capitalize(program.label)} was still running ${seconds(ms)} after ${what}; it should have printed one line and exited with code 1.`, shown(program))
}

/**
 * After an answer that is not a success: one line naming `status`, exit code 1, no stack trace.
 * (The program has ended: call expectEnded first.)
 */
export function expectStatusError(program: Program, status: number, explain: Explain = {}): void {
  const label = capitalize(program.label)
  const output = everything(program)
  if (output.some(isStackLine)) {
    if (output.some((l) => JSON_TROUBLE.test(l))) {
      fail(ending(program, t`${label} tried to parse the ${status} answer's body as JSON and crashed: it did not check the status before reading the body.`), shown(program), explain)
    }
    fail(ending(program, t`${label} crashed with a stack trace after the ${status} answer, instead of printing one line.`), shown(program), {
      why: 'Check the status first; for anything but 2xx, print one line with it and set process.exitCode = 1.',
      ...explain,
    })
  }
  const code = program.exit?.code
  if (code === 0) {
    fail(t`${label} exited with code 0 after a ${status} answer, as if all went well.`, shown(program), {
      why: 'Check the status (response.ok) first; for anything but 2xx, print one line with the status and set process.exitCode = 1.',
    })
  }
  if (code !== 1) fail(t`${label} ${program.describeExit()} after a ${status} answer; expected exit code 1.`, shown(program), explain)
  if (!output.some((line) => line.includes(String(status)))) fail(ending(program, t`${label} printed no line that names the status ${status}.`), shown(program), explain)
}

/** A program that gave up (a stall, a broken transfer): non-zero exit, one line, no stack. */
export function expectFailedCleanly(program: Program, what: string, explain: Explain = {}): void {
  const label = capitalize(program.label)
  const output = everything(program)
  if (output.some(isStackLine)) fail(ending(program, t`${label} crashed with a stack trace after ${what}, instead of printing one line.`), shown(program), explain)
  const code = program.exit?.code
  if (code === 0) fail(t`${label} exited with code 0 after ${what}, as if all went well.`, shown(program), explain)
  if (program.exit?.signal || code === null || code === undefined) fail(t`${label} ${program.describeExit()} after ${what}.`, shown(program), explain)
  if (output.length === 0) fail(ending(program, t`${label} printed nothing after ${what}; it should print one line that says what went wrong.`), [], explain)
}

/** How far a program's output had come: the lines after it are news. */
export interface OutputMark {
  out: number
  err: number
}

/**
 * Waits until the program prints a line containing `text` (say, its content-type line, which
 * comes with the head), and marks its output there. Undefined if that line never comes: a
 * program may print it later, or not at all (other checks see to it).
 */
export async function markAfterPrinted(program: Program, text: string): Promise<OutputMark | undefined> {
  const has = () => program.stdout.lines.some((line) => line.includes(text))
  await waitFor(() => has() || program.stdout.ended, [(wake) => program.stdout.watch(wake), settled(program.exited)], limits.waitMs)
  return has() ? { out: program.stdout.lines.length, err: program.stderr.lines.length } : undefined
}

/** The stall story's verdict: the program gives up on its own, within 10× TIMEOUT_MS. With
 * `mark`, what it printed before the stall (its status lines) does not count as its word. */
export async function expectGivesUp(program: Program, timeoutMs: number, what: string, mark?: OutputMark): Promise<void> {
  const ms = Math.max(10 * timeoutMs, limits.waitMs)
  const status = await program.waitForExit(ms)
  if (!status) {
    fail(t`${capitalize(program.label)} was still waiting ${seconds(ms)} after ${what}, though TIMEOUT_MS was ${timeoutMs}.`, printedLines(program), {
      why: 'A server can send its headers and then nothing, for ever. Give up after TIMEOUT_MS: AbortSignal.timeout() for fetch, setTimeout() on a request or a socket.',
    })
  }
  const why = t('When the time is up, stop waiting: print one line (say it timed out) and set process.exitCode = 1.')
  expectFailedCleanly(program, what, { why })
  if (mark) {
    const said = [...program.stdout.lines.slice(mark.out), ...program.stderr.lines.slice(mark.err)].filter((line) => line.trim() !== '')
    if (said.length === 0) fail(t`${capitalize(program.label)} gave up without a word: after ${what}, it printed nothing more than before.`, [], { why })
  }
}

// ——— Files ———

/** The files a program left in its working folder, with their contents (small files only:
 * this lesson's pictures are at most 20 MiB). */
export function savedFiles(program: Program): Map<string, Buffer> {
  return new Map(filesIn(program.workDir).map((file) => [file.name, readFileSync(file.path)]))
}

const bytesIn = (dir: string) => filesIn(dir).reduce((total, file) => total + file.bytes, 0)

/** Waits until the files in `dir` hold `min` bytes in all (woken by the file system). */
export async function waitForBytesOnDisk(dir: string, min: number, ms: number): Promise<number> {
  const changes: Subscribe = (wake) => {
    try {
      const watcher = watch(dir, () => wake())
      watcher.on('error', () => {})
      return () => watcher.close()
    } catch {
      // No file-system events here (inotify limits): look every 50 ms instead.
      const timer = setInterval(wake, 50)
      return () => clearInterval(timer)
    }
  }
  await waitFor(() => bytesIn(dir) >= min, [changes], ms)
  return bytesIn(dir)
}

/** The bytes went through a string: invalid UTF-8 became U+FFFD (ef bf bd). */
export const decodedAsText = (want: Buffer, got: Buffer) => !got.equals(want) && got.equals(Buffer.from(want.toString('utf8')))

export interface FolderExpectation {
  out: string
  /** What OUT must hold afterwards; undefined: OUT must not exist. */
  content: Buffer | undefined
  /** The bytes of the body the server sent (or began to send), to recognise them. */
  body?: Buffer
  /** "the 404 answer", "the broken transfer". */
  what: string
}

/** OUT holds what it held before (or nothing), and nothing else was left in the folder. */
export function expectFolderUntouched(program: Program, expectation: FolderExpectation): void {
  const { out, content, body, what } = expectation
  const files = savedFiles(program)
  const label = capitalize(program.label)
  const now = files.get(out)
  const why = t('Write to a temporary file next to OUT; rename it to OUT only once the whole body has arrived, and remove it on any failure.')
  if (content && !now) fail(t`${label} deleted the existing ${out} after ${what}; it should have left it as it was.`, [], { why })
  if (now && !(content && now.equals(content))) {
    const before = content ? t`the existing ${out} (${size(content.length, false)}) was replaced` : t`${out} was created`
    if (body && now.length < body.length && body.subarray(0, now.length).equals(now)) {
      fail(
        now.length === 0
          ? t`${label} left a partial file: after ${what}, ${out} is empty, and ${before}.`
          : t`${label} left a partial file: after ${what}, ${out} holds only the first ${size(now.length, false)} of ${size(body.length, false)}, and ${before}.`,
        [],
        { why },
      )
    }
    if (body && now.equals(body)) fail(t`${label} saved the body of ${what} as ${out}: it did not check the status. (${capitalize(before)}.)`, [], { why: 'A 404 page is not a picture. Check the status before you write anything.' })
    fail(t`${label} wrote ${size(now.length, false)} to ${out} after ${what}: ${before}.`, [t`Now it starts with: ${quoteBytes(now.subarray(0, 40))}`], { why })
  }
  const extra = [...files.keys()].filter((name) => name !== out)
  if (extra.length > 0) {
    const list = extra.map((name) => `${name} (${size(files.get(name)!.length, false)})`).join(', ')
    fail(t`${label} left a partial file behind after ${what}: ${list}.`, [], { why })
  }
}
