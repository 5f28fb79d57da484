// The real cause, before the lesson: a program that crashed, one whose top-level await never
// finished, one stuck in a loop and one waiting for what never comes all fail a check the same
// way ("did not print"), and each needs a different word. This file says which it was, in
// plain words, from what the program left behind: the exception its preload saw, its exit
// code, and the CPU time /proc shows.

import { pathToFileURL } from 'node:url'
import { shownPath } from '../engine/paths.ts'
import { sleep } from '../engine/wait.ts'
import { fileExcerpt } from '../text/source.ts'
import { t } from '../text/lang.ts'
import { capitalize } from '../text/words.ts'
import { bytesRead, processStat, TICKS_PER_SECOND } from './cpu.ts'
import type { Crash, Program } from './program.ts'

export interface Diagnosis {
  /** For reports and for the hint, which is about the check and so does not fit any of these. */
  cause: 'crash' | 'unsettled-await' | 'loop'
  /** One sentence: what happened to the program. */
  message: string
  /** Where, in the learner's own code. */
  details: string[]
  why: string
  /** What the error's code means, when it is one of the network's: the error event section. */
  aboutErrorEvents?: boolean
}

/** What Node's error codes mean for a program of these lessons (in the learner's language,
 * so made when asked). */
const CODES = (): Record<string, string> => ({
  ECONNRESET: t('the other side reset the connection, it vanished without closing it.'),
  EPIPE: t('the program wrote to a connection the other side had already closed.'),
  ECONNREFUSED: t('nothing listens at that address and port.'),
  EADDRINUSE: t('another program already listens on that port.'),
  EADDRNOTAVAIL: t('that address is not one of this machine’s.'),
  ETIMEDOUT: t('the other side did not answer in time.'),
  ENOENT: t('there is no file or folder of that name. The grader runs your program in an empty folder of its own, where only the files it names for it (such as IMAGE) are.'),
  EACCES: t('the program is not allowed to do that (a file it may not open, a port below 1024).'),
  EISDIR: t('that name is a folder, not a file.'),
  ERR_STREAM_WRITE_AFTER_END: t('the program wrote to a socket or stream after calling end() on it.'),
  ERR_STREAM_DESTROYED: t("the program wrote to a socket or stream that was already closed, or closed a file stream while a write was still on its way to the disk (give the stream an 'error' handler)."),
  ERR_SOCKET_BAD_PORT: t('the port is not a port number: read it with Number(process.env.PORT).'),
  ERR_INVALID_ARG_TYPE: t('a function was given the wrong kind of value, often undefined where a string, a number or a Buffer belongs.'),
  ERR_INVALID_URL: t('that text is not a URL.'),
  ERR_UNHANDLED_ERROR: t("an 'error' event was emitted with no 'error' handler."),
})

/** Codes that a socket or server reports as an 'error' event: a handler would have kept the
 * program alive. */
const EVENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ETIMEDOUT', 'ERR_UNHANDLED_ERROR'])

const MAX_FRAMES = 4

/** For a program that has ended: did an exception end it, or a top-level await? */
export function diagnoseEnding(program: Program): Diagnosis | undefined {
  const crash = program.crash()
  if (crash) return crashed(program, crash)
  if (program.options.command === undefined && program.exit?.code === 13 && !program.stoppedBecause) return unsettled(program)
  return undefined
}

/** The error's first line, as Node prints it. */
const headline = (crash: Crash) => (crash.name ? `${crash.name}: ${crash.message}` : crash.message).split('\n')[0]!

