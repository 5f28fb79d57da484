// Lesson 7 · upload. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-7 upload
// Try it by hand: npm run peer lesson-7 in one terminal, then npx tsx upload.ts here.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

// Where to POST, and the file to send (looked up in the folder you run the program from).
const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/upload'
const IMAGE = process.env.IMAGE ?? 'beauty.png'

// TODO 1: the file's own size and SHA-256, to compare with the server's answer later:
//         const bytes = (await stat(IMAGE)).size
//         const hash = createHash('sha256'); await pipeline(createReadStream(IMAGE), hash)
//         const sha256 = hash.digest('hex')
//         Wrap everything in try/catch: a missing file or a reset throws.

// TODO 2: POST the file, streamed from disk, never read whole (README: "Streaming an upload"):
//         const response = await fetch(TARGET, {
//           method: 'POST',
//           headers: { 'Content-Type': 'image/png' },
//           body: Readable.toWeb(createReadStream(IMAGE)) as ReadableStream<Uint8Array>,
//           duplex: 'half',
//           redirect: 'error',   // or fetch keeps a copy of every byte
//         } as RequestInit)

// TODO 3: if !response.ok (413…), print one line with the status and the JSON body's error
//         text, and set process.exitCode = 1.

// TODO 4: otherwise the body is {"bytes": n, "sha256": "<hex>"}. If both match yours, print
//         `uploaded ${bytes} bytes, sha256 ok`; if not, say which differs, exitCode = 1.

console.log(`upload.ts does nothing yet: fill in its TODOs (POST ${IMAGE} to ${TARGET}).`)
