// Builds the lesson site into a folder: a home page, one page per lesson (README, starter
// files, hidden solutions) and a page per repository file a README links to, in English at
// the top and in 简体中文 under zh-CN/, each page with a switch to the same page in the other
// language. Progress is an argument, not a file read here, so that a test can hand in any
// verdicts it likes.

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { lessons as allLessons, type Lesson } from '../lessons/index.ts'
import type { Progress } from '../checks/state/progress.ts'
import { projectRoot } from '../checks/engine/paths.ts'
import { codeBlock, escapeHtml, renderMarkdown, type Heading } from './render.ts'
import { markOf } from '../checks/state/progress.ts'
import { lessonHref, lessonMark, markBadge, nextLesson, page } from './template.ts'
import { LANGS, tIn, type Lang } from '../checks/text/lang.ts'
import { CHINESE_README, chineseParts, withoutSyncLines } from '../lessons/translation.ts'
import { fontFaces } from './fonts.ts'

const siteDir = join(projectRoot, 'site')

export interface BuildOptions {
  outDir: string
  progress: Progress
  /** The checkout to read lessons and solutions from. */
  root?: string
  lessons?: Lesson[]
}

export interface BuildResult {
  /** Paths of the written HTML pages, relative to outDir. */
  pages: string[]
}

const imageTypes = /\.(png|jpe?g|gif|svg|webp)$/i

function diagram(name: string, caption: string): string {
  const svg = readFileSync(join(siteDir, 'diagrams', `${name}.svg`), 'utf8').replace(/<\?xml[^>]*>\s*/, '')
  return `<figure class="diagram">${svg}<figcaption>${caption}</figcaption></figure>`
}

function afterTitle(html: string, insert: string): string {
  return html.replace(/<\/h1>\n/, (m) => `${m}${insert}\n`)
}

function afterHeading(html: string, id: string, insert: string): string {
  const re = new RegExp(`(<h[1-6] id="${id}">.*?</h[1-6]>\n)`)
  return html.replace(re, (m) => `${m}${insert}\n`)
}

function nextCommand(lang: Lang, progress: Progress, lessons: Lesson[]): string {
  const t = tIn(lang)
  const next = nextLesson(progress, lessons)
  if (!next) return `<p class="next-command">${t`Every lesson passes. Try the ⭐ stretch checks, or grade them all again: ${'<code>npm run check -- all</code>'}`}</p>`
  return `<p class="next-command">${t`Run next: ${`<code>npm run check ${next.id}</code>`}`} <span class="muted">(${escapeHtml(t(next.title))})</span></p>`
}

/** Where a language's pages go, from the site's root. */
export const langDir = (lang: Lang) => (lang === 'en' ? '' : `${lang}/`)

export function buildSite(options: BuildOptions): BuildResult {
  const root = options.root ?? projectRoot
  const lessons = options.lessons ?? allLessons
  const { outDir, progress } = options
  const pages: string[] = []

  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(join(outDir, 'assets'), { recursive: true })
  copyFileSync(join(siteDir, 'site.js'), join(outDir, 'assets', 'site.js'))
  for (const lang of LANGS) buildLanguage(lang, { ...options, root, lessons }, pages)
  // The Chinese web font, last: only the parts of it that hold a character the pages use.
  const used = new Set<number>()
  for (const relative of pages) for (const char of readFileSync(join(outDir, relative), 'utf8')) used.add(char.codePointAt(0)!)
  const fonts = fontFaces(used, join(outDir, 'assets', 'fonts'))
  writeFileSync(join(outDir, 'assets', 'style.css'), `${fonts}\n${readFileSync(join(siteDir, 'style.css'), 'utf8')}`)
  return { pages }
}

