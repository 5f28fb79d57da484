// netlings check <lesson> [exercise] [--solution | --dir PATH] [--json] [--seed N]
// argv → pick exercises → grade → report → exit code: 0 all passed, 1 not yet, 2 usage error,
// 3 the grader itself broke.

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { findExercise, findLesson, lessons } from '../../lessons/index.ts'
import { grade, type Selection, type Source } from '../engine/grade.ts'
import { recordProgress } from '../state/progress.ts'
import { newSeed } from '../engine/random.ts'
import { renderClass } from '../report/class.ts'
import { renderExercism } from '../report/exercism.ts'
import { renderJson } from '../report/json.ts'
import { renderJunit } from '../report/junit.ts'
import { eraseLive, liveOnTerminal } from '../report/live.ts'
import { renderTap } from '../report/tap.ts'
import { renderText } from '../report/text.ts'
import { killAllNow, stopAll } from '../run/program.ts'

class UsageError extends Error {}

const viaNpm = process.env.npm_lifecycle_event !== undefined
const command = viaNpm ? 'npm run check --' : 'npx netlings check'

function usage(): string {
  const list = lessons.map((lesson) => {
    const exercises = lesson.exercises.map((e) => e.id).join(', ')
    return `  ${lesson.id.padEnd(10)} ${lesson.title.padEnd(16)} exercises: ${exercises}`
  })
  return [
    `Usage: ${command} <lesson> [exercise] [options]`,
    '',
    'Lessons:',
    ...list,
    '  all        every lesson',
    '',
    'A lesson can be named lesson-1, 1 or server-basics.',
    '',
    'Options:',
    '  --solution     grade the reference solutions instead of your files',
    '  --dir PATH     grade a submission laid out like lessons/ (lesson folders, or just the files);',
    '                 several (--dir submissions/*) grade a class, with a summary table',
    '  --reporter R   text (default), json, junit, tap or exercism (Exercism results.json v3)',
    '  --json         the same as --reporter json: JSON, and nothing else, on stdout',
    '  --seed N       replay the random test data of an earlier run',
    '  --cmd "C {file}"  run each file with this command (any language); .py files run with',
    '                 python3 by default',
    '  --isolate      grade in a network namespace of its own, with only loopback (Linux:',
    '                 unshare), so a submission can reach the grader\'s peers and nothing else',
    '',
    `Example: ${command} lesson-1`,
  ].join('\n')
}

const REPORTERS = ['text', 'json', 'junit', 'tap', 'exercism'] as const
type Reporter = (typeof REPORTERS)[number]

interface Plan {
  command?: string
  selections: Selection[]
  sources: Source[]
  reporter: Reporter
  seed: number
  rerun: string
}

function plan(argv: string[]): Plan {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        solution: { type: 'boolean' },
        dir: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        reporter: { type: 'string' },
        cmd: { type: 'string' },
        isolate: { type: 'boolean' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
  const { values, positionals } = parsed
  if (positionals[0] === 'check') positionals.shift()
  if (values.help) throw new UsageError('')
  // `--dir submissions/*` reaches us as --dir a, then b and c as plain arguments.
  const dirs = [...(values.dir ?? [])]
  if (dirs.length > 0) {
    for (let i = positionals.length - 1; i >= 1; i--) {
      if (existsSync(positionals[i]!) && statSync(positionals[i]!).isDirectory()) dirs.push(...positionals.splice(i, 1))
    }
  }
  const [lessonQuery, exerciseQuery, ...extra] = positionals
  if (!lessonQuery) throw new UsageError('Which lesson? Name one.')
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`)

  let selections: Selection[]
  if (lessonQuery === 'all') {
    if (exerciseQuery) throw new UsageError('"all" grades every exercise; name a lesson to pick one exercise.')
    selections = lessons.flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise })))
  } else {
    const lesson = findLesson(lessonQuery)
    if (!lesson) throw new UsageError(`There is no lesson "${lessonQuery}".`)
    if (exerciseQuery) {
      const exercise = findExercise(lesson, exerciseQuery)
      if (!exercise) {
        throw new UsageError(`${lesson.id} has no exercise "${exerciseQuery}". Its exercises: ${lesson.exercises.map((e) => e.id).join(', ')}.`)
      }
      selections = [{ lesson, exercise }]
    } else {
      selections = lesson.exercises.map((exercise) => ({ lesson, exercise }))
    }
  }

  if (values.solution && dirs.length > 0) throw new UsageError('Use --solution or --dir, not both.')
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--dir ${dir}: no such folder.`)
  }
  const sources: Source[] = dirs.length > 0 ? dirs.sort().map((dir) => ({ kind: 'dir', dir })) : [{ kind: values.solution ? 'solutions' : 'lessons' }]

  const reporter = (values.json ? 'json' : (values.reporter ?? 'text')) as Reporter
  if (!REPORTERS.includes(reporter)) throw new UsageError(`--reporter takes ${REPORTERS.join(', ')}, not "${values.reporter}".`)

  let seed = newSeed()
  if (values.seed !== undefined) {
    if (!/^\d{1,9}$/.test(values.seed)) throw new UsageError(`--seed takes a whole number, not "${values.seed}".`)
    seed = Number(values.seed)
  }

  const words = [lessonQuery, exerciseQuery, values.solution ? '--solution' : '', dirs.length === 1 ? `--dir ${dirs[0]}` : '']
  if (values.cmd !== undefined && !values.cmd.includes('{file}')) throw new UsageError(`--cmd needs {file} where the file goes, as in --cmd "python3 {file}".`)
  return { selections, sources, reporter, seed, command: values.cmd, rerun: [command, ...words.filter(Boolean)].join(' ') }
}

