// netlings peer <lesson> [exercise]: the other side of an exercise, started by hand, so a
// learner can try a program without the grader (like learnyounode's `run`): the lesson's demo
// server where the registry names one, otherwise the reference program it names as the
// exercise's peer. Runs until Ctrl-C.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Lesson } from '../../lessons/index.ts'
import { projectRoot } from '../engine/paths.ts'
import { commandName, langOption, lessonList, noMoreThan, parse, passSignals, pickExercise, pickLesson, type Command } from './kit.ts'
import { t } from '../text/lang.ts'

function usage(): string {
  const command = commandName('peer')
  return [
    t`Usage: ${command} <lesson> [exercise]`,
    '',
    t("Runs the other side of an exercise on the lesson's port: a reference server for a client\nexercise, a reference client for a server one, or the lesson's demo server. HOST and PORT\nchange where. Ctrl-C stops it."),
    '',
    t('Lessons:'),
    lessonList(),
    '',
    t('Options:'),
    langOption(12),
    '',
    t`Example: ${command} lesson-2`,
  ].join('\n')
}

type DemoModule = { startDemoServer: (port: number, host: string) => Promise<unknown> }

/** The registry's demo module, `checks/lessons/<id>/<name>.ts`, loaded the way grade.ts loads
 * checks (one pattern, so that the built grader holds it too). */
async function loadDemo(lesson: Lesson): Promise<DemoModule> {
  const match = /^checks\/lessons\/([\w-]+)\/([\w-]+)\.ts$/.exec(lesson.demo!)
  if (!match) throw new Error(`${lesson.id}'s demo must be a file checks/lessons/<lesson>/<name>.ts, not ${lesson.demo}`)
  return (await import(`../lessons/${match[1]}/${match[2]}.ts`)) as DemoModule
}

async function startDemo(lesson: Lesson, host: string, port: number): Promise<number> {
  const { startDemoServer } = await loadDemo(lesson)
  try {
    await startDemoServer(port, host)
  } catch (error) {
    const where = `${host}:${port}`
    const why = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? t`cannot start the demo peer on ${where}: the port is taken (is it already running?)` : t`cannot start the demo peer on ${where}: ${(error as Error).message}`
    process.stderr.write(`netlings: ${why}\n`)
    return 1
  }
  process.stdout.write(`${t`${lesson.id} demo peer on ${`${host}:${port}`}. Press Ctrl-C to stop.`}\n`)
  return new Promise<number>(() => {}) // serves until a signal ends the process
}

async function run(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {})
  noMoreThan(positionals, 2)
  const lesson = pickLesson(positionals[0])
  const host = process.env.HOST ?? '127.0.0.1'
  const port = Number(process.env.PORT ?? lesson.port)
  if (lesson.demo && !positionals[1]) return startDemo(lesson, host, port)

  // The other side of one exercise: the one named, or the lesson's first.
  const exercise = positionals[1] ? pickExercise(lesson, positionals[1]) : lesson.exercises[0]!
  if (!exercise.peer) {
    if (lesson.demo) return startDemo(lesson, host, port)
    process.stderr.write(`netlings: ${t`${lesson.id} ${exercise.id} has no peer to run.`}\n`)
    return 2
  }
  const where = `${host}:${port}`
  const yours = t`npx tsx ${exercise.file} (in lessons/${lesson.slug})`
  process.stdout.write(
    exercise.kind === 'client'
      ? `${t`Reference server for ${lesson.id} ${exercise.id} on ${where}. Now run your client: ${yours}. Ctrl-C stops it.`}\n`
      : `${t`Reference client for ${lesson.id} ${exercise.id}, connecting to ${where}: start your server first, with ${yours}.`}\n`,
  )
  // From the lesson's folder, as a learner runs programs by hand (IMAGE=beauty.png is found there).
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, exercise.peer)], {
    cwd: join(projectRoot, 'lessons', lesson.slug),
    env: { ...process.env, HOST: host, PORT: String(port) },
    stdio: 'inherit',
  })
  passSignals(new Set([child]))
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))))
}

export const command: Command = { name: 'peer', summary: t('the other side of an exercise, to try yours by hand'), usage, run }
