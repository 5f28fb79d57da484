// Draws lesson 4's picture, lessons/lesson-4-image-server/beauty.png: an evening sky, a low
// sun, clouds, hills, a lake that mirrors them, and a few birds. Made here, with nothing but
// node:zlib and node:fs, so the project ships no downloaded asset. The output is the same
// bytes on every run (no randomness but a seeded generator), so git sees no change when you
// run it again.
//
//   npx tsx scripts/make-beauty-png.ts [out.png]
//
// A PNG is an 8-byte signature and a list of chunks: IHDR (size and colour type), IDAT (the
// pixels, zlib-compressed, each row preceded by a filter byte) and IEND. Each chunk is
// length, type, data and a CRC-32 of type + data.

import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const WIDTH = 480
const HEIGHT = 320

// ---- CRC-32 (ISO 3309, the one PNG and zip use), table-driven --------------------------

const CRC_TABLE = new Uint32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  CRC_TABLE[n] = c >>> 0
}

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bits per channel
  ihdr[9] = 2 // colour type 2: RGB
  ihdr[10] = 0 // deflate
  ihdr[11] = 0 // adaptive filtering
  ihdr[12] = 0 // no interlace
  // Every row starts with its filter type; 1 (Sub) stores each byte as the difference from
  // the pixel to its left, which suits smooth gradients.
  const stride = width * 3
  const raw = Buffer.alloc((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1)
    raw[row] = 1
    for (let x = 0; x < stride; x++) {
      const here = rgb[y * stride + x]!
      const left = x >= 3 ? rgb[y * stride + x - 3]! : 0
      raw[row + 1 + x] = (here - left) & 0xff
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}

// ---- The drawing ------------------------------------------------------------------------

type RGB = [number, number, number]

const mix = (a: RGB, b: RGB, t: number): RGB => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
const clamp01 = (t: number) => Math.min(1, Math.max(0, t))
const smooth = (edge0: number, edge1: number, x: number) => {
  const t = clamp01((x - edge0) / (edge1 - edge0))
  return t * t * (3 - 2 * t)
}

/** mulberry32, seeded: the same picture every time. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HORIZON = 214
const SUN = { x: 330, y: 150, r: 26 }

/** The sky from top to horizon: deep blue, violet, rose, and a warm glow near the sun. */
function sky(x: number, y: number): RGB {
  const t = y / HORIZON
  const stops: Array<[number, RGB]> = [
    [0, [28, 38, 92]],
    [0.35, [86, 72, 142]],
    [0.65, [212, 112, 128]],
    [0.9, [250, 176, 110]],
    [1, [255, 214, 140]],
  ]
  let color = stops[0]![1]
  for (let i = 1; i < stops.length; i++) {
    const [at, c] = stops[i]!
    const [prevAt] = stops[i - 1]!
    if (t <= at) {
      color = mix(stops[i - 1]![1], c, smooth(0, 1, (t - prevAt) / (at - prevAt)))
      break
    }
    color = c
  }
  const d = Math.hypot(x - SUN.x, y - SUN.y)
  const glow = Math.exp(-d / 70) * 0.55
  color = mix(color, [255, 236, 180], glow)
  if (d < SUN.r) color = mix([255, 246, 214], [255, 224, 150], d / SUN.r)
  else if (d < SUN.r + 1.5) color = mix(color, [255, 232, 170], (SUN.r + 1.5 - d) / 1.5)
  return color
}

/** Soft clouds: a few stretched blobs, lit from below by the sun. */
const clouds = [
  { x: 110, y: 60, w: 70, h: 10 },
  { x: 160, y: 72, w: 50, h: 8 },
  { x: 380, y: 48, w: 60, h: 9 },
  { x: 250, y: 100, w: 90, h: 7 },
  { x: 420, y: 110, w: 45, h: 6 },
]
function cloud(x: number, y: number, color: RGB): RGB {
  let cover = 0
  for (const c of clouds) {
    const dx = (x - c.x) / c.w
    const dy = (y - c.y) / c.h
    cover = Math.max(cover, Math.exp(-(dx * dx + dy * dy) * 2.2))
  }
  if (cover < 0.02) return color
  const lit = mix([236, 150, 160], [255, 208, 170], clamp01((y - 40) / 80))
  return mix(color, lit, cover * 0.85)
}

/** Three ranges of hills, far ones paler (aerial perspective). */
const ridges = [
  { base: 188, amp: [14, 7, 4], freq: [0.011, 0.029, 0.071], phase: [0.4, 1.7, 2.9], color: [132, 98, 150] as RGB },
  { base: 200, amp: [16, 6, 3], freq: [0.016, 0.041, 0.09], phase: [2.1, 0.3, 1.1], color: [86, 70, 118] as RGB },
  { base: 212, amp: [9, 4, 2], freq: [0.021, 0.053, 0.12], phase: [1.3, 2.5, 0.7], color: [44, 48, 82] as RGB },
]
const ridgeY = (r: (typeof ridges)[number], x: number) =>
  r.base - r.amp.reduce((sum, a, i) => sum + a * (1 + Math.sin(x * r.freq[i]! + r.phase[i]!)) / 2, 0)

function land(x: number, y: number): RGB | undefined {
  let hit: RGB | undefined
  for (const r of ridges) {
    const top = ridgeY(r, x)
    if (y >= top) {
      // A rim of sunlight on each crest.
      const rim = Math.exp(-(y - top) / 2.5) * 0.35 * Math.exp(-Math.abs(x - SUN.x) / 160)
      hit = mix(r.color, [255, 190, 140], rim)
    }
  }
  return hit
}

/** The scene above the water line. */
function above(x: number, y: number): RGB {
  return land(x, y) ?? cloud(x, y, sky(x, y))
}

function draw(): Uint8Array {
  const random = seeded(20260)
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3)
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      let color: RGB
      if (y < HORIZON) color = above(x, y)
      else {
        // The lake: the scene mirrored, rippled and darkened, with a glittering sun path.
        const depth = (y - HORIZON) / (HEIGHT - HORIZON)
        const ripple = Math.sin(y * 0.9 + Math.sin(x * 0.05) * 2) * (1 + depth * 4)
        const mirrorY = Math.max(0, 2 * HORIZON - y - 1)
        color = mix(above(Math.min(WIDTH - 1, Math.max(0, x + ripple)), mirrorY), [20, 26, 58], 0.25 + depth * 0.45)
        const path = Math.exp(-Math.abs(x - SUN.x) / (8 + depth * 40)) * (0.5 + 0.5 * Math.sin(y * 1.7 + x * 0.3))
        color = mix(color, [255, 220, 160], clamp01(path * (0.8 - depth * 0.4)))
      }
      // A whisper of noise hides banding in the gradients.
      const n = (random() - 0.5) * 3
      const at = (y * WIDTH + x) * 3
      for (let c = 0; c < 3; c++) rgb[at + c] = Math.round(Math.min(255, Math.max(0, color[c]! + n)))
    }
  }
  // A few birds: small dark "v"s against the glow.
  const birds: Array<[number, number, number]> = [
    [262, 118, 5],
    [276, 110, 4],
    [290, 121, 4],
    [214, 88, 3],
  ]
  for (const [bx, by, s] of birds) {
    for (let i = -s; i <= s; i++) {
      const px = bx + i
      const py = Math.round(by - Math.abs(i) * 0.6 + (Math.abs(i) === s ? 0.5 : 0))
      const at = (py * WIDTH + px) * 3
      rgb[at] = 40
      rgb[at + 1] = 30
      rgb[at + 2] = 50
    }
  }
  return rgb
}

const here = dirname(fileURLToPath(import.meta.url))
const out = process.argv[2] ?? join(here, '..', 'lessons', 'lesson-4-image-server', 'beauty.png')
const png = encodePng(WIDTH, HEIGHT, draw())
writeFileSync(out, png)
console.log(`wrote ${out}: ${WIDTH}×${HEIGHT}, ${png.length} bytes`)
