// Every program the grader starts inherits this tag, so a test can find any that survive.
process.env.NETLINGS_TAG = `vitest-${process.pid}`
