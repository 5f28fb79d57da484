// npm run peer <lesson>: start a lesson's demo peer by hand, so a learner can run a program
// without the grader (like learnyounode's `run`). A lesson has one when
// checks/lessons/<id>-demo.ts exports startDemoServer(port, host).

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { findLesson, lessons } from '../lessons/index.ts'
import { projectRoot } from './paths.ts'

const query = process.argv[2]
const lesson = query ? findLesson(query) : undefined
if (!lesson) {
  process.stderr.write(`${query ? `netlings: there is no lesson "${query}".\n\n` : ''}Usage: npm run peer <lesson>\nLessons: ${lessons.map((l) => l.id).join(', ')}\n`)
  process.exit(2)
}

const demo = join(projectRoot, 'checks', 'lessons', `${lesson.id}-demo.ts`)
if (!existsSync(demo)) {
  const solutions = lesson.exercises.map((e) => `  npx tsx solutions/${lesson.slug}/${e.file}`).join('\n')
  process.stdout.write(`${lesson.id} has no demo peer. To play against a reference program, run one from the project root:\n${solutions}\n`)
  process.exit(0)
}

const { startDemoServer } = (await import(demo)) as { startDemoServer: (port: number, host: string) => Promise<unknown> }
const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? lesson.port)
try {
  await startDemoServer(port, host)
  process.stdout.write(`${lesson.id} demo peer on ${host}:${port}. Press Ctrl-C to stop.\n`)
} catch (error) {
  process.stderr.write(`netlings: cannot start the demo peer on ${host}:${port}: ${(error as Error).message}\n`)
  process.exit(1)
}
