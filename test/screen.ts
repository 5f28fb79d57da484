// A small terminal screen for tests: it applies what a program writes (text, CR/LF and the
// cursor and erase sequences the grader and prompts use) to a grid of lines, so a test can
// assert on what a learner would see rather than on escape codes. Colours are dropped.
// Lines wrap at the terminal's width, CJK taking two cells, as a terminal does: prompts
// counts wrapped lines when it redraws, and the screen must agree with it.

import { displayWidth } from '../checks/text/bytes.ts'

export class Screen {
  private rows: string[][] = [[]]
  private row = 0
  private col = 0
  cursorVisible = true
  private pending = ''

  constructor(readonly columns = Infinity) {}

  write(text: string): void {
    // A sequence may be cut between two writes: keep an unfinished one for the next.
    const input = this.pending + text
    this.pending = ''
    let i = 0
    while (i < input.length) {
      const char = input[i]!
      if (char === '\x1b') {
        const match = /^\x1b\[([?]?)([\d;]*)([A-Za-z])/.exec(input.slice(i))
        if (!match) {
          if (input.length - i < 16) {
            this.pending = input.slice(i)
            return
          }
          i++
          continue
        }
        this.control(match[1]!, match[2]!, match[3]!)
        i += match[0].length
        continue
      }
      i += char.length
      if (char === '\r') this.col = 0
      // A tty turns \n into \r\n on the way out (onlcr), so a program's \n starts a new line.
      else if (char === '\n') this.moveTo(this.row + 1, 0)
      else if (char === '\b') this.col = Math.max(0, this.col - 1)
      else if (char >= ' ') {
        const width = displayWidth(char)
        // Like xterm: a character that does not fit goes to the start of the next line.
        if (this.col + width > this.columns) this.moveTo(this.row + 1, 0)
        const line = this.line(this.row)
        while (line.length < this.col) line.push(' ')
        line[this.col++] = char
        // The second cell of a wide character holds nothing of its own.
        if (width === 2) line[this.col++] = ''
      }
    }
  }

  private line(row: number): string[] {
    while (this.rows.length <= row) this.rows.push([])
    return this.rows[row]!
  }

  private moveTo(row: number, col: number): void {
    this.row = Math.max(0, row)
    this.col = Math.max(0, col)
    this.line(this.row)
  }

  private control(private_: string, params: string, command: string): void {
    const n = params === '' ? 1 : Number(params.split(';')[0])
    if (private_ === '?') {
      if (params === '25') this.cursorVisible = command === 'h'
      return
    }
    switch (command) {
      case 'A':
        return this.moveTo(this.row - n, this.col)
      case 'B':
        return this.moveTo(this.row + n, this.col)
      case 'C':
        return this.moveTo(this.row, this.col + n)
      case 'D':
        return this.moveTo(this.row, this.col - n)
      case 'E':
        return this.moveTo(this.row + n, 0)
      case 'F':
        return this.moveTo(this.row - n, 0)
      case 'G':
        return this.moveTo(this.row, n - 1)
      case 'H': {
        const [r = 1, c = 1] = params.split(';').map((p) => Number(p || 1))
        return this.moveTo(r - 1, c - 1)
      }
      case 'K': {
        const line = this.line(this.row)
        const mode = params === '' ? 0 : Number(params)
        if (mode === 2) line.length = 0
        else if (mode === 0) line.length = Math.min(line.length, this.col)
        else for (let c = 0; c < Math.min(this.col + 1, line.length); c++) line[c] = ' '
        return
      }
      case 'J': {
        const mode = params === '' ? 0 : Number(params)
        if (mode === 2 || mode === 3) {
          // The whole screen (and scrollback): what follows starts on a clean page.
          this.rows = this.rows.map(() => [])
          return
        }
        this.line(this.row).length = Math.min(this.line(this.row).length, this.col)
        this.rows.length = this.row + 1
        return
      }
      default:
        // Colours (m) and anything else leave the text as it is.
        return
    }
  }

  /** Every line, trailing spaces and trailing empty lines dropped. */
  lines(): string[] {
    const out = this.rows.map((cells) => cells.join('').trimEnd())
    while (out.length > 0 && out.at(-1) === '') out.pop()
    return out
  }

  text(): string {
    return this.lines().join('\n')
  }
}
