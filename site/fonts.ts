// The Chinese web font, for machines without a CJK font (where every 汉字 would be a box):
// Noto Sans SC from @fontsource, which cuts it into ~100 parts by unicode-range. The site
// copies only the parts that hold a character its pages use, and declares only those, so a
// page loads only the few parts it shows, from the site itself, offline.

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** Below this, Latin and the like: the system's fonts draw those. */
const FIRST_CJK = 0x2e80

interface Face {
  css: string
  file: string
  ranges: [number, number][]
}

function facesOf(css: string): Face[] {
  return [...css.matchAll(/@font-face\s*{[^}]*}/g)].flatMap(([block]) => {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1]
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1]
    if (!file || !range) return []
    const ranges = range.split(',').map((part): [number, number] => {
      const [from, to = from] = part.trim().replace(/^U\+/i, '').split('-')
      return [parseInt(from!, 16), parseInt(to!, 16)]
    })
    // Only the woff2: every browser that runs the site reads it.
    const css = block.replace(/src:[^;]+;/, `src: url(fonts/${file}) format('woff2');`)
    return [{ css, file, ranges }]
  })
}

/** The @font-face rules for the parts of the font that hold one of `used`, their files copied
 * into `into`. */
export function fontFaces(used: Set<number>, into: string): string {
  const css = require.resolve('@fontsource/noto-sans-sc/400.css')
  const faces = facesOf(readFileSync(css, 'utf8'))
  const chosen = faces.filter((face) => [...used].some((code) => code >= FIRST_CJK && face.ranges.some(([from, to]) => code >= from && code <= to)))
  mkdirSync(into, { recursive: true })
  for (const face of chosen) copyFileSync(join(dirname(css), 'files', face.file), join(into, face.file))
  return `/* Noto Sans SC (SIL Open Font License 1.1, from @fontsource/noto-sans-sc): ${chosen.length} of its ${faces.length} parts, those with a character of these pages. */\n${chosen.map((face) => face.css).join('\n')}\n`
}
