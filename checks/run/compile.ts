// A learner's TypeScript as JavaScript, compiled once per content, so that plain node runs it.

import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, sep } from 'node:path'
import { inProject } from '../engine/paths.ts'

/**
 * A TypeScript file as JavaScript, compiled once per content the way tsx compiles it at every
 * start (esbuild, ESM, this node as target, names kept, an inline source map so that stack
 * traces name the .ts file and its lines). Plain node then starts a program ~0.12 s sooner
 * than node with tsx's loader, and a verdict starts a program up to nine times. Undefined
 * when esbuild cannot compile it: the program then runs with tsx, whose message about the
 * syntax error the learner gets exactly as from `npx tsx`.
 */
const compiled = new Map<string, Promise<string | undefined>>()

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

export function compileTypeScript(file: string): Promise<string | undefined> {
  const source = readFileSync(file, 'utf8')
  const key = createHash('sha256').update(`${basename(file)}\0${process.version}\0${esbuildVersion()}\0${source}`).digest('hex')
  let code = compiled.get(key)
  if (!code) {
    code = (cached(file) ? fromCache(key) : undefined) ?? compile(source, basename(file), cached(file) ? key : undefined)
    compiled.set(key, code)
  }
  return code
}

function fromCache(key: string): Promise<string> | undefined {
  try {
    return Promise.resolve(readFileSync(join(cacheDir, `${key}.mjs`), 'utf8'))
  } catch {
    return undefined
  }
}

async function compile(source: string, name: string, key: string | undefined): Promise<string | undefined> {
  // esbuild is loaded only once a program is to run: `hint` and `menu` never pay for it.
  const { transform } = await import('esbuild')
  let code: string
  try {
    code = (await transform(source, { loader: 'ts', format: 'esm', target: `node${process.versions.node}`, sourcemap: 'inline', sourcefile: name, keepNames: true })).code
  } catch {
    return undefined // tsx will run it, and say what is wrong in its own words
  }
  if (key === undefined) return code
  try {
    mkdirSync(cacheDir, { recursive: true })
    const temporary = join(cacheDir, `${key}.${process.pid}.tmp`)
    writeFileSync(temporary, code)
    renameSync(temporary, join(cacheDir, `${key}.mjs`))
  } catch {
    // A cache that cannot be written only costs the next run a compile.
  }
  return code
}
