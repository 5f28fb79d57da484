// Checks as stories. An exercise's checks run in order against one start of the learner's
// program (a start costs ~0.2 s, the checks themselves a few ms), so a later check may go on
// with a connection an earlier one opened, like chapters. The first failed check ends the
// story: what follows is "not run", as rustlings stops at the first problem.

import { t, tr } from '../text/lang.ts'
import { CheckFailure, explaining, fail, type Explain } from './failure.ts'
import type { ExerciseObserver } from './observe.ts'
import { limits } from './limits.ts'
import { useMark } from '../peers/connection.ts'
import { createRandom, unseeded } from './random.ts'
import { World, type CheckContext, type Early, type Target } from './world.ts'
import type { CheckResult, FailureReport, OutputTail } from './results.ts'
import { loopbackHost } from '../run/ports.ts'
import { Program } from '../run/program.ts'
import { resolveSee, sectionsOfLesson } from './see.ts'
import { diagnoseEnding, diagnoseRunning, idleNote, loopDiagnosis, stderrToShow, type Diagnosis } from '../run/ending.ts'
import type { Lesson } from '../../lessons/index.ts'
import { seconds, within } from './wait.ts'
import { capitalize } from '../text/words.ts'

export type { CheckContext, StartRequest, TestServer, Target } from './world.ts'

type Story = (context: CheckContext) => Promise<void>

interface CheckSpec {
  name: string
  stretch: boolean
  story: Story
  /** Where the README explains what this check is about, for any failure without its own. */
  explain: Explain
  /** The program this check starts, started early (World.startEarly). */
  early?: Early
  /** The check's safety net, when not limits.checkMs. */
  ms?: number
}

export interface CheckOptions {
  /** A server's check whose story begins with start({ byHand: true }) ('by-hand'),
   * start({ takenPort: true }) ('taken-port') or start() in the IPv6 context ('ipv6'): that
   * program is started once the first check has passed, and boots while the checks before this
   * one run. */
  early?: Early
  /** A safety net longer than limits.checkMs, for a check that moves hundreds of MiB and
   * watches their progress itself (waitWhileMoving): on a loaded machine they take longer. */
  ms?: number
}

export interface ExerciseChecks {
  build(): CheckSpec[]
}

export interface StoryBook {
  check(name: string, explain: Explain, story: Story, options?: CheckOptions): void
  /** ⭐ A check beyond the exercise's requirements: shown, but not needed to pass. */
  stretch(name: string, explain: Explain, story: Story, options?: CheckOptions): void
}

/** Declares an exercise's checks. `define` runs anew for every grading, so state it keeps in
 * its closure (a connection one check opens and the next one reads) belongs to one run. */
export function exercise(define: (book: StoryBook) => void): ExerciseChecks {
  return {
    build() {
      const checks: CheckSpec[] = []
      define({
        check: (name, explain, story, options) => checks.push({ name, stretch: false, story, explain, early: options?.early, ms: options?.ms }),
        stretch: (name, explain, story, options) => checks.push({ name, stretch: true, story, explain, early: options?.early, ms: options?.ms }),
      })
      return checks
    },
  }
}


async function report(error: unknown, world: World, mark: number, program: Program | undefined): Promise<FailureReport> {
  if (!(error instanceof CheckFailure)) {
    const message = error instanceof Error ? error.message : String(error)
    return { message: t`The grader itself failed: ${message}. This is a bug in netlings, not in your program.`, details: [] }
  }
  // A connection that broke is often the first sign of a crash; the exit itself may be a
  // moment behind, and a crash is what the learner needs to hear about first. Under load the
  // grader's timer can fire before it hears of an exit that has already happened (CI, Node 24:
  // "did not send a line … your server reset the connection" for a server that had crashed), so
  // the kernel is asked too.
  const used = world.connections.filter((c) => c.usedSince(mark))
  const broke = used.some((c) => c.broken || c.ended)
  if (broke && program?.running) await program.endedAfterAll(100)
  const exchange: string[] = []
  // The connections this check used, the one it used last at the bottom, where the eye lands.
  const active = used.sort((a, b) => a.lastUse - b.lastUse)
  for (const connection of active.slice(-3)) {
    exchange.push(t`The exchange with ${connection.name}:`, ...connection.transcript.render(active.length > 1 ? 8 : 14).map((l) => '  ' + l))
  }
  // UDP has no connections: the datagrams each peer of the check sent and received.
  const datagrams = world.datagramPeers.filter((peer) => peer.usedSince(mark) && peer.render(1, mark).length > 0).sort((a, b) => a.lastUse - b.lastUse)
  for (const peer of datagrams.slice(-3)) {
    exchange.push(t`The datagrams of ${peer.name}:`, ...peer.render(datagrams.length > 1 ? 8 : 16, mark).map((l) => '  ' + l))
  }
  const see = resolveSee(error.see, world.target.lesson)
  // The real cause first: a crash, a top-level await that never finished, a loop. What the
  // check expected is then only the context, and the check's lesson is not the point.
  const cause = await causeOf(program, error)
  if (cause && cause !== 'idle') {
    const errorEvents = cause.aboutErrorEvents ? resolveSee(errorEventSection(world.target.lesson), world.target.lesson) : undefined
    return {
      cause: cause.cause,
      message: cause.message,
      details: [...cause.details, t`What the check saw: ${capitalize(error.message)}`, ...exchange, ...error.details],
      why: cause.why,
      ...(errorEvents && { see: errorEvents }),
    }
  }
  let message = error.message
  const details: string[] = []
  // A node program's crash is known for sure (causeOf); another language's is guessed: it
  // ended, not with 0, while the check's connection broke. (A node program's exit code 1 is
  // its own, set on purpose, and the check's message says what that was about.)
  const crashed = program !== undefined && program.options.command !== undefined && !program.running && (program.exit?.code !== 0 || program.exit?.signal !== null)
  if (broke && crashed && !message.includes(program.describeExit())) {
    details.push(capitalize(message))
    message = t`${program.label} ${program.describeExit()} during this check.`
  }
  details.push(...exchange, ...error.details)
  if (cause === 'idle') details.push(idleNote(program!))
  return { message: capitalize(message), details, why: error.why, see }
}