function crashed(program: Program, crash: Crash): Diagnosis {
  const label = capitalize(program.label)
  const error = headline(crash)
  // An ES module's top level runs inside a promise: Node reports a throw there as a rejection,
  // but for the learner it is a plain exception, thrown before the program got going.
  const atStart = /\bModuleJob\.run\b/.test(crash.stack ?? '')
  const rejected = crash.origin === 'unhandledRejection' && !atStart
  const message = rejected
    ? t`${label} crashed: a promise was rejected and nothing caught it: ${error}`
    : atStart
      ? t`${label} crashed at start: ${error}`
      : t`${label} crashed: ${error}`
  const frames = ownFrames(program.options.file, crash.stack ?? '')
  const details: string[] = []
  if (frames.length > 0) {
    details.push(...frames.slice(0, MAX_FRAMES).map((frame) => `  at ${frame.text}`))
    details.push(...fileExcerpt(program.options.file, frames[0]!.line, frames[0]!.column).map((line) => `    ${line}`))
  }
  // An 'error' event with no handler is thrown from inside Node: no line of the learner's is
  // in its stack, and Node's report names the object it was emitted on.
  const emitted = /Emitted 'error' event on (\w+) instance/.exec(program.stderr.lines.join('\n'))?.[1]
  const codes = CODES()
  const meaning = crash.code && Object.hasOwn(codes, crash.code) ? `${crash.code}: ${codes[crash.code]}` : undefined
  const errorEvent = Boolean(emitted || (crash.code && EVENT_CODES.has(crash.code)))
  if (meaning) details.push(meaning)
  if (emitted) details.push(t`It came as an 'error' event on a ${emitted} that had no 'error' handler, so Node threw it.`)
  else if (frames.length === 0) details.push(t('No line of your file is in its stack: Node raised it while doing something your program asked for (on a socket, a server, a file).'))
  const why = rejected
    ? t('A rejected promise that nobody awaits in a try block, and that has no .catch(), ends a Node program like an uncaught exception, with every connection it had. Await it inside try/catch, or give it a .catch().')
    : errorEvent
      ? t("A socket or server reports network trouble as an 'error' event. With no handler for it, Node throws the error, prints its stack trace and ends the program, with every connection it had. Give each socket and server an 'error' handler.")
      : t('An exception that nothing catches ends a Node program at once, with every connection it had: Node prints its stack trace and exits with code 1. The line above is where it was thrown.')
  return { cause: 'crash', message, details, why, aboutErrorEvents: errorEvent }
}

/**
 * What the program wrote to stderr that the learner should see: from its first error line on
 * (a Python traceback, an error message), else its last lines. After a crash, the lines it
 * wrote before it: the crash itself is shown in the learner's own frames, not a second time.
 */
export function stderrToShow(program: Program, max = 12): string[] {
  const lines = program.stderr.tail(Number.MAX_SAFE_INTEGER)
  const crash = program.crash()
  if (crash) {
    // Node's report starts with the place (`file:line`, the source line, a caret under it) when
    // it knows one, else with the error's first line.
    const place = (i: number) => /:\d+$/.test(lines[i]!) && /^\s*\^+\s*$/.test(lines[i + 2] ?? '')
    const dump = lines.findIndex((line, i) => place(i) || line.startsWith(headline(crash)) || /^(node:internal|Uncaught )/.test(line))
    return dump < 0 ? [] : lines.slice(Math.max(0, dump - max), dump)
  }
  const first = lines.findIndex((line) => /\b(\w*Error|Exception|Traceback|error|ERR_\w+|E[A-Z]{4,})\b/.test(line))
  return first < 0 ? lines.slice(-max) : lines.slice(first, first + max)
}

interface Frame {
  /** `Server.<anonymous> (lessons/…/server.ts:13:50)`, on the path the learner knows. */
  text: string
  line: number
  column: number
}

/** The stack's frames in the learner's own file, top first, on the learner's path. */
export function ownFrames(file: string, stack: string): Frame[] {
  const names = [file, pathToFileURL(file).href]
  const frames: Frame[] = []
  for (const raw of stack.split('\n')) {
    const match = /^\s+at (?:(.*?) \()?(.+):(\d+):(\d+)\)?$/.exec(raw)
    if (!match || !names.includes(match[2]!)) continue
    const where = `${shownPath(file)}:${match[3]}:${match[4]}`
    frames.push({ text: match[1] ? `${match[1]} (${where})` : where, line: Number(match[3]), column: Number(match[4]) })
  }
  return frames
}

