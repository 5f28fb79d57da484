// Preloaded into every learner program, before its own code.

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
