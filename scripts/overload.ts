// A correct program judged wrong is the worst thing a grader can do. This grades reference
// solutions again and again, the way `check all` does (every exercise side by side in one
// grader), and counts the checks that failed: every one is a wrong verdict. Run it with the
// machine loaded, e.g. beside a busy loop on the other core:
//
//   node -e 'for(;;){}' & node --import tsx scripts/overload.ts 100; kill %1
//   node --import tsx scripts/overload.ts [rounds=20] [lesson[/exercise]] [stallMs=0]
//
// stallMs > 0 also blocks the grader's event loop every 100 ms, for stallMs in an I/O callback
// and stallMs more just after it, as other gradings' CPU work (or no CPU to spare) does; that
// made the reference get-json lose its output (scripts/overload-drain.ts shows the race alone).

import { spawn } from 'node:child_process'
import { grade, type Selection } from '../checks/engine/grade.ts'
import { lessons } from '../lessons/index.ts'

const rounds = Number(process.argv[2] ?? 20)
const only = process.argv[3]
const stallMs = Number(process.argv[4] ?? 0)

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
  for (const graded of result.exercises) {
    gradings++
    for (const check of graded.checks.filter((c) => c.status === 'fail')) {
      wrong++
      console.log(`round ${round}, seed ${result.seed}: ${graded.lesson} ${graded.exercise}: ✗ ${check.name}: ${check.failure?.message ?? ''}`)
    }
  }
  console.log(`round ${round} of ${rounds}: ${wrong} wrong verdicts so far, in ${gradings} gradings (${((Date.now() - started) / 1000).toFixed(0)} s)`)
}
console.log(`TOTAL: ${wrong} wrong verdicts in ${gradings} gradings of the reference solutions (${rounds} rounds of ${selections.length})`)
ticker?.kill('SIGKILL')
process.exit(wrong === 0 ? 0 : 1)
