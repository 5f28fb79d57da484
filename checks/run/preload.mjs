// Preloaded into every learner program, before its own code.

import { writeFileSync } from 'node:fs'

// The grader reads the program's output through a socket pair, and Node writes to a socket
// asynchronously: a `while (true) console.log(…)` would pile up in memory without end, and
// `console.log(…); process.exit()` would lose the line. Blocking writes make both behave as
// they do in a terminal, and let the grader's output cap stop a flood.
for (const stream of [process.stdout, process.stderr]) stream._handle?.setBlocking?.(true)

// If the grader dies without reaping the program (SIGKILL, a crashed terminal), the program
// notices and takes its process group down with it. The grader names itself: process.ppid is
// read once at start-up, and a grader that died before that moment would leave it at 1.
const grader = Number(process.env.NETLINGS_GRADER_PID) || process.ppid
setInterval(() => {
  try {
    process.kill(grader, 0)
  } catch {
    try {
      process.kill(-process.pid, 'SIGKILL')
    } catch {
      process.exit(1)
    }
  }
}, 500).unref()

// An exception nothing catches ends the program; Node prints it with every frame, its own
// included. The grader wants it as data, to show the learner the error and their own frames
// only: a monitor sees it first (and changes nothing: Node still prints it and exits). The
// stack is read here, where --enable-source-maps maps it back to the .ts file.
const crashFile = process.env.NETLINGS_CRASH_FILE
if (crashFile) {
  process.on('uncaughtExceptionMonitor', (error, origin) => {
    try {
      const isError = error instanceof Error
      const record = {
        origin,
        name: isError ? error.name : undefined,
        message: isError ? error.message : String(error),
        code: isError && typeof error.code === 'string' ? error.code : undefined,
        stack: isError && typeof error.stack === 'string' ? error.stack : undefined,
      }
      writeFileSync(crashFile, JSON.stringify(record))
    } catch {
      // Nothing to add: Node's own report on stderr stands.
    }
  })
}

// Is the event loop turning? The grader asks with SIGUSR2 when a program keeps it waiting: a
// handler runs only when the loop gets to it, so no answer from a busy program means a loop
// that never gives control back.
const aliveFile = process.env.NETLINGS_ALIVE_FILE
if (aliveFile) {
  process.on('SIGUSR2', () => {
    try {
      writeFileSync(aliveFile, '')
    } catch {
      // The grader will take the silence for what it is.
    }
  })
}
