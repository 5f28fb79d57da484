// The mutation measurement kept honest without running StrykerJS here (a run takes minutes an
// exercise): test/mutants-audit.json holds what the last `npm run mutants` found for each
// exercise and a fingerprint of the files it depends on. An exercise whose solution or checks
// changed since must be measured again; every survivor of the last run is either in the
// reviewed ledger of equivalent mutants or it is a failure; and every ledger entry names a
// survivor of that run. (.ci/run also runs `npm run mutants` for real on one exercise.)

import { describe, expect, test } from 'vitest'
import { allExercises, keyOf } from '../checks/commands/kit.ts'
import { bySourcePosition, fingerprint, mutantName, readAudit, readLedger } from '../scripts/mutants-ledger.ts'
import { join } from 'node:path'
import { root } from './helpers.ts'

const audits = readAudit(root)
const ledger = readLedger(join(root, 'test/equivalent-mutants.json'))
const sorted = (names: string[]) => [...names].sort()

describe('every exercise measured by mutation testing on its current solution and checks', () => {
  for (const { lesson, exercise } of allExercises()) {
    const key = keyOf(lesson, exercise)
    const audit = audits[key]
    const rerun = `npm run mutants ${lesson.id} ${exercise.id}`
    if (!audit) {
      test.todo(`${key}: not measured yet (${rerun})`)
      continue
    }
    test(`${key}: every mutant that survives is killed or explained`, () => {
      const solution = `solutions/${lesson.slug}/${exercise.file}`
      expect(fingerprint(root, lesson, exercise), `${solution} or its checks in checks/lessons/${lesson.id} changed since the last run: ${rerun}`).toBe(audit.fingerprint)
      // Every survivor of the last run is in the reviewed ledger, and the ledger names nothing
      // else: a survivor nobody explained is a wrong program the grader lets through.
      const explained = (ledger[key] ?? []).map(mutantName)
      const missing = audit.survivors.filter((name) => !explained.includes(name))
      expect(missing, 'survivors neither killed nor in test/equivalent-mutants.json: kill each with a check, or explain it there').toEqual([])
      expect(sorted(explained), `the ledger must name exactly the survivors of the last run (${rerun})`).toEqual(sorted(audit.survivors))
      expect(audit.killed + audit.survivors.length).toBe(audit.mutants)
      // .ci/run compares the file after a real run: an order of Stryker's would make it differ.
      expect(audit.survivors, 'survivors in source order, as npm run mutants writes them').toEqual([...audit.survivors].sort(bySourcePosition))
    })
  }

  test('the ledger names only exercises that exist', () => {
    const known = new Set(allExercises().map(({ lesson, exercise }) => keyOf(lesson, exercise)))
    expect(Object.keys(ledger).filter((key) => !known.has(key))).toEqual([])
  })
})
