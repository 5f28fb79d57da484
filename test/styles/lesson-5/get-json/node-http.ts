// A correct get-json in another style: node:http's get(), the body collected as Buffers.
import http from 'node:http'

const TARGET = process.env.URL ?? 'http://127.0.0.1:8083/satinApi?type=1&page=1'
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

let failed = false
function fail(reason: string): void {
  if (failed) return
  failed = true
  console.error(`GET ${TARGET} failed: ${reason}`)
  process.exitCode = 1
}

const request = http.get(TARGET, { headers: { Accept: 'application/json' } }, (response) => {
  const status = response.statusCode ?? 0
  console.log(`${status} ${response.statusMessage}`)
  console.log(`Content-Type: ${response.headers['content-type']}`)
  if (status < 200 || status > 299) {
    response.resume()
    fail(`status ${status}`)
    return
  }
  const chunks: Buffer[] = []
  response.on('data', (chunk: Buffer) => chunks.push(chunk))
  response.on('error', (error) => fail(error.message))
  response.on('end', () => {
    try {
      const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: Array<{ name: string; text: string }> }
      for (const { name, text } of answer.data) console.log(`${name}: ${text}`)
    } catch (error) {
      fail(`the body is not JSON: ${(error as Error).message}`)
    }
  })
})
// An idle timeout: nothing received for TIMEOUT_MS, give up.
request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error(`nothing for ${TIMEOUT_MS} ms`)))
request.on('error', (error) => fail(error.message))
