// A correct program judged wrong is the worst thing a grader can do. This grades reference
// solutions again and again, the way `check all` does (every exercise side by side in one
// grader), and counts the checks that failed: every one is a wrong verdict. Run it with the
// machine loaded, e.g. beside a busy loop on the other core:
//
//   node -e 'for(;;){}' & node --import tsx scripts/overload.ts 100; kill %1
//   node --import tsx scripts/overload.ts [rounds=20] [lesson[/exercise]] [stallMs=0] [--styles] [--fixtures]
//
// --styles grades, in each round, the correct programs of other styles under test/styles too,
// at the round's seed, as many at once as a grader grades: a style that only works when the
// machine is idle is a wrong verdict waiting for a busy CI runner.
//
// --fixtures grades the broken programs under test/fixtures too, the same way, and counts each
// that did not fail first on the check naming its bug, saying so, as test/grading.test.ts asks
// (at one seed, on whatever machine it runs on): a crash told as a reset under load is a wrong
// diagnosis waiting for a busy CI runner as well.
//
// stallMs > 0 also blocks the grader's event loop every 100 ms, for stallMs in an I/O callback
// and stallMs more just after it, as other gradings' CPU work (or no CPU to spare) does; that
// made the reference get-json lose its output (scripts/overload-drain.ts shows the race alone).

import { spawn } from 'node:child_process'
import { atOnce, grade, gradeExercise, type Selection } from '../checks/engine/grade.ts'
import { lessons } from '../lessons/index.ts'
import { fixtureMiss, fixtures, styles } from '../test/helpers.ts'

const withStyles = process.argv.includes('--styles')
const withFixtures = process.argv.includes('--fixtures')
const args = process.argv.slice(2).filter((arg) => arg !== '--styles' && arg !== '--fixtures')
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
let diagnoses = 0
let missed = 0
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
  if (withFixtures) {
    for (const { who, miss } of await gradeFixtures(1000 + round)) {
      diagnoses++
      if (miss === undefined) continue
      missed++
      console.log(`round ${round}, seed ${1000 + round}: ${who}: ${miss.split('\n').slice(0, 4).join('\n    ')}`)
    }
  }
  const fixtureCount = withFixtures ? `; ${missed} wrong diagnoses in ${diagnoses} gradings of broken programs` : ''
  console.log(`round ${round} of ${rounds}: ${wrong} wrong verdicts so far, in ${gradings} gradings${fixtureCount} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
}
console.log(`TOTAL: ${wrong} wrong verdicts in ${gradings} gradings of the reference solutions${withStyles ? ' and the other styles' : ''} (${rounds} rounds)`)
if (withFixtures) console.log(`TOTAL: ${missed} wrong diagnoses in ${diagnoses} gradings of the broken programs (${rounds} rounds)`)
ticker?.kill('SIGKILL')
process.exit(wrong === 0 && missed === 0 ? 0 : 1)

/** A program of test/styles or test/fixtures for one of the exercises chosen. */
function isChosen({ lesson, exercise }: Selection): boolean {
  return selections.some((s) => s.lesson === lesson && s.exercise === exercise)
}

/** Every program of test/styles for the exercises chosen, graded at `seed`, a few at a time. */
async function gradeStyles(seed: number) {
  const chosen = styles().filter(isChosen)
  const done: { who: string; exercise: Awaited<ReturnType<typeof gradeExercise>> }[] = []
  await atOnce(chosen, async (style) => {
    done.push({ who: `${style.lesson.id}/${style.exercise.id}/${style.name}`, exercise: await gradeExercise(style, style.file, seed) })
  })
  return done
}

/** Every broken program of test/fixtures for the exercises chosen, graded at `seed`, a few at a
 * time, with what its verdict got wrong (undefined: nothing). */
async function gradeFixtures(seed: number) {
  const chosen = fixtures().filter(isChosen)
  const done: { who: string; miss: string | undefined }[] = []
  await atOnce(chosen, async (fixture) => {
    done.push({ who: `${fixture.lesson.id}/${fixture.exercise.id}/${fixture.name}`, miss: fixtureMiss(fixture, await gradeExercise(fixture, fixture.file, seed)) })
  })
  return done
}
