// Markdown to HTML for the lesson pages: markdown-it with raw HTML off (a README is data, not
// markup), code highlighted once at build time so the browser needs no script for it, and
// heading ids from lessons/sections.ts so that the grader's "README § …" links land here.

import { createRequire } from 'node:module'
import MarkdownIt from 'markdown-it'
import { anchorOf } from '../lessons/sections.ts'

// highlight.js's own type definitions pull in the DOM library, whose ReadableStream clashes
// with Node's in the lessons' fetch code; so it is loaded untyped, with the little used here.
interface Highlighter {
  registerLanguage(name: string, language: unknown): void
  registerAliases(aliases: string[], options: { languageName: string }): void
  getLanguage(name: string): { name?: string } | undefined
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string }
}
const require = createRequire(import.meta.url)
const hljs = require('highlight.js/lib/core') as Highlighter
for (const name of ['typescript', 'bash', 'json', 'http', 'python']) {
  hljs.registerLanguage(name, require(`highlight.js/lib/languages/${name}`))
}
hljs.registerAliases(['ts', 'tsx', 'mts'], { languageName: 'typescript' })
hljs.registerAliases(['sh', 'shell', 'console', 'zsh'], { languageName: 'bash' })

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Unlabelled fences in the READMEs are mostly raw HTTP exchanges; say so when they look like one. */
function guessLanguage(code: string): string | undefined {
  if (/^(GET|POST|PUT|HEAD|DELETE) \S+ HTTP\/1\.[01]\r?$|^HTTP\/1\.[01] \d{3}/m.test(code.split('\n')[0] ?? '')) return 'http'
  return undefined
}

/** Highlighted HTML of one code block, without the <pre>. */
export function highlight(code: string, language?: string): { html: string; language: string } {
  const lang = language && hljs.getLanguage(language) ? language : guessLanguage(code)
  if (!lang) return { html: escapeHtml(code), language: 'text' }
  const name = hljs.getLanguage(lang)!.name?.toLowerCase() ?? lang
  return { html: hljs.highlight(code, { language: lang, ignoreIllegals: true }).value, language: name }
}

export function codeBlock(code: string, language?: string): string {
  // A file's or a fence's final newline would show as an empty last line.
  const { html, language: lang } = highlight(code.replace(/\n$/, ''), language)
  return `<pre class="code"><code class="hljs language-${escapeHtml(lang)}">${html}</code></pre>`
}

export interface Heading {
  id: string
  title: string
  depth: number
}

/** markdown-it passes our env through untyped. */
const envOf = (env: unknown) => env as RenderEnv

export interface RenderEnv {
  /** Maps a link or image target as written in the Markdown to the URL the page should use. */
  resolve: (target: string, kind: 'link' | 'image') => string
  headings: Heading[]
  /** The id of each heading, in order, where it is not the heading's own anchor: a Chinese
   * README's headings take the English anchors their sync lines name. */
  ids?: (string | undefined)[]
}

function createMarkdown() {
  const md = new MarkdownIt({
    html: false,
    linkify: false,
    typographer: false,
    highlight: (code, lang) => codeBlock(code, lang.trim() || undefined),
  })

  // markdown-it wraps the highlight result in another <pre> unless it starts with one.
  md.core.ruler.push('heading_ids', (state) => {
    const env = envOf(state.env)
    const seen = new Map<string, number>()
    let index = 0
    const tokens = state.tokens
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      if (token.type !== 'heading_open') continue
      const inline = tokens[i + 1]!
      // Plain text of the heading, as sectionsOf sees it once backticks are dropped.
      const title = (inline.children ?? [])
        .map((child) => (child.type === 'code_inline' ? child.content : child.content))
        .join('')
      let id = env.ids?.[index++] ?? anchorOf(title)
      // GitHub numbers repeated headings; none repeat today, but a link must never hit the wrong one.
      const count = seen.get(id) ?? 0
      seen.set(id, count + 1)
      if (count > 0) id = `${id}-${count}`
      token.attrSet('id', id)
      env.headings?.push({ id, title, depth: Number(token.tag.slice(1)) })
    }
  })

  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!
    const href = token.attrGet('href')
    if (href !== null) {
      const resolved = envOf(env).resolve(String(href), 'link')
      token.attrSet('href', resolved)
      if (/^[a-z][a-z0-9+.-]*:/i.test(resolved)) token.attrSet('rel', 'noopener noreferrer')
    }
    return defaultLink(tokens, idx, options, env, self)
  }

  const defaultImage = md.renderer.rules.image!
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!
    const src = token.attrGet('src')
    if (src !== null) token.attrSet('src', envOf(env).resolve(String(src), 'image'))
    token.attrSet('loading', 'lazy')
    return defaultImage(tokens, idx, options, env, self)
  }

  // Wide tables (the Python-to-Node ones) scroll on their own instead of widening a phone's page.
  md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n'
  md.renderer.rules.table_close = () => '</table></div>\n'
  return md
}

const markdown = createMarkdown()

export function renderMarkdown(source: string, resolve: RenderEnv['resolve'], ids?: RenderEnv['ids']): { html: string; headings: Heading[] } {
  const env: RenderEnv = { resolve, headings: [], ids }
  return { html: markdown.render(source, env as unknown as Record<string, unknown>), headings: env.headings }
}