/** Why the program did not do what the check waited for, when it is not the check's business:
 * it ended by a crash or an unfinished top-level await, or it is stuck in a loop; or 'idle'
 * when it is running and asleep while the check waited for it in vain. */
export async function causeOf(program: Program | undefined, error: CheckFailure): Promise<Diagnosis | 'idle' | undefined> {
  if (!program) return undefined
  // Ended, but its output may still be draining, and with it what the crash printed: its
  // status is known once that is read (a few hundred ms at most). CI, Node 24: a server that
  // had crashed was told "closed the connection without sending a byte" in that moment.
  if (!program.running) return (program.exit ?? (await program.waitForExit(limits.waitMs + 1000))) ? diagnoseEnding(program) : undefined
  const state = await diagnoseRunning(program)
  if (state === 'loop') return loopDiagnosis(program)
  // The same words in Chinese, for a message in Chinese (a missing newline is no such word).
  return state === 'idle' && (/\b(did not|nothing|never|no \w+ within)\b/i.test(error.message) || /没有(?!换行符)|什么都没|什么也没|从未|从没/.test(error.message)) ? 'idle' : undefined
}

/** The README section on 'error' events: the lesson's own, or lesson 1's. */
function errorEventSection(lesson: Lesson): string {
  return sectionsOfLesson(lesson).some((section) => section.anchor === 'the-error-event') ? 'the-error-event' : 'lesson-1#the-error-event'
}

function tailOf(program: Program): OutputTail {
  return {
    label: program.label,
    stdout: program.stdout.tail(10),
    stderr: stderrToShow(program),
    capped: program.stdout.capped || program.stderr.capped,
  }
}

export async function runStories(
  checks: ExerciseChecks,
  target: Target,
  seed: number,
  observer?: ExerciseObserver,
): Promise<{ checks: CheckResult[]; output?: OutputTail }> {
  // The host from no seed at all: drawn from the seed, it gave a program the seed (a search of
  // 0.44 s), and with it every byte of test data to come.
  const world = new World(target, createRandom(seed), loopbackHost(unseeded()))
  const results: CheckResult[] = []
  let output: OutputTail | undefined
  let stopped: string | undefined
  const specs = checks.build()
  const record = (result: CheckResult) => {
    results.push(result)
    if (result.status !== 'skip') observer?.checkEnded(result.status)
  }
  try {
    for (const [at, spec] of specs.entries()) {
      const base = { name: spec.name, title: tr(spec.name), stretch: spec.stretch }
      if (stopped) {
        record({ ...base, status: 'skip', durationMs: 0, skipped: stopped })
        continue
      }
      const started = Date.now()
      const mark = useMark()
      const before = world.bytesMoved()
      observer?.checkStarted({ ...base, index: at + 1, total: specs.length, bytes: () => world.bytesMoved() - before })
      try {
        const ms = spec.ms ?? limits.checkMs
        await within(explaining(spec.explain, () => spec.story(world.context())), ms, () => fail(t`The check did not finish within ${seconds(ms)}.`))
        record({ ...base, status: 'pass', durationMs: Date.now() - started })
        // Once the program has passed a check (not before: a broken one would be started for
        // nothing), the starts later checks declare begin, and boot while the checks run.
        if (at === 0 && target.exercise.kind === 'server') for (const later of specs) if (later.early) world.startEarly(later.early)
      } catch (error) {
        const culprit = world.culprit(mark)
        const failure = await report(error, world, mark, culprit)
        world.retireShared()
        record({ ...base, status: 'fail', durationMs: Date.now() - started, failure })
        if (!output && culprit) output = tailOf(culprit)
        // A stretch check fails alone; a required one ends the story.
        if (!spec.stretch) stopped = t('an earlier check failed')
      }
    }
  } finally {
    await world.dispose()
  }
  return { checks: results, output }
}
