// Lesson 7 · upload: POST a picture, streamed from disk, and compare the server's count and
// SHA-256 of what it received with our own.
// By hand: npm run peer lesson-7 in one terminal, npx tsx upload.ts in another.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/upload'
const IMAGE = process.env.IMAGE ?? 'beauty.png'

/** Our own SHA-256 of the file, read in pieces like the upload: never all of it at once. */
async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

/** The `error` text of a JSON error body; undefined for any other body. */
async function errorText(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: unknown }
    return typeof body.error === 'string' ? body.error : undefined
  } catch {
    return undefined
  }
}

try {
  const bytes = (await stat(IMAGE)).size
  const sha256 = await sha256Of(IMAGE)

  // 1. The body is a stream of the file's bytes: fetch sends it as it reads it, chunked.
  //    duplex: 'half' is required for a stream body. redirect: 'error' matters too: to follow
  //    a redirect fetch would have to send the body again, so it keeps a copy of every byte in
  //    memory unless told that a redirect is an error.
  const response = await fetch(TARGET, {
    method: 'POST',
    headers: { 'Content-Type': 'image/png' },
    body: Readable.toWeb(createReadStream(IMAGE)) as ReadableStream<Uint8Array>,
    duplex: 'half',
    redirect: 'error',
  } as RequestInit)

  // 2. Anything but 2xx (413 Payload Too Large…): one line with the status and the reason.
  if (!response.ok) {
    const error = await errorText(response)
    console.error(`error: ${response.status} ${response.statusText}${error === undefined ? '' : `: ${error}`}`)
    process.exitCode = 1
  } else {
    // 3. The server says what it received; we know what we sent.
    const answer = (await response.json()) as { bytes: number; sha256: string }
    if (answer.bytes !== bytes) {
      console.error(`error: the server received ${answer.bytes} bytes, but ${IMAGE} has ${bytes}`)
      process.exitCode = 1
    } else if (answer.sha256 !== sha256) {
      console.error(`error: sha256 differs: the server has ${answer.sha256}, ${IMAGE} has ${sha256}`)
      process.exitCode = 1
    } else {
      console.log(`uploaded ${bytes} bytes, sha256 ok`)
    }
  }
} catch (error) {
  // A missing file, a refused connection, a reset mid-upload: one line, exit code 1.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  console.error(`error: upload of ${IMAGE} to ${TARGET} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`)
  process.exitCode = 1
}
