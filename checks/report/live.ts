// While grading runs, on a terminal: a spinner line for each exercise being graded, with the
// check it is on, the checks done so far, and the bytes moved when a check moves many (lesson
// 4's 50 MiB). Drawn in place below the cursor and erased before the report is printed, so
// the report reads the same with or without it. Pipes, --json and the other reporters never
// see it: the caller only creates one for a terminal.

import { displayWidth, graphemes, terminalSafe } from '../text/bytes.ts'
import { colors, type Colors } from '../text/style.ts'
import { mebibytes } from '../text/words.ts'
import { t } from '../text/lang.ts'
import type { ExerciseJob, ExerciseObserver, GradingObserver, RunningCheck } from '../engine/observe.ts'
import type { CheckStatus } from '../engine/results.ts'

/** The part of a terminal stream the display needs (a fake one in tests). */
export interface LiveStream {
  write(text: string): unknown
  columns?: number
}

export interface LiveOptions {
  color: boolean
  /** How many exercises this run grades: "3 of 10 graded" below the spinners. */
  total: number
  frameMs?: number
  now?: () => number
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
/** Bytes are shown once a check has moved this many: below it they flash by unread. */
const SHOW_BYTES_FROM = 1024 * 1024
/** A check's time is shown once it has run this long: long enough to wonder. */
const SHOW_TIME_FROM_MS = 2000

const ESC = '\x1b['

interface Active {
  job: ExerciseJob
  marks: CheckStatus[]
  check?: RunningCheck
  checkSince: number
}

type Style = 'cyan' | 'bold' | 'dim' | 'green' | 'red' | 'yellow'
type Segment = [text: string, style?: Style]

/** Displays on screen now, so that a signal handler can erase them before it writes. */
const showing = new Set<LiveStatus>()

/** Erases every live display: call before writing to the terminal from a signal handler. */
export function eraseLive(): void {
  for (const live of showing) live.stop()
}

export class LiveStatus implements GradingObserver {
  private readonly active = new Set<Active>()
  private done = 0
  private notPassing = 0
  private drawn = 0
  private frame = 0
  private timer?: NodeJS.Timeout
  private stopped = false
  private readonly now: () => number
  private readonly restoreOnExit = () => this.stop()
  private readonly colors: Colors

  constructor(
    private readonly stream: LiveStream,
    private readonly options: LiveOptions,
  ) {
    this.now = options.now ?? Date.now
    this.colors = colors(options.color)
  }

  exerciseStarted(job: ExerciseJob): ExerciseObserver {
    const entry: Active = { job, marks: [], checkSince: this.now() }
    this.active.add(entry)
    this.begin()
    return {
      checkStarted: (check) => {
        entry.check = check
        entry.checkSince = this.now()
      },
      checkEnded: (status) => {
        entry.marks.push(status)
      },
      finished: (passed) => {
        this.active.delete(entry)
        this.done++
        if (!passed) this.notPassing++
      },
    }
  }

  /** Erases the display and gives the cursor back. Safe to call more than once. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    showing.delete(this)
    clearInterval(this.timer)
    process.off('exit', this.restoreOnExit)
    if (this.drawn > 0) this.stream.write(`${this.moveToTop()}${ESC}J${ESC}?25h`)
  }

  /** The first exercise starts the clock; a grading that ends within a frame never draws. */
  private begin(): void {
    if (this.timer || this.stopped) return
    this.timer = setInterval(() => this.draw(), this.options.frameMs ?? 100)
    // A display must never keep the grader alive; and Ctrl-C must not leave the cursor hidden.
    this.timer.unref()
    process.on('exit', this.restoreOnExit)
    showing.add(this)
  }

  /** The lines of the current frame, without escape codes when color is off. */
  lines(): string[] {
    const width = Math.max(20, (this.stream.columns || 80) - 1)
    const spinner = SPINNER[this.frame % SPINNER.length]!
    const rows: Segment[][] = []
    for (const entry of this.active) rows.push([[spinner, 'cyan'], [' '], ...this.describe(entry)])
    if (this.options.total > 1) {
      const tail = this.notPassing > 0 ? t` · ${this.notPassing} not passing yet` : ''
      rows.push([[`  ${t`${this.done} of ${this.options.total} exercises graded`}${tail}`, 'dim']])
    }
    return rows.map((row) => this.paint(fit(row, width)))
  }

  private describe({ job, marks, check, checkSince }: Active): Segment[] {
    const who = job.submission ? `${terminalSafe(basename(job.submission))} · ` : ''
    const segments: Segment[] = [[`${who}${job.lesson} ${job.exercise}`, 'bold']]
    if (marks.length > 0) {
      segments.push([' '])
      for (const mark of marks) segments.push(mark === 'pass' ? ['✓', 'green'] : ['✗', 'red'])
    }
    if (!check) return [...segments, [`  ${t('starting…')}`, 'dim']]
    segments.push([`  ${check.index}/${check.total}`, 'dim'])
    // What changes goes before the check's name: a narrow terminal cuts the name, not the news.
    const bytes = check.bytes()
    if (bytes >= SHOW_BYTES_FROM) segments.push([`  ${mebibytes(bytes)}`, 'yellow'])
    const ms = this.now() - checkSince
    if (ms >= SHOW_TIME_FROM_MS) segments.push([`  ${Math.floor(ms / 1000)} s`, 'dim'])
    segments.push([`  ${check.stretch ? '⭐ ' : ''}${check.title}`])
    return segments
  }

  private paint(row: Segment[]): string {
    return row.map(([text, style]) => (style ? this.colors[style](text) : text)).join('')
  }

  private moveToTop(): string {
    return this.drawn > 0 ? `${ESC}${this.drawn}A\r` : '\r'
  }

  private draw(): void {
    if (this.stopped) return
    this.frame++
    const lines = this.lines()
    // Each line is cleared and rewritten in place; whatever an earlier, longer frame left
    // below is cleared too. Lines never wrap (fit), so the cursor arithmetic holds.
    let out = (this.drawn === 0 ? `${ESC}?25l` : '') + this.moveToTop()
    for (const line of lines) out += `${ESC}2K${line}\n`
    out += `${ESC}J`
    this.drawn = lines.length
    this.stream.write(out)
  }
}

function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').at(-1) ?? path
}

/** Cuts a row to `width` terminal columns, ending it with … when it had to cut. */
export function fit(row: Segment[], width: number): Segment[] {
  const total = row.reduce((sum, [text]) => sum + displayWidth(text), 0)
  if (total <= width) return row
  const out: Segment[] = []
  let left = width - 1
  for (const [text, code] of row) {
    let kept = ''
    for (const char of graphemes(text)) {
      const w = displayWidth(char)
      if (w > left) break
      kept += char
      left -= w
    }
    if (kept) out.push([kept, code])
    if (kept.length < text.length) break
  }
  out.push(['…'])
  return out
}

/** A live display for this process's terminal, or nothing where it would only get in the way:
 * not a terminal (a pipe, a file, CI logs), or a terminal that cannot move its cursor. */
export function liveOnTerminal(total: number, color: boolean): LiveStatus | undefined {
  const stream = process.stderr
  if (!stream.isTTY || process.env.TERM === 'dumb' || process.env.NETLINGS_NO_LIVE) return undefined
  return new LiveStatus(stream, { total, color })
}
