// netlings watch <lesson> [exercise]
// Like `rustlings watch`: grades the exercise you are working on, then again every time you save
// its file, and moves on to the next exercise once it passes. Progress is recorded as with
// `npm run check`. q (or Ctrl-C) quits, leaving no learner program running.
// Exit codes: 0 everything passes (or q), 2 usage error, 3 the grader itself broke;
// 130/143/129 when stopped by SIGINT/SIGTERM/SIGHUP.

import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Exercise, Lesson } from '../../lessons/index.ts'
import { gradeExercise, type Selection } from '../engine/grade.ts'
import { shownPath } from '../engine/paths.ts'
import { allExercises, commandName, firstUnpassed, keyOf, langOption, lessonList, noMoreThan, parse, pickExercise, pickLesson, reapOnSignals, type Command } from './kit.ts'
import { t, tr } from '../text/lang.ts'
import { colors, wantsColor } from '../text/style.ts'
import { readProgress, recordProgress } from '../state/progress.ts'
import { newSeed } from '../engine/random.ts'
import { eraseLive, liveOnTerminal } from '../report/live.ts'
import { renderExercise, typeNote } from '../report/text.ts'
import { noteOf, typeCheck } from '../run/typecheck.ts'
import { readHintState } from '../state/hints.ts'
import { lessonsDir } from './reset.ts'
import { stopAll } from '../run/program.ts'


/** Saves come in bursts (write, truncate, rename): grade once they settle. */
const DEBOUNCE_MS = 100

function usage(): string {
  const command = commandName('watch')
  return [
    t`Usage: ${command} <lesson> [exercise]`,
    '',
    t('Grades an exercise, then again every time you save its file; once it passes, moves on\nto the next one. Without an exercise: the first of the lesson you have not passed yet.'),
    t('Press q (or Ctrl-C) to quit.'),
    '',
    t('Lessons:'),
    lessonList(),
    '',
    t('Options:'),
    langOption(12),
    '',
    t`Example: ${command} lesson-3`,
  ].join('\n')
}

export function plan(argv: string[], progressFile?: string): Selection {
  const { positionals } = parse(argv, {})
  noMoreThan(positionals, 2)
  const [lessonQuery, exerciseQuery] = positionals
  const lesson = pickLesson(lessonQuery)
  const exercise = exerciseQuery ? pickExercise(lesson, exerciseQuery) : firstUnpassed(lesson, readProgress(progressFile))
  return { lesson, exercise }
}

const everything: Selection[] = allExercises()
const key = (s: Selection) => keyOf(s.lesson, s.exercise)

/** After `current` passes: the next exercise in course order not passed yet (wrapping round to
 * earlier ones skipped), or undefined when every exercise passes. */
export function nextSelection(current: Selection, passed: (s: Selection) => boolean): Selection | undefined {
  const at = everything.findIndex((s) => key(s) === key(current))
  const order = [...everything.slice(at + 1), ...everything.slice(0, Math.max(at, 0))]
  return order.find((s) => !passed(s))
}

const fileOf = (lesson: Lesson, exercise: Exercise) => join(lessonsDir, lesson.slug, exercise.file)
const describe = (s: Selection) => `${s.lesson.id} ${s.exercise.id} (${s.exercise.number} ${tr(s.exercise.title)})`

class Watcher {
  private current: Selection
  private watcher?: FSWatcher
  private watchedDir?: string
  private debounce?: NodeJS.Timeout
  private grading = false
  private again = false
  private stopping = false
  /** Said once, at the top of the next grading's screen: why the exercise changed. */
  private notice: string[] = []
  /** Gradings started so far: a late type-check note belongs to the last one only. */
  private gradings = 0
  private readonly tty = process.stdout.isTTY === true
  private readonly color = wantsColor(process.stdout)
  private readonly rawInput = process.stdin.isTTY === true

  constructor(start: Selection) {
    this.current = start
  }

  start(): void {
    process.on('exit', () => this.restoreTerminal())
    reapOnSignals((signal, code) => void this.quit(code, t`stopping (${signal}); cleaning up.`))
    if (this.rawInput) {
      process.stdin.setRawMode(true)
      process.stdin.setEncoding('utf8')
      process.stdin.on('data', (key: string) => {
        if (key === 'q' || key === 'Q') void this.quit(0)
        else if (key === '\x03') void this.quit(130, t`stopping (${'Ctrl-C'}); cleaning up.`)
      })
      process.stdin.resume()
    }
    // Without a terminal, stdin is left alone: its end is not a quit (only signals are).
    this.follow()
    void this.run()
  }

  private get file(): string {
    return fileOf(this.current.lesson, this.current.exercise)
  }

  /** Points the folder watcher at the current exercise's folder. */
  private follow(): void {
    const dir = dirname(this.file)
    if (this.watcher && this.watchedDir === dir) return
    this.watcher?.close()
    this.watchedDir = dir
    this.watcher = watch(dir, (_event, name) => {
      if (name !== null && name !== basename(this.file)) return
      this.schedule()
    })
    this.watcher.on('error', (error) => {
      process.stderr.write(`netlings: ${t`cannot watch ${shownPath(dir)}: ${error.message}`}\n`)
    })
  }

