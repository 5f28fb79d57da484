// What a program left in its working folder: the regular files only (a program's FIFO or
// symlink is not a file it saved), each with its size, read without following links.

import { lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export interface FileEntry {
  name: string
  path: string
  bytes: number
}

export function filesIn(dir: string): FileEntry[] {
  let names: string[]
  try {
    names = readdirSync(dir).sort()
  } catch {
    return [] // no folder (yet, or any more): no files
  }
  const files: FileEntry[] = []
  for (const name of names) {
    try {
      const stat = lstatSync(join(dir, name))
      if (stat.isFile()) files.push({ name, path: join(dir, name), bytes: stat.size })
    } catch {
      // Gone while we looked.
    }
  }
  return files
}
