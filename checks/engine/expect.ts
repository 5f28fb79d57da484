// Expectations about the learner's program as a whole: what it prints, how it exits, where it
// listens. Each one waits for the outcome, and when it does not come, says what came instead.
// ("Prints X" means a line of stdout contains X; "prints the line X", that a line ends with X,
// a label before it allowed. Extra debug lines are fine either way.)

import { quoteBytes } from '../text/bytes.ts'
import { t } from '../text/lang.ts'
import { capitalize } from '../text/words.ts'
import { explaining, fail, type Explain } from './failure.ts'
import { limits } from './limits.ts'
import { diagnoseBinding } from '../run/diagnose.ts'
import type { Program } from '../run/program.ts'
import { seconds, settled, waitFor } from './wait.ts'

/** What the program printed last, for a failure's details. */
export function printedLines(program: Program, max = 8): string[] {
  const lines = program.stdout.tail(max)
  const label = capitalize(program.label)
  if (lines.length === 0) return [t`${label} printed nothing.`]
  return [program.stdout.lines.length > max ? t`${label} printed (last lines):` : t`${label} printed:`, ...lines.map((l) => `  ${l}`)]
}

/** Why a message someone sent did not show up as one line: the usual byte-stream mistakes. */
function misprint(program: Program, text: string): string | undefined {
  const lines = program.stdout.lines
  if (program.stdout.unfinished.includes(text)) {
    return t`${capitalize(program.label)} printed ${quoteBytes(text)} but no newline after it.`
  }
  if (lines.some((line) => line.includes('\ufffd'))) {
    return t`${capitalize(program.label)} printed "\ufffd": bytes of one character were decoded apart. A character such as 客 takes 3 bytes in UTF-8, and they can arrive in two reads.`
  }
  for (let start = 0; start < lines.length; start++) {
    let joined = ''
    for (let end = start; end < lines.length && joined.length < text.length * 2; end++) {
      joined += lines[end]
      if (end > start && joined.includes(text)) {
        return t`${capitalize(program.label)} printed the message in ${end - start + 1} pieces, one per line.`
      }
    }
  }
  return undefined
}

/** Some line of the program's stdout contains `text`. */
export async function expectPrinted(program: Program, text: string, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const has = () => program.stdout.lines.some((line) => line.includes(text))
    const found = await waitFor(() => has() || program.stdout.ended, [(wake) => program.stdout.watch(wake), settled(program.exited)], limits.waitMs)
    if (found && has()) return
    const reason = misprint(program, text) ?? (program.running ? undefined : t`${capitalize(program.label)} ${program.describeExit()} before it printed ${quoteBytes(text)}.`)
    fail(reason ?? t`${capitalize(program.label)} did not print ${quoteBytes(text)}.`, [
      t`Expected a line containing: ${text}`,
      ...printedLines(program),
    ])
  })
}

/** What each program was expected to print as a line so far, oldest first. */
const expectedLines = new WeakMap<Program, string[]>()

/** A line that prints `text`: the text itself, or a label before it (`客户端：text`). */
const printsLine = (line: string, text: string) => line.endsWith(text)

/**
 * The program prints `text` as a line of its own, once: the line ends with it, and what comes
 * before it is a label, not an earlier message. (A buffer kept for every client would put one
 * client's bytes in front of the next one's line.) Texts expected earlier must still have been
 * printed once each: a line printed twice shows up by the next message.
 */
export async function expectPrintedLine(program: Program, text: string, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const earlier = expectedLines.get(program) ?? []
    expectedLines.set(program, [...earlier, text])
    const label = capitalize(program.label)
    const matching = () => program.stdout.lines.filter((line) => printsLine(line, text))
    const found = await waitFor(() => matching().length > 0 || program.stdout.ended, [(wake) => program.stdout.watch(wake), settled(program.exited)], limits.waitMs)
    if (!found || matching().length === 0) {
      const reason = misprint(program, text) ?? (program.running ? undefined : t`${label} ${program.describeExit()} before it printed ${quoteBytes(text)}.`)
      const near = program.stdout.lines.some((line) => line.includes(text))
      fail(reason ?? (near ? t`${label} printed ${quoteBytes(text)} with more after it on the line.` : t`${label} did not print ${quoteBytes(text)}.`), [
        t`Expected a line that ends with: ${text}`,
        ...printedLines(program),
      ])
    }
    for (const line of matching()) {
      const before = line.slice(0, line.length - text.length)
      const stale = earlier.find((old) => before.includes(old))
      if (stale !== undefined) {
        fail(t`${label} printed ${quoteBytes(text)} with an earlier message, ${quoteBytes(stale)}, in front of it.`, printedLines(program), {
          why: 'Bytes of one client ended up in another client’s line. Keep each connection’s bytes in a variable inside the connection callback, so every socket has its own.',
        })
      }
    }
    expectEachPrintedOnce(program)
  })
}

