// Direct harness for the race behind "printed 1388 of the 1500 items … then exited with code 0":
// the grader learns of a program's exit before it has read the program's last output, and a
// long event-loop iteration then lets a timer end stdout before the poll phase reads the rest.
//
// How the exit gets seen before the output: libuv reaps every exited child (waitpid on each)
// when any SIGCHLD is handled, and handles signals after the other fds of an epoll batch. Here
// a helper program (`printf b`) exits while the grader is busy; in the next batch its stdout
// callback blocks the grader for BLOCK ms, during which the printer prints LINES lines and
// exits; then the helper's SIGCHLD reaps both. The printer's exit is seen, its output is not
// in this batch, and the grader stays busy for BLOCK ms more (another grading's CPU work, or
// simply no CPU on a loaded machine). The next iteration runs its timers before its poll
// phase: the 200 ms timer ends stdout while all of the output waits in the socket.
//
//   node --import tsx scripts/overload-drain.ts [runs=20] [blockMs=400]
// Counts the runs where stdout was ended with lines missing.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileTypeScript } from '../checks/run/compile.ts'
import { Program } from '../checks/run/program.ts'

const runs = Number(process.argv[2] ?? 20)
const blockMs = Number(process.argv[3] ?? 400)
const LINES = 1000

const dir = mkdtempSync(join(tmpdir(), 'overload-'))
const printer = join(dir, 'printer.ts')
writeFileSync(
  printer,
  [
    `console.log('ready')`,
    `process.stdin.once('data', () => {`,
    // One write: 1500 small writes would fill the socket's send buffer (each costs ~1 KB of it).
    `  console.log(Array.from({ length: ${LINES} }, (_, i) => \`item \${i}: \${'x'.repeat(60)}\`).join('\\n'))`,
    `  process.exit(0)`,
    `})`,
  ].join('\n'),
)
const { javascript } = await compileTypeScript(printer)

const busy = (ms: number) => {
  const until = Date.now() + ms
  while (Date.now() < until);
}
const until = (test: () => boolean) =>
  new Promise<void>((resolve) => {
    const timer = setInterval(() => test() && (clearInterval(timer), resolve()), 5)
  })

let wrong = 0
let late = 0
for (let run = 1; run <= runs; run++) {
  const program = new Program({ file: printer, env: {}, label: 'the printer', javascript })
  await until(() => program.stdout.lines.includes('ready'))
  const helper = new Program({ file: printer, env: {}, label: 'the helper', command: 'printf b' })
  const off = helper.stdout.watch(() => {
    if (helper.stdout.bytes === 0) return
    off()
    program.writeInput('go\n')
    busy(blockMs) // the printer prints and exits meanwhile
  })
  // The SIGCHLD of the helper reaps both; its exit and drain take the iteration on, and work
  // right after it (another grading's) keeps the loop from polling for BLOCK ms.
  void helper.exited.then(() => busy(blockMs))
  busy(150) // the helper prints and exits meanwhile: its output and its SIGCHLD wait for the same batch
  const status = await program.exited
  const atEnd = program.stdout.lines.length - 1 // without "ready"
  await new Promise((resolve) => setTimeout(resolve, 300))
  const after = program.stdout.lines.length - 1 - atEnd
  if (atEnd !== LINES) wrong++
  if (after > 0) late++
  console.log(`run ${run}: exit ${status.code}, lines when stdout ended ${atEnd}/${LINES}, lines that arrived after end() ${after}${atEnd !== LINES ? '  <-- WRONG' : ''}`)
  await Promise.all([program.stop(), helper.stop()])
}
console.log(`block ${blockMs} ms: stdout ended with lines missing in ${wrong} of ${runs} runs (lines arrived after end() in ${late})`)
process.exit(0)
