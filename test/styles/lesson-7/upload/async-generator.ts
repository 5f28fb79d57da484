// A correct upload in another style: fetch with an async generator as the body, hashing each
// piece of the file as it goes out (for await over the read stream), so the file is read once.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'

const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/upload'
const IMAGE = process.env.IMAGE ?? 'beauty.png'

const hash = createHash('sha256')
let size = 0

async function* pieces(): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(IMAGE)) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
    yield chunk as Buffer
  }
}

async function main(): Promise<number> {
  await access(IMAGE)
  const response = await fetch(TARGET, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: pieces(),
    duplex: 'half',
    redirect: 'error',
  } as unknown as RequestInit)
  const text = await response.text()
  if (!response.ok) {
    let error = ''
    try {
      error = ` ${(JSON.parse(text) as { error: string }).error}`
    } catch {
      // an HTML page, or nothing
    }
    console.error(`HTTP ${response.status}${error}`)
    return 1
  }
  const receipt = JSON.parse(text) as { bytes: number; sha256: string }
  const digest = hash.digest('hex')
  if (receipt.bytes !== size) {
    console.error(`byte count differs: server ${receipt.bytes}, file ${size}`)
    return 1
  }
  if (receipt.sha256 !== digest) {
    console.error(`sha256 differs: server ${receipt.sha256}, file ${digest}`)
    return 1
  }
  console.log(`uploaded ${size} bytes, sha256 ok`)
  return 0
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error & { cause?: Error }) => {
    console.error(`upload failed: ${error.cause?.message ?? error.message}`)
    process.exitCode = 1
  },
)
