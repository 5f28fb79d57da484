// Preloaded into every learner program. If the grader dies without reaping it (SIGKILL, a
// crashed terminal), the program notices it was re-parented and takes its process group down.
const parent = process.ppid
setInterval(() => {
  if (process.ppid === parent) return
  try {
    process.kill(-process.pid, 'SIGKILL')
  } catch {
    process.exit(1)
  }
}, 500).unref()
