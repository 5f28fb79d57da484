// netlings <command> [arguments]: the one front door, like `rustlings <command>`. The npm
// scripts (npm run check, npm run hint, npm start, …) all come through here, by way of
// bin/netlings.mjs, which starts it as plain JavaScript.

import { chooseLang, langFlag, LangError, setLang, t, withoutLangFlag } from '../text/lang.ts'
import { runCommand, UsageError, type Command } from './kit.ts'

/** Loaded on demand: `hint` need not load the grader. */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  check: () => import('./check.ts'),
  watch: () => import('./watch.ts'),
  hint: () => import('./hint.ts'),
  reset: () => import('./reset.ts'),
  peer: () => import('./peer.ts'),
  merge: () => import('./merge.ts'),
  menu: () => import('./menu.ts'),
  'dev-check': () => import('./dev-check.ts'),
}

async function listing(): Promise<string> {
  const lines = [t('Usage: npx netlings <command> [arguments]   (or npm run <command> -- [arguments])'), '', t('Commands:')]
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${(await load()).command.summary}`)
  lines.push('', t('Every command takes --lang en|zh-CN: English or 简体中文.'), t('npx netlings <command> --help says more about one.'))
  return lines.join('\n')
}


async function main(given: string[]): Promise<number> {
  try {
    setLang(chooseLang(langFlag(given)))
  } catch (error) {
    if (!(error instanceof LangError)) throw error
    process.stderr.write(`netlings: ${error.message}\n`)
    return 2
  }
  const argv = withoutLangFlag(given)
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await listing()}\n`)
    return name === undefined ? 2 : 0
  }
  const load = COMMANDS[name]
  if (!load) {
    process.stderr.write(`netlings: ${t`there is no command "${name}".`}\n\n${await listing()}\n`)
    return 2
  }
  return runCommand((await load()).command, rest)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
    // Everything was disposed; should a stray handle remain, it must not hold the terminal.
    setTimeout(() => process.exit(), 2000).unref()
  },
  (error: unknown) => {
    process.stderr.write(`netlings: ${error instanceof Error ? error.message : String(error)}\n${t('This is a bug in netlings.')}\n`)
    process.exitCode = 3
  },
)
