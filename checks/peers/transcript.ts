// Who sent which bytes, when: the record a failure message shows, like CodeCrafters' testers
// log every exchange. Bytes are shown as the writes that carried them, so "one 'data' event is
// not one message" can be seen rather than just told.

import { displayWidth, quoteBytes } from '../text/bytes.ts'
import { t } from '../text/lang.ts'

interface Sent {
  kind: 'peer' | 'program'
  /** The first bytes said (at most KEPT_BYTES): a transcript is for reading, not for storage. */
  bytes: Buffer
  /** How many bytes were said in all. */
  total: number
  /** Sizes of the separate writes the peer made, when it made more than one. */
  pieces?: number[]
  pauseMs?: number
}

interface Note {
  kind: 'note'
  text: string
}

type Entry = (Sent | Note) & { at: number }

const MAX_SHOWN_PIECES = 8
const KEPT_BYTES = 4096

export class Transcript {
  private readonly entries: Entry[] = []

  constructor(
    /** "test client 1", "test server". */
    readonly peerName: string,
    /** "your server", "your client". */
    readonly programName: string,
    private readonly origin: number,
  ) {}

  peerSent(bytes: Buffer, pieces?: number[], pauseMs?: number): void {
    this.entries.push({ kind: 'peer', bytes: keep(bytes), total: bytes.length, pieces, pauseMs, at: Date.now() - this.origin })
  }

  /** A large send, recorded by its size: `bytes` holds its start. */
  peerStreamed(start: Buffer, total: number, note: string): void {
    this.entries.push({ kind: 'peer', bytes: keep(start), total, at: Date.now() - this.origin })
    this.note(note)
  }

  programSent(bytes: Buffer): void {
    const last = this.entries.at(-1)
    // Bytes that arrive back to back are one thing said; the learner wants to read it whole.
    if (last?.kind === 'program') {
      if (last.bytes.length < KEPT_BYTES) last.bytes = keep(Buffer.concat([last.bytes, bytes]))
      last.total += bytes.length
    } else {
      this.entries.push({ kind: 'program', bytes: keep(bytes), total: bytes.length, at: Date.now() - this.origin })
    }
  }

  note(text: string): void {
    this.entries.push({ kind: 'note', text, at: Date.now() - this.origin })
  }

  render(maxLines = 14): string[] {
    const width = Math.max(columns(this.peerName), columns(this.programName))
    const lines = this.entries.map((entry) => {
      if (entry.kind === 'note') return `${' '.repeat(width + 3)}${t`(${entry.text})`}`
      const name = entry.kind === 'peer' ? this.peerName : this.programName
      return `${name}${' '.repeat(width - columns(name))} → ${this.payload(entry)}`
    })
    if (lines.length <= maxLines) return lines
    return [t`… ${lines.length - maxLines + 1} earlier lines …`, ...lines.slice(-(maxLines - 1))]
  }

  private payload(entry: Sent): string {
    const { bytes, pieces, pauseMs, total } = entry
    if (total > bytes.length) return t`${quoteBytes(bytes, 60)} … ${total} bytes in all`
    if (!pieces || pieces.length < 2) return quoteBytes(bytes)
    const pause = pauseMs ? t`, ${pauseMs} ms apart` : ''
    if (pieces.length > MAX_SHOWN_PIECES) {
      const [quoted, writes] = [quoteBytes(bytes), pieces.length]
      return pieces.every((size) => size === 1) ? t`${quoted} in ${writes} writes of 1 byte each${pause}` : t`${quoted} in ${writes} writes of various sizes${pause}`
    }
    const shown: string[] = []
    let offset = 0
    for (const size of pieces) {
      shown.push(quoteBytes(bytes.subarray(offset, offset + size)))
      offset += size
    }
    return t`${shown.join('  ')}   (${pieces.length} writes${pause})`
  }
}

/** Terminal columns of a name: a Chinese label takes two a character. (ASCII needs no count.) */
const columns = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text.length : displayWidth(text))

const keep = (bytes: Buffer) => (bytes.length > KEPT_BYTES ? Buffer.from(bytes.subarray(0, KEPT_BYTES)) : bytes)
