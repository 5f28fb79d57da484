// The type check beside a grading, in a process of its own (run/typecheck.ts starts it): the
// learner's files through the project's `typescript` with tsconfig.json's options, no emit.
// Plain JavaScript, so that node runs it as it is. Each file's errors go to its cache entry
// first, then all of them to stdout: the grader may have stopped listening by then, and the
// next run still finds them. It never prints anything else, and never lives past 20 seconds.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { setPriority } from 'node:os'
import { dirname, join } from 'node:path'
import ts from 'typescript'

setTimeout(() => process.exit(0), 20_000).unref()
process.stdout.on('error', () => {}) // the grader went on without us
try {
  setPriority(19) // the grading comes first: the lowest priority there is
} catch {
  // Not allowed here; the check just competes as equals.
}

/** @type {{ tsconfig: string; files: { file: string; key: string; entry: string }[] }} */
const job = JSON.parse(process.argv[2] ?? '{}')
const SHOWN = 3

const config = ts.getParsedCommandLineOfConfigFile(job.tsconfig, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} })
if (!config) process.exit(1)
const options = { ...config.options, noEmit: true, incremental: false, composite: false }
const host = ts.createCompilerHost(options)
// The grader runs every file inside a "type": "module" package, wherever it came from: the
// check reads it as an ES module too (imports, top-level await), as if that package.json
// stood beside it.
const beside = new Set(job.files.map(({ file }) => join(dirname(file), 'package.json')))
const { fileExists, readFile } = host
host.fileExists = (path) => beside.has(path) || fileExists.call(host, path)
host.readFile = (path) => (beside.has(path) ? '{ "type": "module" }' : readFile.call(host, path))

const program = ts.createProgram({ rootNames: job.files.map(({ file }) => file), options, host })
// One line, and nothing a terminal would take as a command.
const oneLine = (message) =>
  ts
    .flattenDiagnosticMessageText(message, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
    .trim()

const found = {}
for (const { file, key, entry } of job.files) {
  const source = program.getSourceFile(file)
  if (!source) continue
  // A syntax error is the compiler's to report (the program does not run); say nothing here.
  const errors =
    program.getSyntacticDiagnostics(source).length > 0
      ? []
      : program
          .getSemanticDiagnostics(source)
          .filter((d) => d.category === ts.DiagnosticCategory.Error && d.start !== undefined)
          .sort((a, b) => a.start - b.start)
  const first = errors.slice(0, SHOWN).map((d) => {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start)
    return { line: line + 1, column: character + 1, code: d.code, message: oneLine(d.messageText) }
  })
  const result = { count: errors.length, first }
  found[file] = result
  try {
    mkdirSync(dirname(entry), { recursive: true })
    const temporary = `${entry}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify({ key, ...result }))
    renameSync(temporary, entry)
  } catch {
    // A cache that cannot be written only costs the next run a check.
  }
}
process.stdout.write(JSON.stringify(found))
