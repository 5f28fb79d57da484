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
  /** Lines that show the evidence: the exchange, expected vs received, a caret. */
  details: string[]
  why?: string
  see?: SeeAlso
}

export interface CheckResult {
  name: string
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
  /** A problem that kept the checks from running at all, such as a missing file. */
  error?: string
  checks: CheckResult[]
  /** Every required (non-stretch) check passed. */
  passed: boolean
  seed: number
  durationMs: number
  /** Output of the learner's program around the first failure. */
  output?: OutputTail
  hint?: string
}

export interface RunResult {
  passed: boolean
  seed: number
  exercises: ExerciseResult[]
}
