#!/usr/bin/env node
// netlings <command>: the grader, started as plain JavaScript. Its TypeScript sources are
// bundled by esbuild into one file under node_modules/.cache/netlings/, and bundled again
// whenever one of them changes (their sizes and mtimes are kept beside the bundle), so the
// bundle is never stale and a start pays neither tsx's loader nor a compile. Set
// NETLINGS_FROM_SOURCE=1 to run the TypeScript directly through tsx instead.

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'checks', 'commands', 'netlings.ts')
// NETLINGS_BUNDLE_DIR moves it (the tests build into a folder of their own), but it must stay
// inside the project: the bundle finds its packages in the node_modules above it.
const outDir = process.env.NETLINGS_BUNDLE_DIR ?? join(root, 'node_modules', '.cache', 'netlings')
const bundle = join(outDir, 'netlings.mjs')
const manifest = join(outDir, 'netlings.inputs.json')

/** Every input the bundle was built from, as it was then: [mtime, size]. */
function fresh() {
  let recorded
  try {
    recorded = JSON.parse(readFileSync(manifest, 'utf8'))
  } catch {
    return false
  }
  if (recorded.node !== process.version || recorded.bundle !== statSync(bundle, { throwIfNoEntry: false })?.size) return false
  for (const [file, [mtime, size]] of Object.entries(recorded.inputs)) {
    const now = statSync(join(root, file), { throwIfNoEntry: false })
    if (!now || now.mtimeMs !== mtime || now.size !== size) return false
  }
  return true
}

/** Bundles into a file of this process's own, then renames: a second grader starting at the
 * same moment reads one whole bundle or the other, never half of one. */
async function build() {
  const { build } = await import('esbuild')
  mkdirSync(outDir, { recursive: true })
  const temporary = `${bundle}.${process.pid}.tmp`
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    // The small pure packages go into the bundle (CommonJS ones cost a lexer pass per start
    // when imported from ESM); the rest are loaded from node_modules, and only when used.
    external: ['esbuild', 'prompts', 'tsx', 'tsx/*', 'typescript'],
    banner: { js: "import { createRequire as __netlingsRequire } from 'node:module'; const require = __netlingsRequire(import.meta.url);" },
    keepNames: true,
    // Beside the bundle, read only by node --enable-source-maps: a grader bug's stack trace can
    // name the TypeScript, and a start does not parse half a megabyte of map.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
  })
  const inputs = {}
  const files = [...Object.keys(result.metafile.inputs), 'bin/netlings.mjs']
  // This file too: how the bundle is built is part of what it is. And the folders that hold the
  // inputs: a lesson's checks are imported by a pattern (../lessons/${id}/${file}.ts), which
  // takes in the files there at build time, so a new file changes only its folder's mtime.
  const folders = new Set(files.filter((file) => !file.startsWith('node_modules/')).map((file) => dirname(file)))
  for (const file of [...files, ...folders]) {
    const stat = statSync(join(root, file))
    inputs[file] = [stat.mtimeMs, stat.size]
  }
  renameSync(`${temporary}.map`, `${bundle}.map`)
  renameSync(temporary, bundle)
  const record = `${manifest}.${process.pid}.tmp`
  writeFileSync(record, JSON.stringify({ node: process.version, bundle: statSync(bundle).size, inputs }))
  renameSync(record, manifest)
}

async function start() {
  if (process.env.NETLINGS_FROM_SOURCE) return fromSource()
  if (!fresh()) {
    try {
      await build()
    } catch {
      // A source that does not compile (a maintainer mid-edit): tsx says what and where.
      return fromSource()
    }
  }
  await import(pathToFileURL(bundle).href)
}

async function fromSource() {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(entry).href)
}

await start()
