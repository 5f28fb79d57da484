// A learner's TypeScript as JavaScript, compiled once per content, so that plain node runs it.

import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, sep } from 'node:path'
import { inProject } from '../engine/paths.ts'
import { readRegularFile } from './regular-file.ts'

/**
 * A TypeScript file as JavaScript, compiled once per content the way tsx compiles it at every
 * start (esbuild, ESM, this node as target, names kept, an inline source map so that stack
 * traces name the .ts file and its lines). Plain node then starts a program ~0.12 s sooner
 * than node with tsx's loader, and a verdict starts a program up to nine times. When esbuild
 * cannot compile it, its errors instead: the grader then reports the file as not compiling,
 * with the place and the message, and runs none of it.
 */
export type Compiled = { javascript: string; errors?: undefined } | { javascript?: undefined; errors: CompileError[] }

export interface CompileError {
  /** 1-based, as an editor counts. */
  line: number
  /** 1-based, in UTF-16 units, as an editor counts (esbuild counts bytes). */
  column: number
  message: string
}

const compiled = new Map<string, Promise<Compiled>>()

/** The learner's own files and the solutions are also kept compiled on disk, by content, so
 * that grading an unchanged file again (the other exercises of `check all`, a second run)
 * loads no esbuild at all. Submissions (--dir) never are: one student's program must not be
 * able to leave compiled code behind for another's. */
const cacheDir = inProject('node_modules/.cache/netlings/compiled')
const cached = (file: string) => [inProject('lessons'), inProject('solutions')].some((dir) => file.startsWith(dir + sep))

function esbuildVersion(): string {
  try {
    return (JSON.parse(readFileSync(inProject('node_modules/esbuild/package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/** Under --isolate a class is graded one submission per grader: the grader that starts them
 * compiles every submission once and hands the JavaScript down in this folder (written by it
 * alone, never by a program), so that none of them loads esbuild. */
const handedDown = process.env.NETLINGS_COMPILED

/** What a compiled file is known by: its name and content, and what compiles and runs it. */
const keyOf = (file: string, source: string) => createHash('sha256').update(`${basename(file)}\0${process.version}\0${esbuildVersion()}\0${source}`).digest('hex')

export function compileTypeScript(file: string): Promise<Compiled> {
  const source = readRegularFile(file).toString('utf8')
  const key = keyOf(file, source)
  let code = compiled.get(key)
  if (!code) {
    code = (handedDown ? fromCache(key, handedDown) : undefined) ?? (cached(file) ? fromCache(key) : undefined) ?? compile(source, basename(file), cached(file) ? key : undefined)
    compiled.set(key, code)
  }
  return code
}

/** Compiles the file (as compileTypeScript) into `dir`, for the graders that read it as
 * NETLINGS_COMPILED. */
export async function compileInto(file: string, dir: string): Promise<void> {
  const source = readRegularFile(file).toString('utf8')
  const key = keyOf(file, source)
  const { javascript } = await compileTypeScript(file)
  if (javascript !== undefined) writeFileSync(join(dir, `${key}.mjs`), javascript)
}

function fromCache(key: string, dir = cacheDir): Promise<Compiled> | undefined {
  try {
    return Promise.resolve({ javascript: readFileSync(join(dir, `${key}.mjs`), 'utf8') })
  } catch {
    return undefined
  }
}

async function compile(source: string, name: string, key: string | undefined): Promise<Compiled> {
  // esbuild is loaded only once a program is to run: `hint` and `menu` never pay for it.
  const { transform } = await import('esbuild')
  let code: string
  try {
    code = (await transform(source, { loader: 'ts', format: 'esm', target: `node${process.versions.node}`, sourcemap: 'inline', sourcefile: name, keepNames: true })).code
  } catch (error) {
    const errors = ((error as { errors?: Message[] }).errors ?? []).map(compileError)
    return { errors: errors.length > 0 ? errors : [{ line: 1, column: 1, message: (error as Error).message }] }
  }
  if (key === undefined) return { javascript: code }
  try {
    mkdirSync(cacheDir, { recursive: true })
    const temporary = join(cacheDir, `${key}.${process.pid}.tmp`)
    writeFileSync(temporary, code)
    renameSync(temporary, join(cacheDir, `${key}.mjs`))
  } catch {
    // A cache that cannot be written only costs the next run a compile.
  }
  return { javascript: code }
}

/** What esbuild says of an error, as much as the grader uses. */
interface Message {
  text: string
  location: { line: number; column: number; lineText: string } | null
}

function compileError({ text, location }: Message): CompileError {
  if (!location) return { line: 1, column: 1, message: text }
  // esbuild's column counts bytes from 0; an editor counts characters from 1.
  const before = Buffer.from(location.lineText).subarray(0, location.column).toString('utf8')
  return { line: location.line, column: before.length + 1, message: text }
}
