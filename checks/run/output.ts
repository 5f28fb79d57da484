// What a program prints, as the grader keeps it: one stream cut into lines, each decoded only
// once it is whole (a character split across two reads stays one character), up to a cap.

import { limits } from '../engine/limits.ts'

/** One output stream of a program, cut into lines; a line is decoded only once it is whole. */
export class OutputLines {
  readonly lines: string[] = []
  bytes = 0
  capped = false
  ended = false
  private partial: Buffer[] = []
  private listeners = new Set<() => void>()

  constructor(
    private readonly rewrite: (line: string) => string,
    private readonly onCap: () => void,
  ) {}

  push(chunk: Buffer): void {
    // After end(), the lines are final: a straggler (a grandchild's) changes no verdict.
    if (this.capped || this.ended) return
    this.bytes += chunk.length
    if (this.bytes > limits.outputCapBytes) {
      this.capped = true
      this.onCap()
      this.notify()
      return
    }
    let start = 0
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      this.partial.push(chunk.subarray(start, i))
      this.lines.push(this.decode(Buffer.concat(this.partial)))
      this.partial = []
      start = i + 1
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start))
    this.notify()
  }

  end(): void {
    if (this.ended) return
    if (this.partial.length > 0 && !this.capped) this.lines.push(this.decode(Buffer.concat(this.partial)))
    this.partial = []
    this.ended = true
    this.notify()
  }

  /** Text printed after the last newline, while the program still runs. */
  get unfinished(): string {
    return this.decode(Buffer.concat(this.partial))
  }

  tail(count: number): string[] {
    const lines = this.unfinished ? [...this.lines, this.unfinished] : this.lines
    return lines.slice(-count)
  }

  /** Calls `listener` on every change, until the function it returns is called. */
  watch(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener()
  }

  private decode(bytes: Buffer): string {
    const text = bytes.toString('utf8')
    return this.rewrite(text.endsWith('\r') ? text.slice(0, -1) : text)
  }
}
