// The HTML around every page: sidebar of lessons with the learner's marks, table of contents,
// previous/next links, theme toggle. Everything is local (no CDN, no web fonts) so that the
// site opens offline, as the rest of netlings does.

import type { Lesson } from '../lessons/index.ts'
import { MARK_SYMBOLS as symbols, markOf, type ExerciseProgress, type Mark, type Progress } from '../checks/state/progress.ts'
import { escapeHtml, type Heading } from './render.ts'

const words: Record<Mark, string> = { pass: 'passed', fail: 'failed', none: 'not tried' }

export function markBadge(mark: Mark, entry?: ExerciseProgress): string {
  let detail = words[mark]
  if (entry) {
    detail += `, ${entry.passed}/${entry.total} checks`
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
}

function sidebar(args: PageArgs): string {
  const items = args.lessons
    .map((lesson) => {
      const here = lesson === args.current
      const exercises = lesson.exercises
        .map((exercise) => {
          const { mark, entry } = markOf(args.progress, lesson.id, exercise.id)
          return `<li>${markBadge(mark, entry)} <a href="${args.root}${lessonHref(lesson)}#file-${exercise.id}">${escapeHtml(exercise.file)}</a></li>`
        })
        .join('')
      return `<li class="${here ? 'current' : ''}"><a class="lesson-link" href="${args.root}${lessonHref(lesson)}"${here ? ' aria-current="page"' : ''}><span class="num">${lesson.number}</span> ${escapeHtml(lesson.title)}</a><ul class="exercises">${exercises}</ul></li>`
    })
    .join('\n')
  return `<nav class="sidebar" id="sidebar" aria-label="Lessons">
<a class="brand" href="${args.root}index.html">netlings</a>
<ol class="lesson-list">${items}</ol>
</nav>`
}

function toc(headings: Heading[], cls: string): string {
  const items = headings
    .filter((h) => h.depth >= 2 && h.depth <= 3)
    .map((h) => `<li class="depth-${h.depth}"><a href="#${escapeHtml(h.id)}">${escapeHtml(h.title)}</a></li>`)
    .join('')
  return `<nav class="${cls}" aria-label="On this page"><p class="toc-title">On this page</p><ul>${items}</ul></nav>`
}

function pager(args: PageArgs): string {
  if (!args.prev && !args.next) return ''
  const prev = args.prev
    ? `<a class="prev" rel="prev" href="${args.prev.href}"><span>← Previous</span>${escapeHtml(args.prev.title)}</a>`
    : '<span></span>'
  const next = args.next
    ? `<a class="next" rel="next" href="${args.next.href}"><span>Next →</span>${escapeHtml(args.next.title)}</a>`
    : '<span></span>'
  return `<nav class="pager" aria-label="Previous and next">${prev}${next}</nav>`
}

export function page(args: PageArgs): string {
  const hasToc = args.toc && args.toc.length > 0
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(args.title)} · netlings</title>
<link rel="stylesheet" href="${args.root}assets/style.css">
<script>
// Before first paint, so a dark-theme reader never sees a white flash.
try { const t = localStorage.getItem('netlings-theme'); if (t) document.documentElement.dataset.theme = t } catch {}
</script>
</head>
<body class="${hasToc ? 'with-toc' : ''}">
<header class="topbar">
<button class="menu-button" type="button" aria-controls="sidebar" aria-expanded="false">☰ <span>Lessons</span></button>
<a class="brand" href="${args.root}index.html">netlings</a>
<button class="theme-button" type="button" title="Switch light / dark theme" aria-label="Switch light or dark theme">◐</button>
</header>
<div class="layout">
${sidebar(args)}
<main class="content" id="content">
${hasToc ? `<details class="toc-inline"><summary>On this page</summary>${toc(args.toc!, 'toc-list')}</details>` : ''}
${args.body}
${pager(args)}
</main>
${hasToc ? `<aside class="toc-aside">${toc(args.toc!, 'toc-list')}</aside>` : ''}
</div>
<script src="${args.root}assets/site.js"></script>
</body>
</html>
`
}
