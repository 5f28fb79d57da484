// npm run site: build the lesson site into site/dist, serve it on 127.0.0.1, and rebuild when
// a lesson, a solution, the site's own files or the learner's progress change.
// npm run site:build (--build-only): build once, check its links, exit.

import { readdirSync, renameSync, rmSync, watch, watchFile } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { projectRoot } from '../checks/engine/paths.ts'
import { progressFile, readProgress } from '../checks/state/progress.ts'
import { buildSite } from '../site/build.ts'
import { checkLinks } from '../site/check-links.ts'
import { serveDirectory } from '../site/serve.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4173' },
    out: { type: 'string', default: join(projectRoot, 'site', 'dist') },
    'build-only': { type: 'boolean', default: false },
  },
})
const outDir = values.out!

// Built aside and swapped in, so the server never answers from a half-written folder.
const staging = `${outDir}.next`

function build(): boolean {
  const started = performance.now()
  try {
    const { pages } = buildSite({ outDir: staging, progress: readProgress(progressFile) })
    const links = checkLinks(staging)
    rmSync(outDir, { recursive: true, force: true })
    renameSync(staging, outDir)
    for (const b of links.broken) console.error(`broken link on ${b.page}: ${b.href} (${b.reason})`)
    console.log(`built ${pages.length} pages into ${outDir} in ${Math.round(performance.now() - started)} ms; ${links.links} internal links, ${links.broken.length} broken`)
    return links.broken.length === 0
  } catch (error) {
    console.error('site build failed:', error)
    return false
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

if (values['build-only']) {
  process.exitCode = build() ? 0 : 1
} else {
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port wants a number from 0 to 65535, not ${values.port}`)
    process.exit(2)
  }
  build()
  let timer: NodeJS.Timeout | undefined
  const reasons = new Set<string>()
  // Editors save in bursts (write, rename, chmod): one rebuild per burst, naming every change.
  const rebuild = (why: string) => {
    reasons.add(why)
    clearTimeout(timer)
    timer = setTimeout(() => {
      console.log(`changed: ${[...reasons].join(', ')}`)
      reasons.clear()
      build()
    }, 150)
  }
  // One plain watcher per folder rather than { recursive: true }: on Linux, Node 20 sets up a
  // recursive watch's subfolders asynchronously, with no event to say when, so a save in the
  // first moments was missed. Plain watchers are in place before "serving" is printed.
  const watchTree = (dir: string) => {
    watch(dir, (_event, name) => rebuild(relative(projectRoot, join(dir, String(name ?? '')))))
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !/^dist/.test(entry.name)) watchTree(join(dir, entry.name)) // not our own output
    }
  }
  for (const dir of ['lessons', 'solutions', 'site']) watchTree(join(projectRoot, dir))
  // Polled, because the grader replaces the file by renaming, and it may not exist yet.
  // Only a new modification time counts: reading the file for a build moves its access time.
  watchFile(progressFile, { interval: 500 }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs) rebuild('progress')
  })
  const { url } = await serveDirectory(outDir, port)
  console.log(`serving the lesson site at ${url}  (Ctrl-C to stop)`)
}
