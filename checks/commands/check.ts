// netlings check <lesson> [exercise] [--solution | --dir PATH] [--json] [--seed N]
// argv → pick exercises → grade → report → exit code: 0 all passed, 1 not yet (2 and 3 as
// every command: kit.ts).

import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { RunResult } from '../engine/results.ts'
import { commandFor, grade, gradingsAtOnce, locate, type Selection, type Source } from '../engine/grade.ts'
import { recordProgress } from '../state/progress.ts'
import { MAX_SEED, newSeed } from '../engine/random.ts'
import { parseShard, shardOf } from '../engine/shard.ts'
import { liveOnTerminal } from '../report/live.ts'
import { render, REPORTERS, verdict, type Reporter } from '../report/reporters.ts'
import { wantsColor } from '../text/style.ts'
import { allExercises, commandName, langOption, lessonList, noMoreThan, parse, passSignals, pickExercise, pickLesson, reapOnSignals, stopping, UsageError, type Command } from './kit.ts'
import { t } from '../text/lang.ts'

function usage(): string {
  const command = commandName('check')
  return [
    t`Usage: ${command} <lesson> [exercise] [options]`,
    '',
    t('Lessons:'),
    lessonList(),
    `  all        ${t('every lesson')}`,
    '',
    t('A lesson can be named lesson-1, 1 or server-basics.'),
    '',
    t('Options:'),
    `  --solution     ${t('grade the reference solutions instead of your files')}`,
    `  --dir PATH     ${t('grade a submission laid out like lessons/ (lesson folders, or just the files);\n                 several (--dir submissions/*) grade a class, with a summary table')}`,
    `  --shard i/n    ${t`grade the i-th of n parts of those submissions (one CI job each); the same
                 folders always make the same parts, and \`${commandName('merge')}\` joins their JSON`}`,
    `  --reporter R   ${t('text (default), json, junit, tap, exercism (Exercism results.json v3),\n                 csv (a row per student, points per exercise) or html (a class page)')}`,
    `  --json         ${t('the same as --reporter json: JSON, and nothing else, on stdout')}`,
    `  --seed N       ${t`replay the random test data of an earlier run (the seed its report printed,
                 a whole number up to ${MAX_SEED})`}`,
    `  --strict       ${t('stretch checks count too: exit 1 unless every check passed')}`,
    `  --cmd "C {file}"  ${t('run each file with this command (any language); .py files run with\n                 python3 by default')}`,
    `  --isolate      ${t('for untrusted code (Linux, bubblewrap): each program runs in a sandbox of its\n                 own, and each submission in a network namespace of its own with only loopback')}`,
    langOption(17),
    '',
    t`Example: ${command} lesson-1`,
  ].join('\n')
}

interface Plan {
  command?: string
  selections: Selection[]
  sources: Source[]
  reporter: Reporter
  seed: number
  rerun: string
  strict: boolean
  /** --shard: part of a class, reported as one even when the part holds a single submission. */
  sharded: boolean
  /** The lesson and exercise as named: `all`, `lesson-1`, `lesson-1 greeter`. */
  query: string[]
}

function plan(argv: string[]): Plan {
  const parsed = parse(argv, {
    solution: { type: 'boolean' },
    dir: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    reporter: { type: 'string' },
    cmd: { type: 'string' },
    isolate: { type: 'boolean' },
    seed: { type: 'string' },
    strict: { type: 'boolean' },
    shard: { type: 'string' },
  })
  const { values, positionals } = parsed
  // `--dir submissions/*` reaches us as --dir a, then b and c as plain arguments.
  const dirs = [...(values.dir ?? [])]
  if (dirs.length > 0) {
    for (let i = positionals.length - 1; i >= 1; i--) {
      if (existsSync(positionals[i]!) && statSync(positionals[i]!).isDirectory()) dirs.push(...positionals.splice(i, 1))
    }
  }
  noMoreThan(positionals, 2)
  const [lessonQuery, exerciseQuery] = positionals
  if (!lessonQuery) throw new UsageError(t('Which lesson? Name one.'))

  let selections: Selection[]
  if (lessonQuery === 'all') {
    if (exerciseQuery) throw new UsageError(t('"all" grades every exercise; name a lesson to pick one exercise.'))
    selections = allExercises()
  } else {
    const lesson = pickLesson(lessonQuery)
    const chosen = exerciseQuery ? [pickExercise(lesson, exerciseQuery)] : lesson.exercises
    selections = chosen.map((exercise) => ({ lesson, exercise }))
  }

  if (values.solution && dirs.length > 0) throw new UsageError(t('Use --solution or --dir, not both.'))
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(t`--dir ${dir}: no such folder.`)
  }
  let sources: Source[] = dirs.length > 0 ? dirs.sort().map((dir) => ({ kind: 'dir', dir })) : [{ kind: values.solution ? 'solutions' : 'lessons' }]
  if (values.shard !== undefined) {
    const shard = parseShard(values.shard)
    if (typeof shard === 'string') throw new UsageError(shard, true)
    if (dirs.length === 0) throw new UsageError(t('--shard splits the submissions named by --dir; name them (--dir submissions/*).'), true)
    sources = shardOf(sources, (source) => (source.kind === 'dir' ? source.dir : ''), shard)
  }

  const reporter = (values.json ? 'json' : (values.reporter ?? 'text')) as Reporter
  if (!REPORTERS.includes(reporter)) throw new UsageError(t`--reporter takes ${REPORTERS.join(', ')}, not "${values.reporter}".`)

  let seed = newSeed()
  if (values.seed !== undefined) {
    seed = /^\d{1,16}$/.test(values.seed) ? Number(values.seed) : NaN
    if (!(seed <= MAX_SEED)) throw new UsageError(t`--seed takes a whole number up to ${MAX_SEED}, not "${values.seed}".`)
  }

  const words = [lessonQuery, exerciseQuery, values.solution ? '--solution' : '', dirs.length === 1 ? `--dir ${dirs[0]}` : '']
  if (values.cmd !== undefined && !values.cmd.includes('{file}')) throw new UsageError(t('--cmd needs {file} where the file goes, as in --cmd "python3 {file}".'))
  return { selections, sources, reporter, seed, strict: values.strict ?? false, sharded: values.shard !== undefined, query: positionals.filter(Boolean), command: values.cmd, rerun: [commandName('check'), ...words.filter(Boolean)].join(' ') }
}

/**
 * --isolate: run this same command again inside a new network namespace that has only a
 * loopback interface, brought up first. The grader, its peers and every program then share
 * that namespace: a submission can talk to the peers, and to nothing else. Inside it, each
 * program runs in a bubblewrap sandbox (run/sandbox.ts). A class gets one per grader slot.
 */
async function isolated(argv: string[]): Promise<number> {
  const chosen = plan(argv)
  if (chosen.sources.length > 1) return isolatedClass(chosen)
  const child = inNamespace(['check', ...argv.filter((arg) => arg !== '--isolate')], 'inherit')
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code === null) return 3
  // unshare says why it could not on stderr; sh or ip exit 1 or 127 before our CLI ran.
  return code
}

