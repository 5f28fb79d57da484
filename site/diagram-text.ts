// The words in the site's diagrams (site/diagrams/*.svg), which the Chinese pages show in
// Chinese: a heading or a caption-like label (class …-head, …-sub) that is prose, not code
// (createServer, 'data', end()) and not bytes. Their Chinese is site/diagrams/zh-CN.json; the
// catalog audit reads the same texts from here.

import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

/** A <text> of a heading or sub-label: its opening tag, its content, its closing tag. */
export const DIAGRAM_TEXT = /(<text class="[a-z]+-(?:head|sub)"[^>]*>)([^<]*)(<\/text>)/g

export const unescapeXml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')

/** Words for people: a lower-case word left once quoted names ('data') and code (net.connect,
 * end()) are set aside, and no camelCase name (createServer). */
export const isProse = (text: string) => /[a-z]{2,}/.test(text.replace(/'[^']*'/g, ' ').replace(/\S*[.()]\S*/g, ' ')) && !/[a-z][A-Z]/.test(text)

/** Every diagram text a Chinese page shows translated, for the catalog audit. */
export function diagramTexts(root: string): { key: string; at: string }[] {
  const dir = join(root, 'site', 'diagrams')
  return readdirSync(dir)
    .filter((name) => name.endsWith('.svg'))
    .sort()
    .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(DIAGRAM_TEXT)].map((m) => ({ key: unescapeXml(m[2]!), at: relative(root, join(dir, name)) })))
    .filter(({ key }) => isProse(key))
}
