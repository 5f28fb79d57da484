// Lesson 5 · download. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-5 download
// Try it by hand: npm run peer lesson-5 in one terminal, then npx tsx download.ts here.
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

// What to GET, where to save it, how long to wait. The grader passes its own URL and OUT.
const TARGET = process.env.URL ?? 'http://127.0.0.1:8083/pic.jpg'
const OUT = process.env.OUT ?? 'pic.jpg'
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

// Write here first, next to OUT; rename to OUT only when the whole picture has arrived.
const temporary = join(dirname(OUT), `.${basename(OUT)}.${process.pid}.part`)

// TODO 1: GET the picture: const response = await fetch(TARGET)
//         fetch follows redirects (301, 302…) by itself. Wrap everything in try/catch.

// TODO 2: if !response.ok, print one line that names the status, set process.exitCode = 1,
//         and write nothing at all. (README: "Check the status")

// TODO 3: stream the body into the temporary file, then move it into place:
//         await pipeline(Readable.fromWeb(response.body!), createWriteStream(temporary))
//         await rename(temporary, OUT)
//         (README: "Saving a download safely". Not the seed's pic += …, not append mode.)

// TODO 4: in the catch (a broken connection, a timeout…): await rm(temporary, { force: true }),
//         print one line and set process.exitCode = 1. An existing OUT stays untouched.

// TODO 5 ⭐: give up after TIMEOUT_MS: fetch(TARGET, { signal: AbortSignal.timeout(TIMEOUT_MS) })

console.log(`download.ts does nothing yet: fill in its TODOs (GET ${TARGET} into ${OUT}, timeout ${TIMEOUT_MS} ms).`)
