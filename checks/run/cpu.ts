// What the kernel says a process is doing, from /proc/<pid>/stat (Linux only; elsewhere the
// answer is "unknown"): its state, its process group, and the CPU time it has used. That
// tells a program that loops forever from one that waits for something that never comes.

import { readFileSync } from 'node:fs'
import { sleep } from '../engine/wait.ts'

export interface ProcessStat {
  /** R running, S sleeping, D in the disk, Z a zombie, T stopped … */
  state: string
  pgid: number
  /** On its way out (PF_EXITING): set as the exit begins, before the kernel closes its sockets
   * and long before Node hears of it. */
  exiting: boolean
  /** User and system time of all its threads, in clock ticks (1/100 s on Linux). */
  ticks: number
}

export const TICKS_PER_SECOND = 100
const PF_EXITING = 0x4

export function processStat(pid: number | undefined): ProcessStat | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which may itself hold spaces and parentheses; this is
    // field 3 of proc(5) onwards, so flags (9) is at 6, utime (14) and stime (15) at 11 and 12.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0]!, pgid: Number(fields[2]), exiting: (Number(fields[6]) & PF_EXITING) !== 0, ticks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return undefined
  }
}

/**
 * Waits until the process is asleep and has used no CPU for `quietMs` (at most `ms` in all):
 * then it has run every handler that was due, such as its 'connect' handler. True if it went
 * quiet, false if it kept busy (or is gone, or /proc cannot tell).
 */
export async function untilQuiet(pid: number | undefined, quietMs = 40, ms = 1500): Promise<boolean> {
  const deadline = Date.now() + ms
  let quietSince: number | undefined
  let last = processStat(pid)
  while (last && Date.now() < deadline) {
    await sleep(10)
    const now = processStat(pid)
    if (!now) return false
    const asleep = now.state === 'S' && now.ticks === last.ticks
    quietSince = asleep ? (quietSince ?? Date.now()) : undefined
    if (quietSince !== undefined && Date.now() - quietSince >= quietMs) return true
    last = now
  }
  return false
}

/** Bytes the process has read so far, through any read call (sockets included): rchar of
 * /proc/<pid>/io. A loop that never gives control back reads nothing; a program that is merely
 * slow (a quadratic Buffer.concat) goes on reading. Undefined where /proc cannot tell. */
export function bytesRead(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined
  try {
    const match = /^rchar:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}
