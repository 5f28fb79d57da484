// The one way the grader waits: re-test a condition whenever something it watches changes,
// until it holds or the time is up. No polling loops, no fixed sleeps.

export type Subscribe = (wake: () => void) => () => void

export function waitFor(test: () => boolean, sources: Subscribe[], ms: number): Promise<boolean> {
  if (test()) return Promise.resolve(true)
  return new Promise((resolve) => {
    const unsubscribe: Array<() => void> = []
    const finish = (result: boolean) => {
      clearTimeout(timer)
      for (const off of unsubscribe) off()
      resolve(result)
    }
    const timer = setTimeout(() => finish(test()), ms)
    const wake = () => {
      if (test()) finish(true)
    }
    for (const source of sources) unsubscribe.push(source(wake))
  })
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
