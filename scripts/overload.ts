// A correct program judged wrong is the worst thing a grader can do. This grades reference
// solutions again and again, the way `check all` does (every exercise side by side in one
// grader), and counts the checks that failed: every one is a wrong verdict. Run it with the
// machine loaded, e.g. beside a busy loop on the other core:
//
//   node -e 'for(;;){}' & node --import tsx scripts/overload.ts 100; kill %1
//   node --import tsx scripts/overload.ts [rounds=20] [lesson[/exercise]] [stallMs=0] [--styles]
//
// --styles grades, in each round, the correct programs of other styles under test/styles too,
// at the round's seed, as many at once as a grader grades: a style that only works when the
// machine is idle is a wrong verdict waiting for a busy CI runner.
//
// stallMs > 0 also blocks the grader's event loop every 100 ms, for stallMs in an I/O callback
// and stallMs more just after it, as other gradings' CPU work (or no CPU to spare) does; that
// made the reference get-json lose its output (scripts/overload-drain.ts shows the race alone).

import { spawn } from 'node:child_process'
import { atOnce, grade, gradeExercise, type Selection } from '../checks/engine/grade.ts'
import { lessons } from '../lessons/index.ts'
import { styles } from '../test/helpers.ts'

const withStyles = process.argv.includes('--styles')
const args = process.argv.slice(2).filter((arg) => arg !== '--styles')
const rounds = Number(args[0] ?? 20)
const only = args[1]
const stallMs = Number(args[2] ?? 0)

const selections: Selection[] = lessons
  .flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise })))
  .filter(({ lesson, exercise }) => !only || only === lesson.id || only === `${lesson.id}/${exercise.id}`)
if (selections.length === 0) throw new Error(`nothing matches ${only}`)

const busy = (ms: number) => {
  const until = Date.now() + ms
  while (Date.now() < until);
}
const ticker = stallMs > 0 ? spawn('sh', ['-c', 'while :; do printf x; sleep 0.1; done'], { stdio: ['ignore', 'pipe', 'ignore'] }) : undefined
ticker?.stdout!.on('data', () => {
  busy(stallMs)
  setImmediate(() => busy(stallMs))
})

let gradings = 0
let wrong = 0
const started = Date.now()
for (let round = 1; round <= rounds; round++) {
  const result = await grade(selections, [{ kind: 'solutions' }], 1000 + round)
  const graded = result.exercises.map((exercise) => ({ who: `${exercise.lesson} ${exercise.exercise}`, exercise }))
  if (withStyles) graded.push(...(await gradeStyles(1000 + round)))
  for (const { who, exercise } of graded) {
    gradings++
    for (const check of exercise.checks.filter((c) => c.status === 'fail')) {
      wrong++
      console.log(`round ${round}, seed ${1000 + round}: ${who}: ✗ ${check.name}: ${check.failure?.message ?? ''}`)
    }
  }
  console.log(`round ${round} of ${rounds}: ${wrong} wrong verdicts so far, in ${gradings} gradings (${((Date.now() - started) / 1000).toFixed(0)} s)`)
}
console.log(`TOTAL: ${wrong} wrong verdicts in ${gradings} gradings of the reference solutions${withStyles ? ' and the other styles' : ''} (${rounds} rounds)`)
ticker?.kill('SIGKILL')
process.exit(wrong === 0 ? 0 : 1)

/** Every program of test/styles for the exercises chosen, graded at `seed`, a few at a time. */
async function gradeStyles(seed: number) {
  const chosen = styles().filter(({ lesson, exercise }) => selections.some((s) => s.lesson === lesson && s.exercise === exercise))
  const done: { who: string; exercise: Awaited<ReturnType<typeof gradeExercise>> }[] = []
  await atOnce(chosen, async (style) => {
    done.push({ who: `${style.lesson.id}/${style.exercise.id}/${style.name}`, exercise: await gradeExercise(style, style.file, seed) })
  })
  return done
}
