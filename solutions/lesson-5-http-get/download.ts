// Lesson 5 · download: save a picture, streaming, through a temporary file.
// By hand: npm run peer lesson-5 in one terminal, npx tsx download.ts in another.
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const TARGET = process.env.URL ?? 'http://127.0.0.1:8083/pic.jpg'
const OUT = process.env.OUT ?? 'pic.jpg'
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

// Next to OUT, so that rename() is a move within one folder: all at once, never half done.
const temporary = join(dirname(OUT), `.${basename(OUT)}.${process.pid}.part`)

try {
  // fetch follows redirects (301, 302, 307, 308) by itself, up to 20 of them.
  const response = await fetch(TARGET, { signal: AbortSignal.timeout(TIMEOUT_MS) })
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    throw new Error(`the server answered ${response.status} ${response.statusText}`)
  }
  // Bytes go to the disk as they arrive: no string, no whole picture in memory. 'w' (the
  // default) creates or empties the file; the seed's 'ab' appended to an old one.
  await pipeline(Readable.fromWeb(response.body), createWriteStream(temporary))
  await rename(temporary, OUT)
  console.log(`saved ${OUT}`)
} catch (error) {
  // Half a picture is worse than none: remove the temporary file; OUT was never touched.
  await rm(temporary, { force: true })
  const reason = error instanceof Error && error.name === 'TimeoutError' ? `no complete answer within ${TIMEOUT_MS} ms` : (error as Error).message
  console.error(`download of ${TARGET} failed: ${reason}`)
  process.exitCode = 1
}