/** Every line expected of the program so far was printed once, not twice. */
function expectEachPrintedOnce(program: Program): void {
  for (const text of expectedLines.get(program) ?? []) {
    if (program.stdout.lines.filter((line) => printsLine(line, text)).length > 1) {
      fail(t`${capitalize(program.label)} printed ${quoteBytes(text)} twice; each line should be printed once.`, printedLines(program), {
        why: "A line can end twice: at its \\n, and again at 'end'. Print it at the first one only: a done flag helps.",
      })
    }
  }
}

/** The program exits by itself with `code`. */
export async function expectExit(program: Program, code: number, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const status = await program.waitForExit(limits.waitMs)
    if (!status) fail(t`${capitalize(program.label)} was still running ${seconds(limits.waitMs)} later; it should have exited.`)
    if (program.stoppedBecause || status.code !== code) {
      fail(t`${capitalize(program.label)} ${program.describeExit()}; expected it to exit with code ${code}.`)
    }
    // Its output is complete now: a line printed again at the end shows here.
    expectEachPrintedOnce(program)
  })
}

export async function expectRunning(program: Program, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    if (!program.running) fail(t`${capitalize(program.label)} ${program.describeExit()}.`)
  })
}

/** The server listens on HOST itself, not on every interface (where /proc can tell). */
export async function expectBoundToHost(program: Program, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const problem = diagnoseBinding(program, program.options.host!, program.options.port!)
    if (problem) fail(problem)
  })
}

/**
 * The program gives up with one short error: it exits with a non-zero code (or `code`), some
 * line names every one of `mentions`, and no stack trace is printed.
 */
export async function expectCleanError(program: Program, mentions: string[], code: number | 'non-zero', explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const status = await program.waitForExit(limits.waitMs)
    if (!status) fail(t`${capitalize(program.label)} was still running ${seconds(limits.waitMs)} later; it should have given up and exited.`)
    const output = [...program.stderr.lines, ...program.stdout.lines].filter((line) => line.trim() !== '')
    const shown = output.length ? [t('It printed:'), ...output.slice(0, 12).map((l) => `  ${l}`)] : [t('It printed nothing.')]
    const stack = output.filter((line) => /^\s+at .+(\(.*\)|:\d+:\d+)$/.test(line))
    if (stack.length > 0) {
      fail(t`${capitalize(program.label)} crashed with a stack trace instead of a one-line error.`, shown, {
        why: "A stack trace is for the programmer. Handle the socket's 'error' event and print one line a user can act on.",
      })
    }
    // One line, as the checks say: two error lines for one error (two 'error' handlers, an
    // error printed and then printed again) tell the user less, not more.
    const errors = program.stderr.lines.filter((line) => line.trim() !== '')
    if (errors.length > 1) {
      fail(t`${capitalize(program.label)} printed ${errors.length} lines to stderr for one error; one line is enough.`, shown, {
        why: 'One error, one line: handle it in one place. An error handler that stays attached after its job is done (a connect error handler once connected) reports the same error a second time.',
      })
    }
    const okCode = code === 'non-zero' ? status.code !== 0 && status.code !== null : status.code === code
    const label = capitalize(program.label)
    if (!okCode) fail(code === 'non-zero' ? t`${label} ${program.describeExit()}; expected exit code other than 0.` : t`${label} ${program.describeExit()}; expected exit code ${code}.`, shown)
    if (!output.some((line) => mentions.every((m) => line.includes(m)))) {
      fail(mentions.length ? t`${label} printed no line that names ${mentions.join(t(' and '))}.` : t`${label} printed nothing to say what went wrong.`, shown)
    }
  })
}

/** The program prints some line after its `after`th line: a notice whose words are its own. */
export async function expectNewLine(program: Program, after: number, explain?: Explain): Promise<void> {
  await explaining(explain, async () => {
    const grew = () => program.stdout.lines.length > after
    await waitFor(() => grew() || program.stdout.ended, [(wake) => program.stdout.watch(wake), settled(program.exited)], limits.waitMs)
    const label = capitalize(program.label)
    if (!grew()) fail(program.running ? t`${label} printed nothing.` : t`${label} ${program.describeExit()} and printed nothing.`, printedLines(program))
  })
}
