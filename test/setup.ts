import { tmpdir } from 'node:os'

// Every program the grader starts inherits this tag, so a test can find any that survive.
process.env.NETLINGS_TAG = `vitest-${process.pid}`
// …and keeps the learner's state (progress, hints read, the type-check cache beside them) in a
// folder of its own, never in the learner's .netlings/ nor in another test process's.
process.env.NETLINGS_PROGRESS = `${tmpdir()}/netlings-test-${process.pid}/progress.json`