function buildLanguage(lang: Lang, options: Required<Pick<BuildOptions, 'root' | 'lessons'>> & BuildOptions, pages: string[]): void {
  const { root, lessons, outDir, progress } = options
  const t = tIn(lang)
  const dir = langDir(lang)
  /** The same page in the other language, from this one. */
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en'
  const switchTo = (relative: string) => ({ lang: other, href: `${'../'.repeat(relative.split('/').length - 1 + dir.split('/').length - 1)}${langDir(other)}${relative}` })

  const write = (relative: string, html: string) => {
    const file = join(outDir, dir, relative)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, html)
    pages.push(`${dir}${relative}`)
  }
  // Chinese pages are one folder down; the assets are shared.
  const up = dir ? '../' : ''

  // Repository files the READMEs link to, published as highlighted source pages.
  const sourceFiles = new Set<string>()
  const sourceHref = (repoPath: string) => `source/${repoPath}.html`
  const common = { lessons, progress, lang }

  lessons.forEach((lesson, index) => {
    const chinese = lang === 'zh-CN' && existsSync(join(root, 'lessons', lesson.slug, CHINESE_README))
    const readmePath = `lessons/${lesson.slug}/${chinese ? CHINESE_README : 'README.md'}`
    const resolve = (target: string, kind: 'link' | 'image'): string => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('//')) return target
      const [pathPart = '', hash] = target.split('#', 2)
      const repoPath = posix.normalize(posix.join(posix.dirname(readmePath), decodeURI(pathPart)))
      const suffix = hash ? `#${hash}` : ''
      const lessonMatch = /^lessons\/([^/]+)(?:\/(README(?:\.zh-CN)?\.md)?)?$/.exec(repoPath)
      const linked = lessonMatch && lessons.find((l) => l.slug === lessonMatch[1])
      if (linked) return lessonHref(linked) + suffix
      const fileMatch = /^(?:lessons|solutions)\/([^/]+)\/([^/]+)$/.exec(repoPath)
      const owner = fileMatch && lessons.find((l) => l.slug === fileMatch[1])
      const exercise = owner?.exercises.find((e) => e.file === fileMatch![2])
      if (owner && exercise) return `${lessonHref(owner)}#file-${exercise.id}`
      const absolute = join(root, repoPath)
      if (!existsSync(absolute) || !statSync(absolute).isFile()) return target // the link checker reports it
      if (kind === 'image' || imageTypes.test(repoPath)) {
        const name = `assets/files/${repoPath}`
        mkdirSync(dirname(join(outDir, name)), { recursive: true })
        copyFileSync(absolute, join(outDir, name))
        return name
      }
      sourceFiles.add(repoPath)
      return sourceHref(repoPath) + suffix
    }

    const source = readFileSync(join(root, readmePath), 'utf8')
    // A Chinese heading takes the anchor of the English section it translates: a link to
    // #tcp-is-a-byte-stream lands in the same section in either language.
    let { html, headings } = chinese ? renderMarkdown(withoutSyncLines(source), resolve, chineseParts(source).map((part) => part.anchor)) : renderMarkdown(source, resolve)

    if (lesson.number === 1 || lesson.number === 2) {
      html = afterTitle(
        html,
        diagram('socket-lifecycle', t('The life of a socket: the server creates, binds, listens and accepts; the client creates and connects; both then send, receive and close.')),
      )
      html = afterHeading(
        html,
        'tcp-is-a-byte-stream',
        diagram('tcp-byte-stream', t('TCP keeps the order of the bytes, not the edges of the writes: two writes can arrive as three reads, or as one.')),
      )
    }
    if (lesson.slug === 'lesson-4-image-server' && existsSync(join(root, 'lessons', lesson.slug, 'beauty.png'))) {
      copyFileSync(join(root, 'lessons', lesson.slug, 'beauty.png'), join(outDir, 'assets', 'beauty.png'))
      html = afterTitle(
        html,
        `<figure class="picture"><img src="${up}assets/beauty.png" alt="${escapeHtml(t('beauty.png: an evening sky with a sun, clouds, hills and a lake'))}" width="640"><figcaption>${t`${'<code>beauty.png</code>'}, the picture your server sends, byte for byte.`}</figcaption></figure>`,
      )
    }

    const status = `<div class="lesson-status">${lesson.exercises
      .map((e) => {
        const { mark, entry } = markOf(progress, lesson.id, e.id)
        return `<a href="#file-${e.id}">${markBadge(mark, entry)} ${escapeHtml(e.file)}</a>`
      })
      .join('')}<code class="command">npm run check ${lesson.id}</code></div>`
    html = afterTitle(html, status)

    const files = lesson.exercises
      .map((exercise) => {
        const { mark, entry } = markOf(progress, lesson.id, exercise.id)
        const starter = readFileSync(join(root, 'lessons', lesson.slug, exercise.file), 'utf8')
        const solutionPath = join(root, 'solutions', lesson.slug, exercise.file)
        const solution = existsSync(solutionPath)
          ? `<details class="solution"><summary>${t`Show solution: ${`<code>solutions/${lesson.slug}/${escapeHtml(exercise.file)}</code>`}`}</summary>${codeBlock(readFileSync(solutionPath, 'utf8'), 'ts')}</details>`
          : ''
        const hints = exercise.hints.length
          ? `<details class="hints"><summary>${t('Hints')}</summary><ol>${exercise.hints.map((h) => `<li>${escapeHtml(t(h))}</li>`).join('')}</ol></details>`
          : ''
        return `<section class="exercise" id="file-${exercise.id}">
<h3>${markBadge(mark, entry)} ${exercise.number} <code>${escapeHtml(exercise.file)}</code></h3>
<p>${t`${escapeHtml(t(exercise.title))}. Edit ${`<code>lessons/${lesson.slug}/${escapeHtml(exercise.file)}</code>`}, then run ${`<code>npm run check -- ${lesson.id} ${exercise.id}</code>`}.`}</p>
${hints}
<details class="starter" open><summary>${t`Starter file: ${`<code>${escapeHtml(exercise.file)}</code>`}`}</summary>${codeBlock(starter, 'ts')}</details>
${solution}
</section>`
      })
      .join('\n')
    const filesHeading: Heading = { id: 'your-files', title: t('Your files'), depth: 2 }
    html += `\n<h2 id="your-files">${escapeHtml(filesHeading.title)}</h2>\n${files}`
    headings = [...headings, filesHeading]

    const prev = lessons[index - 1]
    const next = lessons[index + 1]
    write(
      lessonHref(lesson),
      page({
        ...common,
        title: t`Lesson ${lesson.number} · ${t(lesson.title)}`,
        root: '',
        current: lesson,
        body: `<article class="markdown">${html}</article>`,
        toc: headings,
        prev: prev ? { href: lessonHref(prev), title: `${prev.number}. ${t(prev.title)}` } : { href: 'index.html', title: t('Home') },
        next: next ? { href: lessonHref(next), title: `${next.number}. ${t(next.title)}` } : undefined,
        switchTo: switchTo(lessonHref(lesson)),
      }),
    )
  })

  for (const repoPath of sourceFiles) {
    const relative = sourceHref(repoPath)
    const depth = relative.split('/').length - 1
    const language = /\.(ts|mts|js|mjs)$/.test(repoPath) ? 'ts' : /\.json$/.test(repoPath) ? 'json' : /\.sh$/.test(repoPath) ? 'sh' : undefined
    write(
      relative,
      page({
        ...common,
        title: repoPath,
        root: '../'.repeat(depth),
        switchTo: switchTo(relative),
        body: `<article class="markdown"><h1><code>${escapeHtml(repoPath)}</code></h1>${codeBlock(readFileSync(join(root, repoPath), 'utf8'), language)}</article>`,
      }),
    )
  }

  write(
    'index.html',
    page({ ...common, title: t('Home'), root: '', body: homeBody(lang, lessons, progress), next: lessons[0] ? { href: lessonHref(lessons[0]), title: `1. ${t(lessons[0].title)}` } : undefined, switchTo: switchTo('index.html') }),
  )
}

