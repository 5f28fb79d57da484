// A link checker for the built site: every href and src that stays inside the site must name
// a file that exists, and every #anchor an id on that page. The tests run it on each build,
// and so does `npm run site:build`, so a renamed heading breaks the build, not a reader.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

export interface BrokenLink {
  page: string
  href: string
  reason: string
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html'))
    .map((name) => join(dir, name))
}

function decode(text: string): string {
  return text.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&quot;/g, '"')
}

export function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => decode(m[1]!)))
}

export function linksOf(html: string): string[] {
  // Text inside <pre> is code, where href= is just a string.
  const outsideCode = html.replace(/<pre[\s\S]*?<\/pre>/g, '')
  return [...outsideCode.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => decode(m[1]!))
}

export function checkLinks(outDir: string): { pages: number; links: number; broken: BrokenLink[] } {
  const files = htmlFiles(outDir)
  const idCache = new Map<string, Set<string>>()
  const ids = (file: string) => {
    let set = idCache.get(file)
    if (!set) idCache.set(file, (set = idsOf(readFileSync(file, 'utf8'))))
    return set
  }
  const broken: BrokenLink[] = []
  let links = 0
  for (const file of files) {
    const page = relative(outDir, file)
    for (const href of linksOf(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue // leaves the site
      links++
      const [path = '', hash] = href.split('#', 2)
      const target = path === '' ? file : join(dirname(file), decodeURI(path))
      if (!target.startsWith(outDir)) {
        broken.push({ page, href, reason: 'points outside the site' })
        continue
      }
      if (!existsSync(target) || !statSync(target).isFile()) {
        broken.push({ page, href, reason: 'no such file' })
        continue
      }
      if (hash !== undefined && hash !== '' && target.endsWith('.html') && !ids(target).has(decodeURIComponent(hash))) {
        broken.push({ page, href, reason: `no id "${hash}" on ${relative(outDir, target)}` })
      }
    }
  }
  return { pages: files.length, links, broken }
}