const namespaced = new Set<ChildProcess>()
let passingSignals = false

/** `netlings <inner>` in a new network namespace with only loopback, brought up first; 'pipe'
 * talks to it over its stdin and stdout. */
function inNamespace(inner: string[], stdio: 'inherit' | 'pipe', env: Record<string, string> = {}): ChildProcess {
  if (!passingSignals) {
    passingSignals = true
    passSignals(namespaced)
  }
  const unshare = ['--net', ...(process.getuid?.() === 0 ? [] : ['--map-root-user'])]
  const script = 'ip link set lo up && exec "$0" "$@"'
  const child = spawn('unshare', [...unshare, 'sh', '-c', script, process.execPath, ...process.execArgv, process.argv[1]!, ...inner], {
    stdio: [stdio, stdio, 'inherit'],
    env: { ...process.env, ...env, NETLINGS_ISOLATED: '1' },
  })
  namespaced.add(child)
  child.once('exit', () => namespaced.delete(child))
  return child
}

/**
 * --isolate with a class: as many graders as one grader runs gradings at once, each in a
 * network namespace of its own, each grading one submission at a time (the submission's
 * folder in on its stdin, its JSON result out on its stdout, a line each); the results are
 * merged as `merge` merges shards. No two submissions share a namespace at the same time, and
 * none of a submission's processes outlives its grading to meet the next one there: every
 * program's sandbox has a PID namespace of its own, and all of it ends with the program. A
 * grader started for each submission cost a class of lesson 1 about 30 % more time than
 * grading it without --isolate, most of it in those starts.
 */
