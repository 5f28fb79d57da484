// README sections, named by the anchor a heading gets on GitHub and on the site, so that a
// check can say "Read: lessons/lesson-1-server-basics/README.md § TCP is a byte stream".

export interface Section {
  anchor: string
  title: string
  depth: number
}

/** GitHub's rule: lower case, drop punctuation other than - and _, spaces become -. */
export function anchorOf(title: string): string {
  return title
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** Headings of a Markdown text, fenced code skipped (a `# comment` in a shell block is no heading). */
export function sectionsOf(markdown: string): Section[] {
  const sections: Section[] = []
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    if (fenced) continue
    const match = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line)
    if (!match) continue
    const title = match[2]!.replace(/`/g, '')
    sections.push({ anchor: anchorOf(title), title, depth: match[1]!.length })
  }
  return sections
}