/** Ctrl-C, a closed terminal or a CI timeout must not leave a learner's server running. */
function reapOnSignals(): void {
  process.on('exit', killAllNow)
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      eraseLive()
      process.stderr.write(`\nnetlings: stopping (${signal}); cleaning up.\n`)
      void stopAll().finally(() => process.exit(code))
    })
  }
}

/**
 * --isolate: run this same command again inside a new network namespace that has only a
 * loopback interface, brought up first. The grader, its peers and every program then share
 * that namespace: a submission can talk to the peers, and to nothing else.
 */
async function isolated(argv: string[]): Promise<number> {
  const inner = argv.filter((arg) => arg !== '--isolate')
  const unshare = ['--net', ...(process.getuid?.() === 0 ? [] : ['--map-root-user'])]
  const script = 'ip link set lo up && exec "$0" "$@"'
  const child = spawn('unshare', [...unshare, 'sh', '-c', script, process.execPath, ...process.execArgv, process.argv[1]!, ...inner], {
    stdio: 'inherit',
    env: { ...process.env, NETLINGS_ISOLATED: '1' },
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code === null) return 3
  // unshare says why it could not on stderr; sh or ip exit 1 or 127 before our CLI ran.
  return code
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  if (argv.includes('--isolate') && !process.env.NETLINGS_ISOLATED) {
    if (process.platform !== 'linux') {
      process.stderr.write('netlings: --isolate needs Linux network namespaces (unshare); grade without it here.\n')
      return 2
    }
    return isolated(argv)
  }
  // `npm run check` with nothing more, in a terminal: the menu, as `npm start` (rustlings'
  // list). Without a terminal, the usage below lists the lessons instead of asking.
  if (argv.filter((arg) => arg !== 'check').length === 0 && process.stdin.isTTY && process.stdout.isTTY) {
    const { runMenu } = await import('./menu.ts')
    return runMenu({ print: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`), interactive: true, color: !process.env.NO_COLOR })
  }
  let chosen: Plan
  try {
    chosen = plan(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${error.message ? `netlings: ${error.message}\n\n` : ''}${usage()}\n`)
    return 2
  }
  const color = chosen.reporter === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR
  // Only the text report shares the terminal with a live display; the others are for machines.
  const jobs = chosen.selections.length * chosen.sources.length
  const live = chosen.reporter === 'text' ? liveOnTerminal(jobs, !process.env.NO_COLOR) : undefined
  reapOnSignals()
  let result
  try {
    result = await grade(chosen.selections, chosen.sources, chosen.seed, { command: chosen.command, observer: live })
  } finally {
    live?.stop()
  }
  if (chosen.sources[0]!.kind === 'lessons') recordProgress(result.exercises)
  const render: Record<Reporter, () => string> = {
    text: () => (chosen.sources.length > 1 ? renderClass(result, { color }) : renderText(result, { color, rerun: chosen.rerun })),
    json: () => renderJson(result),
    junit: () => renderJunit(result),
    tap: () => renderTap(result),
    exercism: () => renderExercism(result),
  }
  process.stdout.write(render[chosen.reporter]())
  return result.passed ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
    // Everything was disposed; should a stray handle remain, it must not hold the terminal.
    setTimeout(() => process.exit(), 2000).unref()
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`netlings: the grader itself failed: ${message}\nThis is a bug in netlings, not in your program.\n`)
    if (process.env.NETLINGS_DEBUG) console.error(error)
    process.exitCode = 3
  },
)