async function isolatedClass(chosen: Plan): Promise<number> {
  const { mergeResults } = await import('./merge.ts')
  const dirs = chosen.sources.map((source) => (source.kind === 'dir' ? source.dir : ''))
  const results: { file: string; result: RunResult }[] = []
  // Compiled here once, so that no grader below loads esbuild: a file that cannot be read or
  // compiled is left to its own grader, which says why.
  const compiled = mkdtempSync(join(tmpdir(), 'netlings-compiled-'))
  const { compileInto } = await import('../run/compile.ts')
  for (const dir of dirs) {
    for (const { lesson, exercise } of chosen.selections) {
      const file = locate({ kind: 'dir', dir }, lesson, exercise)
      if (commandFor(file, lesson, chosen.command) === undefined) await compileInto(file, compiled).catch(() => {})
    }
  }
  const inner = ['check', ...chosen.query, '--seed', String(chosen.seed), '--reporter', 'json', ...(chosen.command ? ['--cmd', chosen.command] : [])]
  const queue = [...dirs]
  const slot = async () => {
    const child = inNamespace(inner, 'pipe', { NETLINGS_COMPILED: compiled, [CLASS_SLOT]: '1' })
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
    try {
      for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
        child.stdin!.write(`${JSON.stringify(dir)}\n`)
        const answer = await answers.next()
        if (answer.done) {
          // Stopped by Ctrl-C or the like: passSignals ends this process once they all have.
          if (stopping()) return new Promise<never>(() => {})
          const [code, signal] = await exited
          throw new Error(`grading ${dir} in a network namespace of its own ended with ${code ?? signal}`)
        }
        results.push({ file: dir, result: JSON.parse(answer.value as string) as RunResult })
      }
    } finally {
      child.stdin!.end()
      await exited
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(gradingsAtOnce(), dirs.length) }, slot))
  } finally {
    rmSync(compiled, { recursive: true, force: true })
  }
  const result = mergeResults(results)
  const color = chosen.reporter === 'text' && wantsColor(process.stdout)
  process.stdout.write(render(chosen.reporter, result, { color, rerun: chosen.rerun, asClass: true }))
  return verdict(result, chosen.strict)
}

/** Set for a class slot's grader (above): it grades the submissions it is handed. */
const CLASS_SLOT = 'NETLINGS_CLASS_SLOT'

/** A class slot's grader, in its namespace: each line in names a submission's folder; each
 * line out is that submission's JSON result, as a one-submission shard of the class. */
async function gradeSlot(argv: string[]): Promise<number> {
  reapOnSignals()
  for await (const line of createInterface({ input: process.stdin })) {
    const chosen = plan([...argv, '--dir', JSON.parse(line) as string, '--shard', '1/1'])
    const result = await grade(chosen.selections, chosen.sources, chosen.seed, { command: chosen.command, asClass: true })
    process.stdout.write(`${JSON.stringify(JSON.parse(render('json', result, { color: false, rerun: chosen.rerun, asClass: true })))}\n`)
  }
  return 0
}

async function run(argv: string[]): Promise<number> {
  // `npm run check -- merge a.json b.json`: the npm script always says check first.
  if (argv[0] === 'merge') return (await import('./merge.ts')).command.run(argv.slice(1))
  if (process.env.NETLINGS_ISOLATED && process.env[CLASS_SLOT]) return gradeSlot(argv)
  if (argv.includes('--isolate') && !process.env.NETLINGS_ISOLATED) {
    if (process.platform !== 'linux') {
      process.stderr.write(`netlings: ${t('--isolate needs Linux network namespaces (unshare); grade without it here.')}\n`)
      return 2
    }
    const sandbox = await import('../run/sandbox.ts')
    if (!sandbox.findBwrap()) {
      process.stderr.write(`netlings: ${t('--isolate runs every program in a bubblewrap sandbox, and bwrap is not installed: apt-get install bubblewrap')}\n`)
      return 2
    }
    if (!sandbox.bwrapWorks()) {
      process.stderr.write(`netlings: ${t('--isolate runs every program in a bubblewrap sandbox, and bwrap cannot make user namespaces here (sysctl kernel.unprivileged_userns_clone=1, or run as root)')}\n`)
      return 2
    }
    return isolated(argv)
  }
  // `npm run check` with nothing more, in a terminal: the menu, as `npm start` (rustlings'
  // list). Without a terminal, the usage below lists the lessons instead of asking.
  if (argv.length === 0 && process.stdin.isTTY && process.stdout.isTTY) {
    const { command: menu } = await import('./menu.ts')
    return menu.run([])
  }
  const chosen = plan(argv)
  const color = chosen.reporter === 'text' && wantsColor(process.stdout)
  // Only the text report shares the terminal with a live display; the others are for machines.
  const jobs = chosen.selections.length * chosen.sources.length
  const live = chosen.reporter === 'text' ? liveOnTerminal(jobs, wantsColor(process.stderr)) : undefined
  reapOnSignals()
  let result
  try {
    result = await grade(chosen.selections, chosen.sources, chosen.seed, { command: chosen.command, observer: live, asClass: chosen.sharded })
  } finally {
    live?.stop()
  }
  if (chosen.sources[0]?.kind === 'lessons') recordProgress(result.exercises)
  process.stdout.write(render(chosen.reporter, result, { color, rerun: chosen.rerun, asClass: chosen.sources.length > 1 || chosen.sharded }))
  return verdict(result, chosen.strict)
}

export const command: Command = {
  name: 'check',
  summary: t('grade a lesson (or one exercise, or all), against the test peers'),
  usage,
  run,
}
