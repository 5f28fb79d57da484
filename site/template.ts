// The HTML around every page: sidebar of lessons with the learner's marks, table of contents,
// previous/next links, theme toggle, the switch to the other language. Everything is local (no
// CDN; the Chinese web font is served from the site itself) so that the site opens offline, as
// the rest of netlings does.

import type { Lesson } from '../lessons/index.ts'
import { MARK_SYMBOLS as symbols, markOf, type ExerciseProgress, type Mark, type Progress } from '../checks/state/progress.ts'
import { escapeHtml, type Heading } from './render.ts'
import { tIn, type Lang } from '../checks/text/lang.ts'

export function markBadge(mark: Mark, entry?: ExerciseProgress, lang: Lang = 'en'): string {
  const t = tIn(lang)
  const words: Record<Mark, string> = { pass: t('passed'), fail: t('failed'), none: t('not tried') }
  let detail = words[mark]
  if (entry) {
    detail += t`, ${entry.passed}/${entry.total} checks`
    if (entry.starsTotal > 0) detail += `, ${entry.stars}/${entry.starsTotal} ⭐`
  }
  return `<span class="mark mark-${mark}" data-mark="${mark}" title="${escapeHtml(detail)}" aria-label="${escapeHtml(detail)}">${symbols[mark]}</span>`
}

export function lessonMark(progress: Progress, lesson: Lesson): Mark {
  const marks = lesson.exercises.map((e) => markOf(progress, lesson.id, e.id).mark)
  if (marks.every((m) => m === 'pass')) return 'pass'
  if (marks.some((m) => m !== 'none')) return 'fail'
  return 'none'
}

/** The lesson the learner should grade next: the first one not fully passed. */
export function nextLesson(progress: Progress, lessons: Lesson[]): Lesson | undefined {
  return lessons.find((lesson) => lessonMark(progress, lesson) !== 'pass')
}

export function lessonHref(lesson: Lesson): string {
  return `${lesson.slug}.html`
}

export interface PageArgs {
  title: string
  /** From this page to the site's root folder: '' or '../'. */
  root: string
  lessons: Lesson[]
  progress: Progress
  current?: Lesson
  body: string
  toc?: Heading[]
  prev?: { href: string; title: string }
  next?: { href: string; title: string }
  /** The page's language; English when not given. */
  lang?: Lang
  /** The same page in the other language. */
  switchTo?: { lang: Lang; href: string }
}

const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', 'zh-CN': '简体中文' }

function sidebar(args: PageArgs): string {
  const t = tIn(args.lang ?? 'en')
  const items = args.lessons
    .map((lesson) => {
      const here = lesson === args.current
      const exercises = lesson.exercises
        .map((exercise) => {
          const { mark, entry } = markOf(args.progress, lesson.id, exercise.id)
          return `<li>${markBadge(mark, entry, args.lang)} <a href="${args.root}${lessonHref(lesson)}#file-${exercise.id}">${escapeHtml(exercise.file)}</a></li>`
        })
        .join('')
      return `<li class="${here ? 'current' : ''}"><a class="lesson-link" href="${args.root}${lessonHref(lesson)}"${here ? ' aria-current="page"' : ''}><span class="num">${lesson.number}</span> ${escapeHtml(t(lesson.title))}</a><ul class="exercises">${exercises}</ul></li>`
    })
    .join('\n')
  return `<nav class="sidebar" id="sidebar" aria-label="${t('Lessons')}">
<a class="brand" href="${args.root}index.html">netlings</a>
<ol class="lesson-list">${items}</ol>
</nav>`
}

function toc(headings: Heading[], cls: string, lang: Lang): string {
  const t = tIn(lang)
  const items = headings
    .filter((h) => h.depth >= 2 && h.depth <= 3)
    .map((h) => `<li class="depth-${h.depth}"><a href="#${escapeHtml(h.id)}">${escapeHtml(h.title)}</a></li>`)
    .join('')
  return `<nav class="${cls}" aria-label="${t('On this page')}"><p class="toc-title">${t('On this page')}</p><ul>${items}</ul></nav>`
}

function pager(args: PageArgs): string {
  const t = tIn(args.lang ?? 'en')
  if (!args.prev && !args.next) return ''
  const prev = args.prev
    ? `<a class="prev" rel="prev" href="${args.prev.href}"><span>${t('← Previous')}</span>${escapeHtml(args.prev.title)}</a>`
    : '<span></span>'
  const next = args.next
    ? `<a class="next" rel="next" href="${args.next.href}"><span>${t('Next →')}</span>${escapeHtml(args.next.title)}</a>`
    : '<span></span>'
  return `<nav class="pager" aria-label="${t('Previous and next')}">${prev}${next}</nav>`
}

export function page(args: PageArgs): string {
  const lang = args.lang ?? 'en'
  const t = tIn(lang)
  const hasToc = args.toc && args.toc.length > 0
  // Chinese pages live one folder down, beside the English ones; the assets are shared.
  const assets = `${args.root}${lang === 'en' ? '' : '../'}assets/`
  const switcher = args.switchTo
    ? `<a class="lang-switch" href="${args.switchTo.href}" hreflang="${args.switchTo.lang}" lang="${args.switchTo.lang}">${LANGUAGE_NAMES[args.switchTo.lang]}</a>`
    : ''
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(args.title)} · netlings</title>
<link rel="stylesheet" href="${assets}style.css">
<script>
// Before first paint, so a dark-theme reader never sees a white flash.
try { const t = localStorage.getItem('netlings-theme'); if (t) document.documentElement.dataset.theme = t } catch {}
</script>
</head>
<body class="${hasToc ? 'with-toc' : ''}">
<header class="topbar">
<button class="menu-button" type="button" aria-controls="sidebar" aria-expanded="false">☰ <span>${t('Lessons')}</span></button>
<a class="brand" href="${args.root}index.html">netlings</a>
${switcher}
<button class="theme-button" type="button" title="${t('Switch light / dark theme')}" aria-label="${t('Switch light or dark theme')}">◐</button>
</header>
<div class="layout">
${sidebar(args)}
<main class="content" id="content">
${hasToc ? `<details class="toc-inline"><summary>${t('On this page')}</summary>${toc(args.toc!, 'toc-list', lang)}</details>` : ''}
${args.body}
${pager(args)}
</main>
${hasToc ? `<aside class="toc-aside">${toc(args.toc!, 'toc-list', lang)}</aside>` : ''}
</div>
<script src="${assets}site.js"></script>
</body>
</html>
`
}