function unsettled(program: Program): Diagnosis {
  const details: string[] = []
  // Node 22 and later name the await: "Warning: Detected unsettled top-level await at file:///…:3".
  const at = /unsettled top-level await at (\S+?):(\d+)\b/.exec(program.stderr.lines.join('\n'))
  if (at && [program.options.file, pathToFileURL(program.options.file).href].includes(at[1]!)) {
    details.push(`  at ${shownPath(program.options.file)}:${at[2]}`, ...fileExcerpt(program.options.file, Number(at[2]), 1).map((line) => `    ${line}`))
  }
  return {
    cause: 'unsettled-await',
    message: t`${capitalize(program.label)} exited with code 13: its top-level await never finished.`,
    details,
    why: t(
      'Node ends a program when nothing is left to wait for, and gives code 13 when the file itself was still at an `await` then: the promise it awaited never settled (an event that never came, a promise nobody resolves). Await something that settles, or, for a server, do not await at the top level at all: its callbacks keep it alive.',
    ),
  }
}

/** How long a node program has to answer: a program that does heavy work in each handler (a
 * quadratic Buffer.concat, 30 reads in a row of one poll) answers late, on a loaded machine
 * later still, but it answers. */
const ANSWER_MS = 2000
/** How long a program is watched at least. */
const WATCH_MS = 300

/**
 * For a program still running when a check gave up on it: stuck in a loop (busy on the CPU,
 * and its event loop never turns), or idle (asleep, waiting for something). A node program is
 * asked whether its event loop turns (Program.responds); for another language, a loop is a
 * busy CPU with no output at all while it is watched. Undefined where /proc cannot tell.
 */
export async function diagnoseRunning(program: Program): Promise<'loop' | 'idle' | undefined> {
  const before = processStat(program.pid)
  const readBefore = bytesRead(program.pid)
  const printed = program.stdout.bytes + program.stderr.bytes
  const started = Date.now()
  if (!before) return undefined
  const responds = await program.responds(ANSWER_MS)
  // Clock ticks are 10 ms: watch long enough for a fair share of them.
  await sleep(Math.max(0, started + WATCH_MS - Date.now()))
  const after = processStat(program.pid)
  if (!after || !program.running) return undefined
  const cpu = (after.ticks - before.ticks) / TICKS_PER_SECOND
  const wall = (Date.now() - started) / 1000
  // A loop gets a whole core on a quiet machine, on a loaded one its share; idle is ~0.
  const busy = cpu >= wall * 0.3
  // A slow program on a loaded machine may not answer in time either, but it goes on reading.
  // (Our signal itself costs a looping program a byte or so of reading, in libuv's signal pipe.)
  const read = readBefore !== undefined && (bytesRead(program.pid) ?? readBefore) - readBefore > 1024
  if (busy && !read && (responds === false || (responds === undefined && program.stdout.bytes + program.stderr.bytes === printed))) return 'loop'
  if (cpu <= wall * 0.1 && responds !== false) return 'idle'
  return undefined
}

export function loopDiagnosis(program: Program): Diagnosis {
  const label = capitalize(program.label)
  return {
    cause: 'loop',
    message: t`${label} is stuck in a loop: it keeps the CPU busy and never gets back to its events.`,
    details: [t`${label} is still running and using the CPU all the time, but it did not get back to its events once while the grader watched.`],
    why: t(
      'Node runs your code one handler at a time, on one thread. A loop that never ends (while (true), a condition nothing inside the loop changes) keeps every other handler from running: no data is read, nothing is printed, nobody else is served. Find the loop whose condition never turns false.',
    ),
  }
}

export const idleNote = (program: Program) =>
  t`${capitalize(program.label)} is still running, idle: it is waiting for something (data, an event, a promise) that never comes.`
