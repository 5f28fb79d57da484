// npm run peer <lesson> [exercise]: the other side of an exercise, started by hand, so a
// learner can try a program without the grader (like learnyounode's `run`): the lesson's demo
// server where checks/lessons/<id>-demo.ts exports startDemoServer(port, host), otherwise the
// reference program the lesson list names as the exercise's peer.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { findExercise, findLesson, lessons } from '../../lessons/index.ts'
import { projectRoot } from '../engine/paths.ts'

const query = process.argv[2]
const lesson = query ? findLesson(query) : undefined
if (!lesson) {
  process.stderr.write(`${query ? `netlings: there is no lesson "${query}".\n\n` : ''}Usage: npm run peer <lesson>\nLessons: ${lessons.map((l) => l.id).join(', ')}\n`)
  process.exit(2)
}

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? lesson.port)

const demo = join(projectRoot, 'checks', 'lessons', `${lesson.id}-demo.ts`)
if (existsSync(demo)) {
  const { startDemoServer } = (await import(demo)) as { startDemoServer: (port: number, host: string) => Promise<unknown> }
  try {
    await startDemoServer(port, host)
    process.stdout.write(`${lesson.id} demo peer on ${host}:${port}. Press Ctrl-C to stop.\n`)
  } catch (error) {
    process.stderr.write(`netlings: cannot start the demo peer on ${host}:${port}: ${(error as Error).message}\n`)
    process.exit(1)
  }
} else {
  // The other side of one exercise: the one named, or the lesson's first.
  const exercise = process.argv[3] ? findExercise(lesson, process.argv[3]) : lesson.exercises[0]
  if (!exercise?.peer) {
    process.stderr.write(`netlings: ${lesson.id} has no exercise "${process.argv[3]}". Its exercises: ${lesson.exercises.map((e) => e.id).join(', ')}.\n`)
    process.exit(2)
  }
  const where = `${host}:${port}`
  const yours = `npx tsx ${exercise.file} (in lessons/${lesson.slug})`
  process.stdout.write(
    exercise.kind === 'client'
      ? `Reference server for ${lesson.id} ${exercise.id} on ${where}. Now run your client: ${yours}. Ctrl-C stops it.\n`
      : `Reference client for ${lesson.id} ${exercise.id}, connecting to ${where}: start your server first, with ${yours}.\n`,
  )
  // From the lesson's folder, as a learner runs programs by hand (IMAGE=beauty.png is found there).
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, exercise.peer)], {
    cwd: join(projectRoot, 'lessons', lesson.slug),
    env: { ...process.env, HOST: host, PORT: String(port) },
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
