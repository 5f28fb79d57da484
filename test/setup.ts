import { tmpdir } from 'node:os'

// Every program the grader starts inherits this tag, so a test can find any that survive.
process.env.NETLINGS_TAG = `vitest-${process.pid}`
// …and keeps the learner's state (progress, hints read, the type-check cache beside them) in a
// folder of its own, never in the learner's .netlings/ nor in another test process's.
process.env.NETLINGS_PROGRESS = `${tmpdir()}/netlings-test-${process.pid}/progress.json`
// English, whatever the machine's locale or the learner's choice in the menu: the tests read
// the English texts. (Tests of the Chinese ask for it with --lang or setLang.)
process.env.NETLINGS_LANG = 'en'
process.env.NETLINGS_SETTINGS = `${tmpdir()}/netlings-test-${process.pid}/settings.json`
