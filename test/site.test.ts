// The lesson site: built into a temporary folder from the real lessons and a fake progress
// file, then read as HTML. The browser's view of it is test/site-browser.test.ts.

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lessons } from '../lessons/index.ts'
import { sectionsOf } from '../lessons/sections.ts'
import { readProgress, type Progress } from '../checks/state/progress.ts'
import { projectRoot } from '../checks/engine/paths.ts'
import { buildSite } from '../site/build.ts'
import { checkLinks, idsOf } from '../site/check-links.ts'

let dir: string
let outDir: string
let pages: string[]
/** The text a browser shows for a piece of highlighted HTML. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
const read = (page: string) => readFileSync(join(outDir, page), 'utf8')

const fakeProgress: Progress = {
  'lesson-1/server': { status: 'pass', passed: 7, total: 7, stars: 2, starsTotal: 2, at: '2026-11-01T10:00:00.000Z' },
  'lesson-2/client': { status: 'fail', passed: 3, total: 6, stars: 0, starsTotal: 1, at: '2026-11-01T10:05:00.000Z' },
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlings-site-'))
  outDir = join(dir, 'dist')
  const progressPath = join(dir, 'progress.json')
  writeFileSync(progressPath, JSON.stringify(fakeProgress))
  pages = buildSite({ outDir, progress: readProgress(progressPath) }).pages
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the lesson site', () => {
  it('has a home page and one page per lesson', () => {
    expect(pages).toContain('index.html')
    for (const lesson of lessons) {
      expect(pages).toContain(`${lesson.slug}.html`)
      expect(read('index.html')).toContain(`href="${lesson.slug}.html"`)
    }
  })

  it('has no broken internal link or anchor', () => {
    const { links, broken } = checkLinks(outDir)
    expect(broken).toEqual([])
    expect(links).toBeGreaterThan(100)
  })

  it('gives every README heading the anchor the grader links to', () => {
    for (const lesson of lessons) {
      const ids = idsOf(read(`${lesson.slug}.html`))
      for (const section of sectionsOf(readFileSync(join(projectRoot, 'lessons', lesson.slug, 'README.md'), 'utf8'))) {
        expect(ids, `${lesson.slug} § ${section.title}`).toContain(section.anchor)
      }
    }
  })

  it('turns links between lessons into links between pages', () => {
    const html = read('lesson-2-client-basics.html')
    expect(html).toContain('href="lesson-1-server-basics.html#loopback-or-every-interface"')
    expect(html).not.toMatch(/href="[^"]*README\.md/)
  })

  it('links repository files to pages of their own', () => {
    expect(read('lesson-4-image-server.html')).toContain('href="source/scripts/make-beauty-png.ts.html"')
    expect(existsSync(join(outDir, 'source/scripts/make-beauty-png.ts.html'))).toBe(true)
  })

  it('highlights code at build time', () => {
    const html = read('lesson-1-server-basics.html')
    const block = /<code class="hljs language-typescript">([\s\S]*?)<\/code>/.exec(html)
    expect(block).not.toBeNull()
    expect(block![1]).toContain('<span class="hljs-keyword">import</span>')
    expect(read('lesson-1-server-basics.html')).toContain('class="hljs language-bash"')
    expect(read('lesson-5-http-get.html')).toContain('class="hljs language-http"')
  })

  it('renders Markdown without raw HTML', async () => {
    const { renderMarkdown } = await import('../site/render.ts')
    const { html } = renderMarkdown('# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))', (t) => t)
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('href="javascript:')
  })

  it('shows starter files and hides every solution in a closed <details>', () => {
    for (const lesson of lessons) {
      const html = read(`${lesson.slug}.html`)
      const solutions = [...html.matchAll(/<details class="solution"( open)?>/g)]
      expect(solutions).toHaveLength(lesson.exercises.length)
      for (const match of solutions) expect(match[1]).toBeUndefined()
      for (const exercise of lesson.exercises) {
        expect(html).toContain(`id="file-${exercise.id}"`)
        const solution = readFileSync(join(projectRoot, 'solutions', lesson.slug, exercise.file), 'utf8')
        const section = html.slice(html.indexOf(`id="file-${exercise.id}"`))
        const details = section.slice(section.indexOf('<details class="solution">'))
        const code = /<code class="hljs language-typescript">([\s\S]*?)<\/code>/.exec(details.slice(0, details.indexOf('</details>')))
        expect(code, `${lesson.id} ${exercise.file}`).not.toBeNull()
        expect(textOf(code![1]!)).toBe(solution.replace(/\n$/, ''))
      }
    }
  })

  it('marks each exercise from the progress file, and names the command to run next', () => {
    const home = read('index.html')
    expect(home).toMatch(/mark-pass" data-mark="pass" title="passed, 7\/7 checks, 2\/2 ⭐"[^>]*>✓<\/span> <a href="lesson-1-server-basics.html#file-server">/)
    expect(home).toMatch(/mark-fail" data-mark="fail" title="failed, 3\/6 checks, 0\/1 ⭐"[^>]*>✗<\/span> <a href="lesson-2-client-basics.html#file-client">/)
    expect(home).toMatch(/mark-none" data-mark="none" title="not tried"[^>]*>○<\/span> <a href="lesson-3-echo-chat.html#file-echo-server">/)
    expect(home).toContain('<code>npm run check lesson-2</code>')
    expect(read('lesson-2-client-basics.html')).toContain('data-mark="fail"')
  })

  it('builds with no progress at all', () => {
    const other = join(dir, 'empty')
    buildSite({ outDir: other, progress: readProgress(join(dir, 'missing.json')) })
    const home = readFileSync(join(other, 'index.html'), 'utf8')
    expect(home).not.toContain('data-mark="pass"')
    expect(home).toContain('<code>npm run check lesson-1</code>')
  })

  it('shows the diagrams on lessons 1 and 2 and the picture on lesson 4', () => {
    for (const slug of ['lesson-1-server-basics', 'lesson-2-client-basics']) {
      const html = read(`${slug}.html`)
      expect(html).toContain('<title id="lifecycle-title">')
      expect(html).toContain('<title id="stream-title">')
      expect(html.indexOf('lifecycle-title')).toBeLessThan(html.indexOf('<h2'))
    }
    expect(read('lesson-4-image-server.html')).toContain('src="assets/beauty.png"')
    const copied = readFileSync(join(outDir, 'assets/beauty.png'))
    expect(copied.equals(readFileSync(join(projectRoot, 'lessons/lesson-4-image-server/beauty.png')))).toBe(true)
  })

  it('loads nothing from the network', () => {
    for (const page of pages) {
      const html = read(page).replace(/<pre[\s\S]*?<\/pre>/g, '')
      expect(html, page).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\/(?!github\.com|rustlings)/)
      expect(html).not.toMatch(/<link[^>]+href="https?:/)
    }
    // The one url() is the site's own Chinese font, served beside the stylesheet.
    const css = read('assets/style.css')
    expect(css).not.toMatch(/@import/)
    const urls = [...css.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]!)
    expect(urls.length).toBeGreaterThan(0)
    for (const font of urls) {
      expect(font).toMatch(/^fonts\/noto-sans-sc-[a-z0-9]+-400-normal\.woff2$/)
      expect(existsSync(join(outDir, 'assets', font)), font).toBe(true)
    }
  })

  it('serves only the parts of the Chinese font that hold a character of its pages, and keeps them light', () => {
    const fonts = readdirSync(join(outDir, 'assets', 'fonts'))
    const css = read('assets/style.css')
    // Every part it copies, it declares, and the other way round.
    expect(fonts.sort()).toEqual([...css.matchAll(/url\(fonts\/([^)]*)\)/g)].map((m) => m[1]!).sort())
    // @fontsource cuts Noto Sans SC in about a hundred parts; the pages need a fraction.
    expect(fonts.length).toBeLessThan(60)
    const bytes = fonts.reduce((sum, name) => sum + statSync(join(outDir, 'assets', 'fonts', name)).size, 0)
    expect(bytes).toBeLessThan(2_500_000)
  })

  it('builds every page in Chinese too, under zh-CN/, with the English anchors and a switch each way', () => {
    for (const page of pages.filter((p) => !p.startsWith('zh-CN/'))) expect(pages, page).toContain(`zh-CN/${page}`)
    const zh = read('zh-CN/lesson-1-server-basics.html')
    expect(zh).toMatch(/^<!doctype html>\n<html lang="zh-CN">/)
    expect(zh).toContain('<a class="lang-switch" href="../lesson-1-server-basics.html" hreflang="en" lang="en">English</a>')
    expect(read('lesson-1-server-basics.html')).toContain('<a class="lang-switch" href="zh-CN/lesson-1-server-basics.html" hreflang="zh-CN" lang="zh-CN">简体中文</a>')
    // The Chinese heading under the anchor the grader's "Read: … §" points to, and no sync line.
    expect(zh).toMatch(/<h2 id="tcp-is-a-byte-stream">TCP 是字节流/)
    expect(zh).not.toContain('en: tcp-is-a-byte-stream')
    expect(zh).toContain('href="../assets/style.css"')
    expect(read('zh-CN/index.html')).toContain('第 1 课 · ')
    // npm would take a --lang before its -- as its own option, and pass zh-CN on as an exercise.
    expect(read('zh-CN/index.html')).toContain('npm run check -- lesson-1 --lang zh-CN')
  })

  it('has previous and next links', () => {
    expect(read('lesson-3-echo-chat.html')).toContain('rel="prev" href="lesson-2-client-basics.html"')
    expect(read('lesson-3-echo-chat.html')).toContain('rel="next" href="lesson-4-image-server.html"')
  })
})
