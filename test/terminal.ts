// A program run in a pseudo-terminal, as a learner runs it: util-linux's `script` gives it a
// tty for stdin, stdout and stderr, and a test types keys into it and reads the screen. No
// native module needed; `script` is in every Debian (bsdutils is essential).

import { spawn, spawnSync } from 'node:child_process'
import { Screen } from './screen.ts'

export const hasScript = spawnSync('script', ['--version']).status === 0

export interface Terminal {
  /** Everything written so far, escape codes included. */
  raw(): string
  /** What the screen shows now. */
  screen(): Screen
  type(keys: string): void
  /** Waits until the output after `from` (an offset in raw()), escape codes left out, matches
   * `pattern`. */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<void>
  exited: Promise<number | null>
  kill(): void
}

/** Text without its CSI escape sequences (colours, cursor moves). */
export const plain = (text: string) => text.replace(/\x1b\[[?]?[\d;]*[A-Za-z]/g, '')

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`

/**
 * Runs `argv` in a terminal of `columns`×`rows`. `after` is shell run once it ends, in the same
 * terminal (to ask stty whether the program gave the terminal back as it found it).
 */
export function inTerminal(argv: string[], options: { cwd: string; env?: Record<string, string>; columns?: number; rows?: number; after?: string }): Terminal {
  const size = `stty cols ${options.columns ?? 100} rows ${options.rows ?? 30}`
  const shell = `${size}; ${argv.map(quote).join(' ')}; status=$?; ${options.after ?? ':'}; exit $status`
  const child = spawn('script', ['--quiet', '--flush', '--return', '--command', shell, '/dev/null'], {
    cwd: options.cwd,
    env: { ...process.env, TERM: 'xterm-256color', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // its own process group, so kill() takes the shell and the program too
  })
  let raw = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => (raw += chunk))
  child.stderr.on('data', (chunk: Buffer) => (raw += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const screen = () => {
    const shown = new Screen(options.columns ?? 100)
    shown.write(raw)
    return shown
  }
  return {
    raw: () => raw,
    screen,
    type: (keys) => void child.stdin.write(keys),
    waitFor: async (pattern, ms = 20_000, from = 0) => {
      const deadline = Date.now() + ms
      // Against the text without escape codes: colours must not split what a test looks for.
      while (!pattern.test(plain(raw.slice(from)))) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; the screen was:\n${screen().text()}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    },
    exited,
    kill: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // Already gone.
      }
    },
  }
}
