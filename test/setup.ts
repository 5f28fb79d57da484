import { tmpdir } from 'node:os'

// Every program the grader starts inherits this tag, so a test can find any that survive.
process.env.NETLINGS_TAG = `vitest-${process.pid}`
// …and records progress in a file of its own, never in the learner's .netlings/progress.json.
process.env.NETLINGS_PROGRESS = `${tmpdir()}/netlings-progress-${process.pid}.json`
