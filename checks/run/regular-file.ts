// Reading a file a learner (or a student, in a class) handed in: only a regular file of a
// sane size, opened so that nothing it could be instead stops the grader. A FIFO or
// /dev/stdin blocks a plain read for ever, /dev/zero never ends, and a link to solutions/
// would grade the reference solution: each is one student's verdict, and the class goes on.

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs'
import { relative, resolve, sep } from 'node:path'
import { shownPath } from '../engine/paths.ts'
import { t } from '../text/lang.ts'

/** The largest source file the grader reads: the lessons' solutions are a few KiB. */
export const MAX_SOURCE_BYTES = 1024 * 1024

/** Why a file cannot be graded: the learner-facing sentence is the message. */
export class NotARegularFile extends Error {}

const what = (stat: Stats) =>
  stat.isSymbolicLink()
    ? t('a symbolic link')
    : stat.isFIFO()
      ? t('a named pipe (FIFO)')
      : stat.isDirectory()
        ? t('a folder')
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? t('a device')
          : stat.isSocket()
            ? t('a socket')
            : t('not a regular file')

const refuse = (file: string, is: string) => new NotARegularFile(t`${shownPath(file)} is ${is}, not a file. Hand in the file itself, as a regular file.`)

/**
 * The bytes of `file`, which must be a regular file of at most `maxBytes`, not reached
 * through a symbolic link. O_NOFOLLOW refuses a link, O_NONBLOCK keeps a FIFO from blocking
 * the open, and fstat of what was opened (not of a path that could change) decides; the read
 * stops one byte past the bound whatever the size said. Throws NotARegularFile, or the
 * system's error (ENOENT) when there is nothing at all.
 */
export function readRegularFile(file: string, maxBytes = MAX_SOURCE_BYTES): Buffer {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse(file, t('a symbolic link'))
    throw error
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw refuse(file, what(stat))
    const tooLarge = () => new NotARegularFile(t`${shownPath(file)} is larger than ${maxBytes / 1024 / 1024} MiB: too large for a source file, so the grader does not read it.`)
    if (stat.size > maxBytes) throw tooLarge()
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n
    if (length > maxBytes) throw tooLarge()
    return buffer.subarray(0, length)
  } finally {
    closeSync(fd)
  }
}

/**
 * Throws NotARegularFile when a folder between `base` (a --dir, chosen by the teacher) and
 * `file` is a symbolic link: a lesson folder linked to solutions/ holds regular files.
 */
export function noLinkBetween(base: string, file: string): void {
  const parts = relative(resolve(base), resolve(file)).split(sep).slice(0, -1)
  let at = resolve(base)
  for (const part of parts) {
    if (part === '..' || part === '') return // not below base: nothing of the submission's to check
    at = resolve(at, part)
    let stat: Stats
    try {
      stat = lstatSync(at)
    } catch {
      return // nothing there: the file's own read says so
    }
    if (!stat.isDirectory()) throw refuse(at, what(stat))
  }
}

/** True for a regular file within the bound (lstat: a link is not one), without reading it. */
export function isRegularFile(file: string, maxBytes = MAX_SOURCE_BYTES): boolean {
  try {
    const stat = lstatSync(file)
    return stat.isFile() && stat.size <= maxBytes
  } catch {
    return false
  }
}