/** The first commands, in the page's language. npm takes a --lang before its `--` as its own
 * option, so the Chinese command puts the `--` first. */
function commands(lang: Lang): string {
  const t = tIn(lang)
  const lines: [string, string][] = [
    ['npm install', ''],
    [lang === 'en' ? 'npm run check lesson-1' : 'npm run check -- lesson-1 --lang zh-CN', t('grade lessons/lesson-1-server-basics/server.ts')],
    ['npm run site', t('this site, rebuilt as you work')],
  ]
  const width = Math.max(...lines.map(([command]) => command.length)) + 6
  return lines.map(([command, comment]) => (comment ? `${command.padEnd(width)}# ${comment}` : command)).join('\n')
}

function homeBody(lang: Lang, lessons: Lesson[], progress: Progress): string {
  const t = tIn(lang)
  const rows = lessons
    .map((lesson) => {
      const exercises = lesson.exercises
        .map((e) => {
          const { mark, entry } = markOf(progress, lesson.id, e.id)
          return `<li>${markBadge(mark, entry, lang)} <a href="${lessonHref(lesson)}#file-${e.id}"><code>${escapeHtml(e.file)}</code></a> <span class="muted">${escapeHtml(t(e.title))}</span></li>`
        })
        .join('')
      return `<li class="lesson-card">${markBadge(lessonMark(progress, lesson), undefined, lang)}<div><h3><a href="${lessonHref(lesson)}">${escapeHtml(t`Lesson ${lesson.number} · ${t(lesson.title)}`)}</a></h3><ul class="exercise-list">${exercises}</ul><p class="muted">${t`Port ${lesson.port}`} · <code>npm run check ${lesson.id}</code></p></div></li>`
    })
    .join('\n')
  return `<article class="markdown home">
<h1>netlings</h1>
<p class="lead">${t`Runnable lessons in socket programming on Node.js, in TypeScript: like rustlings, but for the network. Each lesson is a README and a starter file with TODOs. You edit the file, run ${'<code>npm run check</code>'}, and a grader starts your program against real test clients and servers on your own machine, then tells you what works, what does not, and where to read about it.`}</p>
${diagram('socket-lifecycle', t('What the lessons build: both ends of a TCP connection.'))}
<h2 id="how-to-start">${t('How to start')}</h2>
<p>${t`Node 20.10 or newer. Nothing here needs the internet after ${'<code>npm install</code>'}.`}</p>
${codeBlock(commands(lang), 'sh')}
<p>${t('Open a lesson below, read it, and fill in the TODOs of its starter file in your editor. Run the check whenever you want a verdict; this page shows the last one of each exercise (✓ passed, ✗ failed, ○ not tried yet).')}</p>
${nextCommand(lang, progress, lessons)}
<h2 id="lessons">${t('Lessons')}</h2>
<ol class="lesson-cards">${rows}</ol>
</article>`
}
