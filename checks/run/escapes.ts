// The processes a program left behind outside its process group. Killing the group (see
// program.ts) misses a child started with `spawn(…, { detached: true })` or `setsid`: a group
// and a session of its own, alive after the grader has finished, free to rewrite the reports
// and .netlings/ the grader wrote. So every program carries a marker in its environment,
// NETLINGS_RUN=<random id>, which its children inherit, and when it is stopped the grader
// kills every process on the machine that holds the marker, and every process whose parent,
// process group or session is one of those (so a child that cleared its environment dies too,
// while the one that started it lives).
//
// What still gets through without a sandbox: a child that clears its environment (exec with
// another one, or overwriting it in memory) and double-forks into a new session, so that its
// parent is gone by the time the grader looks. `--isolate` closes that: each program runs in a
// PID namespace of its own, and everything in it ends with the program.

import { readdirSync, readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'

export const MARKER_VARIABLE = 'NETLINGS_RUN'

/** A marker no other program has: 64 random bits. */
export const newMarker = () => randomBytes(8).toString('hex')

interface Entry {
  pid: number
  ppid: number
  pgid: number
  sid: number
}

/** /proc/<pid>/stat as an entry; undefined for a zombie (it cannot do anything any more). */
function entry(pid: number, stat: string): Entry | undefined {
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined
  return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) }
}

const tagsOf = (markers: string[]) => markers.map((marker) => Buffer.from(`${MARKER_VARIABLE}=${marker}\0`))

/** The marked pids, and any process whose parent, group or session is one of them (a pid that
 * is alive and ours cannot have been reused, so this never reaches a stranger). */
function withDescendants(marked: number[], entries: Entry[]): number[] {
  const ours = new Set(marked)
  for (let grew = true; grew; ) {
    grew = false
    for (const e of entries) {
      if (!ours.has(e.pid) && (ours.has(e.ppid) || ours.has(e.pgid) || ours.has(e.sid))) {
        ours.add(e.pid)
        grew = true
      }
    }
  }
  ours.delete(process.pid) // never the grader itself
  return [...ours]
}

const pids = (names: string[]) => names.filter((name) => /^\d+$/.test(name)).map(Number)

function killAll(found: number[]): void {
  for (const pid of found) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Gone already.
    }
  }
}

/** How many rounds at most: a process may fork between the look and the kill, and its child
 * holds the marker too, so the grader looks again until it finds none. */
const ROUNDS = 10

const orUndefined = <T>(read: () => T): T | undefined => {
  try {
    return read()
  } catch {
    return undefined // gone while we looked, or not ours to read
  }
}

/** What to kill. The environments first: most of the time no process holds a marker any more,
 * and then no stat is read (a look costs 10–60 ms on a loaded machine). */
async function escaped(markers: string[]): Promise<number[]> {
  const tags = tagsOf(markers)
  const all = pids(await readdir('/proc'))
  const environs = await Promise.all(all.map((pid) => readFile(`/proc/${pid}/environ`).catch(() => undefined)))
  const marked = all.filter((_, i) => tags.some((tag) => environs[i]?.includes(tag)))
  if (marked.length === 0) return []
  const stats = await Promise.all(all.map((pid) => readFile(`/proc/${pid}/stat`, 'latin1').then((stat) => entry(pid, stat), () => undefined)))
  return withDescendants(marked, stats.filter((e) => e !== undefined))
}

function escapedNow(markers: string[]): number[] {
  const tags = tagsOf(markers)
  const all = pids(readdirSync('/proc'))
  const marked = all.filter((pid) => tags.some((tag) => orUndefined(() => readFileSync(`/proc/${pid}/environ`))?.includes(tag)))
  if (marked.length === 0) return []
  const stats = all.map((pid) => orUndefined(() => entry(pid, readFileSync(`/proc/${pid}/stat`, 'latin1'))))
  return withDescendants(marked, stats.filter((e) => e !== undefined))
}

let batch: { markers: string[]; done: Promise<void> } | undefined

/**
 * Kills whatever the programs with these markers left running. The programs of one grading
 * stop together: their sweeps share one look at /proc, read without blocking the other
 * gradings. Linux only; elsewhere nothing to do.
 */
export function killEscaped(marker: string): Promise<void> {
  if (process.platform !== 'linux') return Promise.resolve()
  if (!batch) {
    const markers: string[] = []
    const done = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      batch = undefined
      for (let round = 0; round < ROUNDS; round++) {
        const found = await escaped(markers)
        if (found.length === 0) return
        killAll(found)
      }
    })
    batch = { markers, done }
  }
  batch.markers.push(marker)
  return batch.done
}

/** The same, at once, for process 'exit' where nothing asynchronous runs any more. */
export function killEscapedNow(markers: string[]): void {
  if (process.platform !== 'linux' || markers.length === 0) return
  for (let round = 0; round < ROUNDS; round++) {
    const found = escapedNow(markers)
    if (found.length === 0) return
    killAll(found)
  }
}
