// Draws lesson 5's picture, checks/lessons/lesson-5/panda.jpg: a panda face on bamboo green,
// a small baseline JPEG encoded here (the example tables of ITU T.81 Annex K), so the project
// ships no downloaded asset. The same bytes on every run, so git sees no change when you run
// it again. The grader adds random comment segments to it at each grading
// (checks/lessons/lesson-5/picture.ts), so every run serves a different file.
//
//   npx tsx scripts/make-panda-jpeg.ts [out.jpg]

import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const WIDTH = 128
const HEIGHT = 96

type Rgb = [number, number, number]

const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1

/** A panda face on bamboo green. */
function pixel(x: number, y: number): Rgb {
  const white: Rgb = [250, 250, 246]
  const black: Rgb = [28, 28, 32]
  if (inEllipse(x, y, 64, 56, 36, 32)) {
    if (inEllipse(x, y, 51, 50, 3, 3) || inEllipse(x, y, 77, 50, 3, 3)) return white
    if (inEllipse(x, y, 50, 51, 8, 10) || inEllipse(x, y, 78, 51, 8, 10)) return black
    if (inEllipse(x, y, 64, 66, 6, 4)) return black
    if (y > 72 && y < 75 && Math.abs(x - 64) < 8) return black
    return white
  }
  if (inEllipse(x, y, 36, 28, 13, 13) || inEllipse(x, y, 92, 28, 13, 13)) return black
  const shade = Math.round(40 * (y / HEIGHT))
  return [120 - shade, 190 - shade, 110 - shade]
}

// Baseline JPEG, 4:4:4, the example tables of ITU T.81 Annex K.
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15,
  23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24,
  35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
const CHROMA_Q = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, ...new Array(32).fill(99)]

const DC_LUMA = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
const DC_CHROMA = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
const AC_LUMA = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  values: [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1,
    0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
    0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3,
    0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3,
    0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
}
const AC_CHROMA = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  values: [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1,
    0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36,
    0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a,
    0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
    0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
}

interface HuffmanTable {
  bits: number[]
  values: number[]
}

/** symbol → [code, length], by the canonical rule of T.81 Annex C. */
function codesOf(table: HuffmanTable): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>()
  let code = 0
  let k = 0
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < table.bits[length - 1]!; i++) codes.set(table.values[k++]!, [code++, length])
    code <<= 1
  }
  return codes
}

const scaled = (table: number[], quality: number) => {
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality
  return table.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))))
}

class BitWriter {
  readonly bytes: number[] = []
  private buffer = 0
  private count = 0

  write(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.buffer = (this.buffer << 1) | ((code >> i) & 1)
      if (++this.count === 8) {
        this.bytes.push(this.buffer)
        if (this.buffer === 0xff) this.bytes.push(0) // byte stuffing
        this.buffer = 0
        this.count = 0
      }
    }
  }

  flush(): void {
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count)
  }
}

const COS = Array.from({ length: 8 }, (_, x) => Array.from({ length: 8 }, (_, u) => Math.cos(((2 * x + 1) * u * Math.PI) / 16)))

function fdct(block: number[]): number[] {
  const out = new Array<number>(64)
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += block[y * 8 + x]! * COS[x]![u]! * COS[y]![v]!
      const cu = u === 0 ? Math.SQRT1_2 : 1
      const cv = v === 0 ? Math.SQRT1_2 : 1
      out[v * 8 + u] = 0.25 * cu * cv * sum
    }
  }
  return out
}

const category = (value: number) => (value === 0 ? 0 : Math.floor(Math.log2(Math.abs(value))) + 1)

function segment(marker: number, payload: number[] | Buffer): Buffer {
  const head = Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff])
  return Buffer.concat([head, Buffer.from(payload)])
}

function encode(quality = 80): Buffer {
  const lumaQ = scaled(LUMA_Q, quality)
  const chromaQ = scaled(CHROMA_Q, quality)
  const tables = [
    { q: lumaQ, dc: codesOf(DC_LUMA), ac: codesOf(AC_LUMA) },
    { q: chromaQ, dc: codesOf(DC_CHROMA), ac: codesOf(AC_CHROMA) },
    { q: chromaQ, dc: codesOf(DC_CHROMA), ac: codesOf(AC_CHROMA) },
  ]
  const bits = new BitWriter()
  const previousDc = [0, 0, 0]
  for (let by = 0; by < HEIGHT; by += 8) {
    for (let bx = 0; bx < WIDTH; bx += 8) {
      const planes = [[], [], []] as number[][]
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const [r, g, b] = pixel(bx + x, by + y)
          planes[0]!.push(0.299 * r + 0.587 * g + 0.114 * b - 128)
          planes[1]!.push(-0.168736 * r - 0.331264 * g + 0.5 * b)
          planes[2]!.push(0.5 * r - 0.418688 * g - 0.081312 * b)
        }
      }
      for (let c = 0; c < 3; c++) {
        const table = tables[c]!
        const coefficients = fdct(planes[c]!)
        const zz = ZIGZAG.map((natural) => Math.round(coefficients[natural]! / table.q[natural]!) || 0)
        const diff = zz[0]! - previousDc[c]!
        previousDc[c] = zz[0]!
        const size = category(diff)
        const [dcCode, dcLength] = table.dc.get(size)!
        bits.write(dcCode, dcLength)
        if (size) bits.write(diff < 0 ? diff + (1 << size) - 1 : diff, size)
        let run = 0
        for (let i = 1; i < 64; i++) {
          const value = zz[i]!
          if (value === 0) {
            run++
            continue
          }
          while (run > 15) {
            const [zrl, zrlLength] = table.ac.get(0xf0)!
            bits.write(zrl, zrlLength)
            run -= 16
          }
          const acSize = category(value)
          const [code, length] = table.ac.get((run << 4) | acSize)!
          bits.write(code, length)
          bits.write(value < 0 ? value + (1 << acSize) - 1 : value, acSize)
          run = 0
        }
        if (run > 0) {
          const [eob, eobLength] = table.ac.get(0x00)!
          bits.write(eob, eobLength)
        }
      }
    }
  }
  bits.flush()

  const jfif = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
  const dqt = segment(0xdb, [0, ...ZIGZAG.map((n) => lumaQ[n]!), 1, ...ZIGZAG.map((n) => chromaQ[n]!)])
  const sof = segment(0xc0, [8, HEIGHT >> 8, HEIGHT & 0xff, WIDTH >> 8, WIDTH & 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1])
  const dht = segment(0xc4, [
    ...[0x00, ...DC_LUMA.bits, ...DC_LUMA.values],
    ...[0x10, ...AC_LUMA.bits, ...AC_LUMA.values],
    ...[0x01, ...DC_CHROMA.bits, ...DC_CHROMA.values],
    ...[0x11, ...AC_CHROMA.bits, ...AC_CHROMA.values],
  ])
  const sos = segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])
  return Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, dqt, sof, dht, sos, Buffer.from(bits.bytes), Buffer.from([0xff, 0xd9])])
}

const here = dirname(fileURLToPath(import.meta.url))
const out = process.argv[2] ?? join(here, '..', 'checks', 'lessons', 'lesson-5', 'panda.jpg')
const jpeg = encode()
writeFileSync(out, jpeg)
console.log(`wrote ${out}: ${WIDTH}×${HEIGHT}, ${jpeg.length} bytes`)
