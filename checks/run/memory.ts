// How much memory a program's process group holds (resident set, from /proc; Linux only).

import { readFileSync } from 'node:fs'
import { processGroupMembers } from './sockets.ts'

export function residentBytes(pgid: number | undefined): number | undefined {
  if (pgid === undefined || process.platform !== 'linux') return undefined
  let total = 0
  for (const pid of processGroupMembers(pgid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (match) total += Number(match[1]) * 1024
    } catch {
      // Gone while we looked.
    }
  }
  return total
}

export interface MemoryWatch {
  /** Stops sampling; returns the peak seen (undefined where /proc cannot tell). */
  stop(): number | undefined
  /** Resolves once a sample exceeds `bytes`; never, where /proc cannot tell. Lets a check give
   * its verdict the moment the evidence is in, instead of after a long transfer. */
  above(bytes: number): Promise<number>
}

/** Samples a program's memory until stopped. */
export function watchMemory(pgid: number | undefined, everyMs = 20): MemoryWatch {
  let peak = residentBytes(pgid)
  const limits: Array<{ bytes: number; reached: (peak: number) => void }> = []
  const timer = setInterval(() => {
    const now = residentBytes(pgid)
    if (now === undefined) return
    peak = Math.max(peak ?? 0, now)
    for (const limit of limits) if (peak > limit.bytes) limit.reached(peak)
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      return peak
    },
    above(bytes) {
      return new Promise((reached) => limits.push({ bytes, reached }))
    },
  }
}
