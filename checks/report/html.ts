// The class page: one HTML file that works offline (its style and script inline, nothing
// fetched), a row per student and a column per exercise, ✓/✗/⭐ and the points in each cell,
// sortable by any column. A cell opens that exercise's report exactly as the text report
// prints it. Every word of it that a student wrote (a folder's name, a program's output) is
// data: HTML-escaped, its control characters shown as \x1b, and a Content-Security-Policy that
// lets no script run but the page's own, in case anything slipped through.

import { createHash } from 'node:crypto'
import type { ExerciseResult, RunResult } from '../engine/results.ts'
import { cellLabel, passedRequired, stars } from './class.ts'
import { escapeControl } from '../text/bytes.ts'
import { classGrid } from './grid.ts'
import { renderExercise } from './text.ts'
import { lang, t } from '../text/lang.ts'

/** Characters a terminal or a browser would act on, or that hide or reorder text: C0 and C1
 * controls but tab and newline, bidirectional overrides, zero widths. Shown as escapes. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

export function visible(text: string): string {
  // As the text report escapes them (text/bytes.ts): \x1b, \u0085, \u202e.
  return text.replace(INVISIBLE, escapeControl)
}

export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A folder's path as a shell reads it back: the teacher may paste the re-run line. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
.summary { color: #555; margin: 0 0 1rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d8d8d8; padding: 0; text-align: left; }
th[scope=row] { padding: .3rem .6rem; font-weight: 600; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 20rem; }
td.total { padding: .3rem .6rem; font-variant-numeric: tabular-nums; }
thead button, td button { font: inherit; border: 0; background: none; padding: .3rem .6rem; width: 100%; text-align: left; cursor: pointer; }
thead button { font-weight: 600; }
thead th[aria-sort=ascending] button::after { content: ' ▲'; }
thead th[aria-sort=descending] button::after { content: ' ▼'; }
td.pass { background: #e7f6ea; } td.fail { background: #fdeaea; }
td button:hover, td button:focus, thead button:hover { outline: 2px solid #4b7bec; }
td.open { box-shadow: inset 0 0 0 2px #4b7bec; }
#report { margin-top: 1.5rem; }
#report h2 { font-size: 1.1rem; }
#report pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; white-space: pre; font: 13px/1.4 ui-monospace, monospace; }
`

/** Sorting and opening, with nothing but the page's own elements; a report's text is copied as
 * text, never parsed as markup. */
const SCRIPT = `
const table = document.getElementById('grid')
const body = table.tBodies[0]
table.tHead.addEventListener('click', (event) => {
  const th = event.target.closest('th')
  if (!th) return
  const index = [...th.parentNode.children].indexOf(th)
  const descending = th.getAttribute('aria-sort') === 'ascending'
  for (const other of th.parentNode.children) other.removeAttribute('aria-sort')
  th.setAttribute('aria-sort', descending ? 'descending' : 'ascending')
  const key = (row) => row.children[index].dataset.value
  const numeric = th.dataset.kind === 'number'
  const rows = [...body.rows].sort((a, b) => {
    const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b))
    return descending ? -order : order
  })
  body.append(...rows)
})
body.addEventListener('click', (event) => {
  const button = event.target.closest('td button')
  if (!button) return
  for (const cell of body.querySelectorAll('td.open')) cell.classList.remove('open')
  button.parentNode.classList.add('open')
  const report = document.getElementById('report')
  document.getElementById('report-title').textContent = button.dataset.title
  document.getElementById('report-text').textContent = document.getElementById(button.dataset.report).textContent
  report.hidden = false
  report.scrollIntoView({ block: 'nearest' })
})
`

export function renderHtml(result: RunResult): string {
  const grid = classGrid(result)
  const total = grid.worth.reduce((sum, points) => sum + points, 0)
  const reports: string[] = []
  const head = [
    `<th data-kind="text"><button type="button">${t('student')}</button></th>`,
    ...grid.columns.map((column, i) => `<th data-kind="number"><button type="button">${escapeHtml(column)} <small>/${grid.worth[i]}</small></button></th>`),
    `<th data-kind="number"><button type="button">${t('points')} <small>/${total}</small></button></th>`,
  ]
  const rows = grid.rows.map((row) => {
    const cells = row.cells.map((e, i) => {
      if (!e) return '<td data-value="-1"></td>'
      const id = `report-${reports.length}`
      const rerun = ['npx netlings check', e.lesson, e.exercise, ...(row.submission ? ['--dir', shellWord(row.submission)] : [])].join(' ')
      const text = renderExercise(e, { color: false, rerun }).join('\n')
      reports.push(`<pre id="${id}">${escapeHtml(text)}</pre>`)
      const title = `${row.name || t('submission')} · ${grid.columns[i]}`
      // Points first, stars as a fraction: a full score with a star sorts above one without.
      const value = passedRequired(e) + stars(e) / 100
      return `<td class="${e.passed ? 'pass' : 'fail'}" data-value="${value}"><button type="button" data-report="${id}" data-title="${escapeHtml(title)}">${escapeHtml(cellLabel(e))}</button></td>`
    })
    const name = `<th scope="row" data-value="${escapeHtml(row.name)}">${escapeHtml(row.name)}</th>`
    return `<tr>${name}${cells.join('')}<td class="total" data-value="${row.points}">${row.points}/${total}</td></tr>`
  })
  const passing = grid.rows.filter((row) => row.cells.every((e) => e?.passed)).length
  const hash = createHash('sha256').update(SCRIPT).digest('base64')
  return `<!doctype html>
<html lang="${lang()}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>netlings · ${t('class results')}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${t('Class results')}</h1>
<p class="summary">${t`${passing} of ${grid.rows.length} submissions pass every exercise (seed ${result.seed}). Click a column's name to sort by it, a cell to read its report.`}</p>
<table id="grid">
<thead><tr>${head.join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<section id="report" hidden>
<h2 id="report-title"></h2>
<pre id="report-text"></pre>
</section>
<div hidden>
${reports.join('\n')}
</div>
<script>${SCRIPT}</script>
</body>
</html>
`
}
