// Showing bytes to a learner: as text where they are valid UTF-8, escaped where they are not,
// so that half a character is visible as "\xe5\xae" instead of vanishing into a �.

import { createRequire } from 'node:module'
import { t } from './lang.ts'

const ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x22: '\\"', 0x5c: '\\\\' }

/** Length of the UTF-8 sequence starting at `i`, or 0 if the bytes there are not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0
  if (length === 0 || i + length > bytes.length) return 0
  for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0
  // Overlong and surrogate encodings are invalid too; the decoder would turn them into �.
  const text = Buffer.from(bytes.subarray(i, i + length)).toString('utf8')
  return text.includes('\ufffd') ? 0 : length
}

const hex = (byte: number) => `\\x${byte.toString(16).padStart(2, '0')}`

/**
 * C0 controls but tab and newline, DEL and the C1 controls (U+0080–U+009F, CSI among them): a
 * terminal acts on them. What a program printed or named is data, never a command to the
 * teacher's terminal: no clear screen, no OSC 52 clipboard write, no window title, no \r that
 * prints a fake "✓ passed" over a line.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/** One control character as a report shows it: \r, \x1b, \u0085. */
export const escapeControl = (char: string) => {
  const code = char.charCodeAt(0)
  return code === 0x0d ? '\\r' : code < 0x80 ? hex(code) : `\\u${code.toString(16).padStart(4, '0')}`
}

/** `text` with every control character a terminal would act on shown escaped (`\x1b[2J`). */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, escapeControl)
}

/** A report's data (a result, a note) with terminalSafe applied to every string in it. */
export function terminalSafeData<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T
  if (Array.isArray(value)) return value.map((item) => terminalSafeData(item)) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, terminalSafeData(item)])) as T
  return value
}

/** The bytes as the inside of a double-quoted string: text where possible, escapes elsewhere. */
export function escapeBytes(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  let out = ''
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!
    const length = sequenceLength(bytes, i)
    if (length === 0) {
      out += hex(byte)
      i += 1
    } else if (length === 1) {
      out += ESCAPES[byte] ?? (byte < 0x20 || byte === 0x7f ? hex(byte) : String.fromCharCode(byte))
      i += 1
    } else {
      out += terminalSafe(Buffer.from(bytes.subarray(i, i + length)).toString('utf8')) // a C1 control is two bytes
      i += length
    }
  }
  return out
}

/** `"…"` with escapes, shortened in the middle when long. */
export function quoteBytes(data: Uint8Array | string, maxBytes = 160): string {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  if (bytes.length <= maxBytes) return `"${escapeBytes(bytes)}"`
  const half = Math.floor(maxBytes / 2)
  const head = escapeBytes(bytes.subarray(0, half))
  const tail = escapeBytes(bytes.subarray(bytes.length - half))
  return t`"${head}" … ${bytes.length - 2 * half} more bytes … "${tail}"`
}

// string-width and a grapheme segmenter cost ~50 ms to set up (ICU's data), on every start
// of the grader. Most runs print no byte difference and draw no live row: they never need
// them, so they load on first use. (require() of an ES module: Node 20.19 and later.)
let stringWidth: ((text: string) => number) | undefined
let segmenter: Intl.Segmenter | undefined

/** Terminal columns `text` takes: CJK and most emoji two (☕, ☀️), combining marks none. */
export function displayWidth(text: string): number {
  stringWidth ??= (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default
  return stringWidth(text)
}

/** The characters a reader sees: ☀️ (two code points) is one, so a cut never splits it. */
export function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  return Array.from(segmenter.segment(text), (part) => part.segment)
}

export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i
  return a.length === b.length ? -1 : length
}

/**
 * Expected and received bytes one above the other, with a caret under the first byte that
 * differs. The caret is placed by display width, so it lands right under CJK text too.
 */
export function caretDiff(expected: Uint8Array | string, received: Uint8Array | string): string[] {
  const want = typeof expected === 'string' ? Buffer.from(expected) : expected
  const got = typeof received === 'string' ? Buffer.from(received) : received
  const at = firstDifference(want, got)
  // The two labels take the same columns in either language, so the values line up.
  const receivedLabel = t('Received:')
  const lines = [`${t('Expected:')} ${quoteBytes(want)}`, `${receivedLabel} ${quoteBytes(got)}`]
  if (at < 0) return lines
  // The caret is only exact under values shown whole, and only useful where it fits on a
  // screen (an escaped byte takes four columns).
  const prefix = `${receivedLabel} "${escapeBytes(got.subarray(0, at))}`
  if (Math.max(want.length, got.length) <= 160 && lines.every((line) => displayWidth(line) <= CARET_COLUMNS)) {
    lines.push(`${' '.repeat(displayWidth(prefix))}${t`^ first difference, at byte ${at}`}`)
    return lines
  }
  // Too long for that: the sizes, then both from a little before the difference, the caret
  // under it there.
  const from = Math.max(0, at - 12)
  const part = (bytes: Uint8Array) => escapeBytes(bytes.subarray(from, from + 24))
  const label = `${t`From byte ${from}, received:`} "${from > 0 ? '…' : ''}`
  return [
    t`Expected ${want.length} bytes, received ${got.length}.`,
    `${t`From byte ${from}, expected:`} "${from > 0 ? '…' : ''}${part(want)}"`,
    `${label}${part(got)}"`,
    `${' '.repeat(displayWidth(label + escapeBytes(got.subarray(from, at))))}${t`^ first difference, at byte ${at}`}`,
  ]
}

/** Beyond this column a caret under a whole value is no help: the window of bytes is shown. */
const CARET_COLUMNS = 100

/** Removes one trailing \r: the network's line ending is \r\n as often as \n. */
export function withoutCR(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line
}

/** How `got` differs from `want`, for bytes too long to show whole: the sizes, where they part,
 * and a few bytes of each from there. */
export function describeDifference(want: Uint8Array, got: Uint8Array): string[] {
  const at = Math.max(0, firstDifference(want, got))
  return [
    t`Expected ${want.length} bytes, found ${got.length}; the first difference is at byte ${at}.`,
    `${t('Expected there:')} ${quoteBytes(want.subarray(at, at + 24))}`,
    `${t('Found there:   ')} ${quoteBytes(got.subarray(at, at + 24))}`,
  ]
}
