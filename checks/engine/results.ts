// The one result model: the runner fills it, every reporter reads it, nobody re-runs anything.

export type CheckStatus = 'pass' | 'fail' | 'skip'

export interface SeeAlso {
  /** The README, relative to the project root. */
  file: string
  anchor: string
  /** The heading's text, as the learner sees it in the README. */
  section: string
}

export interface FailureReport {
  /** One sentence in the learner's terms. */
  message: string
  /** Set when the program itself gave out, whatever the check expected of it: it crashed, its
   * top-level await never finished, or it is stuck in a loop. The check's own hint and lesson
   * do not apply then. */
  cause?: 'crash' | 'unsettled-await' | 'loop'
  /** Lines that show the evidence: the exchange, expected vs received, a caret. */
  details: string[]
  why?: string
  see?: SeeAlso
}

export interface CheckResult {
  /** As the check declares it, in English: a stable id for machines (JSON, JUnit, a merge). */
  name: string
  /** The name in the language of the run, for people. Absent from results older than it. */
  title?: string
  stretch: boolean
  status: CheckStatus
  durationMs: number
  failure?: FailureReport
  /** Why a check did not run. */
  skipped?: string
}

export interface OutputTail {
  /** Which program printed it: "your server". */
  label: string
  stdout: string[]
  stderr: string[]
  capped: boolean
}

export interface ExerciseResult {
  /** The submission folder it came from, when grading --dir submissions. */
  submission?: string
  lesson: string
  exercise: string
  number: string
  title: string
  /** The graded file, as given (relative to the working directory when inside it). */
  file: string
  /** A problem that kept the checks from running at all: a missing file, a file that does not
   * compile. One line. */
  error?: string
  /** What the problem is and where: the compiler's errors, each with its place and the source
   * line with a caret under the spot. */
  errorDetails?: string[]
  checks: CheckResult[]
  /** Every required (non-stretch) check passed. */
  passed: boolean
  seed: number
  durationMs: number
  /** Output of the learner's program around the first failure. */
  output?: OutputTail
  /** The hint for the first failing required check (state/hints.ts picks it). */
  hint?: ShownHint
  /** What TypeScript says of the learner's own file: a note beside the verdict, never part of
   * it. Absent when it found no error, or did not look (--solution, a class, another
   * language), or had not finished in time. */
  typeErrors?: TypeErrors
}

export interface ShownHint {
  /** 1-based, as `npm run hint` counts: hint 2 of 3. */
  number: number
  total: number
  text: string
}

export interface TypeErrors {
  count: number
  /** The first few, 3 at most. */
  first: {
    /** `lessons/lesson-1-server-basics/server.ts:12:5`: the graded file, line, column. */
    at: string
    /** TypeScript's error number: 2769 for TS2769. */
    code: number
    /** TypeScript's message, on one line. */
    message: string
  }[]
}

export interface RunResult {
  passed: boolean
  seed: number
  exercises: ExerciseResult[]
}
