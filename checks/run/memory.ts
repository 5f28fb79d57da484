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

/** Samples a program's memory until stopped; returns the peak seen. */
export function watchMemory(pgid: number | undefined, everyMs = 20): () => number | undefined {
  let peak = residentBytes(pgid)
  const timer = setInterval(() => {
    const now = residentBytes(pgid)
    if (now !== undefined) peak = Math.max(peak ?? 0, now)
  }, everyMs)
  return () => {
    clearInterval(timer)
    return peak
  }
}
