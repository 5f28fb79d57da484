// A correct upload in another style: node:http's request(), the file piped into it, its size
// and SHA-256 counted on the way by a Transform instead of a read of its own; events.once waits
// for the answer; on a refusal it stops sending.
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream } from 'node:fs'
import http from 'node:http'
import { Transform } from 'node:stream'

const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/upload'
const IMAGE = process.env.IMAGE ?? 'beauty.png'

const hash = createHash('sha256')
let sent = 0
const counting = new Transform({
  transform(chunk: Buffer, _encoding, done) {
    hash.update(chunk)
    sent += chunk.length
    done(null, chunk)
  },
})

try {
  const request = http.request(TARGET, { method: 'POST', headers: { 'Content-Type': 'image/png' } })
  const file = createReadStream(IMAGE)
  file.on('error', (error) => request.destroy(error))
  file.pipe(counting).pipe(request)
  const [response] = (await once(request, 'response')) as [http.IncomingMessage]
  let text = ''
  response.setEncoding('utf8')
  for await (const piece of response) text += piece
  const status = response.statusCode ?? 0
  if (status < 200 || status > 299) {
    // Refused before the end of the file: stop sending the rest, nobody will read it.
    file.unpipe()
    request.destroy()
    let reason = ''
    try {
      reason = `: ${(JSON.parse(text) as { error: string }).error}`
    } catch {}
    console.error(`upload refused: ${status}${reason}`)
    process.exitCode = 1
  } else {
    const receipt = JSON.parse(text) as { bytes: number; sha256: string }
    const mine = hash.digest('hex')
    if (receipt.bytes === sent && receipt.sha256 === mine) {
      console.log(`uploaded ${sent} bytes, sha256 ok`)
    } else {
      console.error(`mismatch: server has ${receipt.bytes} bytes / sha256 ${receipt.sha256}, we sent ${sent} bytes / sha256 ${mine}`)
      process.exitCode = 1
    }
  }
} catch (error) {
  console.error(`upload failed: ${(error as Error).message}`)
  process.exitCode = 1
}
