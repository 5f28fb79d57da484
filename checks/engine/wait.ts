// The one way the grader waits: re-test a condition whenever something it watches changes,
// until it holds or the time is up. No polling loops, no fixed sleeps.

export type Subscribe = (wake: () => void) => () => void

export function waitFor(test: () => boolean, sources: Subscribe[], ms: number): Promise<boolean> {
  if (test()) return Promise.resolve(true)
  return new Promise((resolve) => {
    const unsubscribe: Array<() => void> = []
    let done = false
    const finish = (result: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      for (const off of unsubscribe) off()
      resolve(result)
    }
    // At the deadline, one poll first: a loop kept busy past the timer runs it before reading
    // what already waits in the sockets, and that may be exactly what the test looks for.
    const timer = setTimeout(() => setImmediate(() => finish(test())), ms)
    const wake = () => {
      if (test()) finish(true)
    }
    for (const source of sources) unsubscribe.push(source(wake))
  })
}

/**
 * waitFor with a deadline that moves: false only once `progress()` has stood still for
 * `stallMs` (between one and two stalls' time, as it is looked at once per stall). How long
 * 400 MiB take depends on how loaded the machine is; whether they move at all does not, so a
 * big transfer is judged by the second, not the first.
 */
export async function waitWhileMoving(test: () => boolean, sources: Subscribe[], progress: () => number, stallMs: number): Promise<boolean> {
  for (let last = progress(); ; ) {
    if (await waitFor(test, sources, stallMs)) return true
    const now = progress()
    if (now === last) return false
    last = now
  }
}

/** What `promise` gives, as long as `progress()` keeps moving; undefined once it stood still
 * for `stallMs` (waitWhileMoving). A rejection is passed on. */
export async function whileMoving<T>(promise: Promise<T>, progress: () => number, stallMs: number): Promise<{ value: T } | undefined> {
  let outcome: { value: T } | { error: unknown } | undefined
  const done = promise.then(
    (value) => void (outcome = { value }),
    (error: unknown) => void (outcome = { error }),
  )
  if (!(await waitWhileMoving(() => outcome !== undefined, [settled(done)], progress, stallMs))) return undefined
  if ('error' in outcome!) throw outcome.error
  return outcome
}

/** A subscription to a promise settling (a program's exit). */
export const settled =
  (promise: Promise<unknown>): Subscribe =>
  (wake) => {
    let active = true
    void promise.finally(() => active && wake())
    return () => {
      active = false
    }
  }

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`

/**
 * The one timeout race: what `promise` gives, or what `late()` gives once `ms` have passed
 * (`late` may throw, to fail). A promise that loses the race and rejects later is nobody's
 * crash.
 */
export async function within<T, L = T>(promise: Promise<T>, ms: number, late: () => L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined
  promise.catch(() => {})
  const timeout = new Promise<L>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late())
      } catch (error) {
        reject(error)
      }
    }, ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** A promise and the function that settles it, for a story whose two halves meet. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}