  private schedule(): void {
    if (this.stopping) return
    clearTimeout(this.debounce)
    this.debounce = setTimeout(() => void this.run(), DEBOUNCE_MS)
  }

  private write(text: string): void {
    if (!this.stopping) process.stdout.write(text)
  }

  private clear(): void {
    // Only a terminal understands the escape codes; a pipe gets plain lines.
    if (this.tty) this.write('\x1b[2J\x1b[3J\x1b[H')
  }

  private footer(): string {
    const quit = this.rawInput ? t('Press q to quit.') : t('Ctrl-C quits.')
    return `${t`Watching ${shownPath(this.file)}: save it to check again. ${quit}`}\n`
  }

  /** Grades the current exercise; a save during a grading queues exactly one more. */
  private async run(): Promise<void> {
    if (this.stopping) return
    if (this.grading) {
      this.again = true
      return
    }
    this.grading = true
    try {
      do {
        this.again = false
        await this.gradeOnce()
      } while (this.again && !this.stopping)
    } finally {
      this.grading = false
    }
  }

  private async gradeOnce(): Promise<void> {
    const selection = this.current
    const file = this.file
    // On a terminal the notice is written once, above "Grading…", and stays there: the cursor is
    // saved below it (ESC 7), and the report replaces only what follows (ESC 8, then erase).
    // Clearing the whole screen again would mean writing the notice a second time.
    const notice = this.notice
    this.notice = []
    if (this.tty) {
      this.clear()
      this.write([...notice, ''].join('\n') + `\x1b7${t`Grading ${shownPath(file)}…`}\n`)
    }
    let result
    const live = this.tty ? liveOnTerminal(1, this.color) : undefined
    const grading = ++this.gradings
    // TypeScript looks at the file once it is graded; its note follows the report when it comes.
    const types = /\.m?ts$/.test(file) ? typeCheck([file]) : undefined
    const hintsSeen = readHintState()[key(selection)] ?? 0
    try {
      result = await gradeExercise(selection, file, newSeed(), { observer: live, hintsSeen })
    } catch (error) {
      live?.stop()
      if (this.stopping) return
      const message = error instanceof Error ? error.message : String(error)
      this.write(`netlings: ${t`the grader itself failed: ${message}`}\n${t('This is a bug in netlings, not in your program.')}\n`)
      if (process.env.NETLINGS_DEBUG) console.error(error)
      this.write(this.footer())
      return
    } finally {
      live?.stop()
    }
    if (this.stopping) return
    recordProgress([result])
    const rerun = `${commandName('check')} ${selection.lesson.id} ${selection.exercise.id}`
    if (this.tty && notice.length > 0) this.write('\x1b8\x1b[J')
    else this.clear()
    const lines = [...renderExercise(result, { color: this.color, rerun }), '']
    this.write(lines.join('\n') + '\n')
    if (!result.passed) {
      this.write(this.footer())
      void types?.check(true).then((found) => {
        // Only under the report it belongs to: not once the file is graded again.
        const note = noteOf(found.get(file), shownPath(file))
        if (note && grading === this.gradings && !this.stopping) this.write([...typeNote(note, colors(this.color)), '', ''].join('\n'))
      })
      return
    }
    const progress = readProgress()
    const next = nextSelection(selection, (s) => progress[key(s)]?.status === 'pass')
    if (!next) {
      this.write(`🎉 ${t('Every exercise of every lesson passes. Well done!')}\n`)
      await this.quit(0)
      return
    }
    const sameLesson = next.lesson.id === selection.lesson.id
    const [passed, nextOne, where] = [`${selection.lesson.id} ${selection.exercise.id}`, describe(next), shownPath(fileOf(next.lesson, next.exercise))]
    const message = `✓ ${sameLesson ? t`${passed} passes. Moving on to the next exercise: ${nextOne}, ${where}` : t`${passed} passes. Moving on to the next lesson: ${nextOne}, ${where}`}`
    // A terminal is cleared for the next grading, so the message goes at its top; a pipe keeps it.
    if (this.tty) this.notice = [message, '']
    else this.write(message + '\n\n')
    this.current = next
    this.follow()
    this.again = true // grade the new exercise straight away
  }

  private restoreTerminal(): void {
    if (this.rawInput && process.stdin.isTTY) {
      try {
        process.stdin.setRawMode(false)
      } catch {
        // The terminal is already gone.
      }
    }
  }

  async quit(code: number, why?: string): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    clearTimeout(this.debounce)
    this.watcher?.close()
    this.restoreTerminal()
    eraseLive()
    process.stdin.pause()
    if (why) process.stderr.write(`\nnetlings: ${why}\n`)
    // Should a learner program refuse to die quickly, the exit handler kills it outright.
    const hurry = setTimeout(() => process.exit(code), 3000)
    hurry.unref()
    try {
      await stopAll()
    } finally {
      process.exit(code)
    }
  }
}

export const command: Command = {
  name: 'watch',
  summary: t('re-grade your exercise every time you save it, and move on when it passes'),
  usage,
  run: async (argv) => {
    new Watcher(plan(argv)).start()
    return new Promise<number>(() => {}) // the watcher ends the process itself (q, Ctrl-C, all passed)
  },
}
