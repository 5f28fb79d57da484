// Deadlines and caps. A correct program answers in milliseconds; every wait below is at least
// ten times what it needs on a loaded 2-core machine, so load cannot flip a verdict.
// NETLINGS_TIME_SCALE=2 doubles every deadline, for slow machines.

const scale = Math.max(0.1, Number(process.env.NETLINGS_TIME_SCALE) || 1)

export const limits = {
  /** From spawn to listening (a server) or connecting (a client): tsx needs ~0.2 s of it. */
  startMs: 6000 * scale,
  /** One answer: a line, a close, an exit. */
  waitMs: 3000 * scale,
  /** One whole check, a safety net behind the waits above. */
  checkMs: 20000 * scale,
  /** Between SIGTERM and SIGKILL of a program's process group. */
  graceMs: 300,
  /** Output kept per stream; past it the program is stopped as flooding. */
  outputCapBytes: 256 * 1024,
}
