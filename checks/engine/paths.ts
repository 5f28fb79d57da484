// The netlings checkout this grader belongs to: the folder above this file that holds the
// registry. Found by walking up rather than by a fixed "..", because the grader also runs as
// one built file (node_modules/.cache/netlings/, see bin/netlings.mjs).

import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lessons', 'index.ts')) && existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`netlings: no lessons/index.ts above ${from}`)
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)))

/** A file of the checkout, by its path from the root: `checks/lessons/lesson-5/panda.jpg`. */
export const inProject = (path: string) => join(projectRoot, path)

/** A path as the person at the terminal would type it: relative to where they are, when inside. */
export function shownPath(file: string): string {
  const fromHere = relative(process.cwd(), file)
  return fromHere.startsWith('..') || isAbsolute(fromHere) ? file : fromHere
}
