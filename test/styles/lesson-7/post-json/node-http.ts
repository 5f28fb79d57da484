// A correct post-json in another style: node:http's request() instead of fetch, the body's
// bytes counted with Buffer.byteLength, the answer awaited with events.once, retries in a loop.
import { once } from 'node:events'
import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/messages'
const NAME = process.env.NAME ?? '客户端'
const TEXT = process.env.TEXT ?? '我是客户端~~'

interface Answer {
  status: number
  reason: string
  headers: http.IncomingHttpHeaders
  body: string
}

async function post(json: string): Promise<Answer> {
  const request = http.request(TARGET, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) },
  })
  request.end(json)
  const [response] = (await once(request, 'response')) as [http.IncomingMessage]
  const chunks: Buffer[] = []
  for await (const chunk of response) chunks.push(chunk as Buffer)
  return { status: response.statusCode ?? 0, reason: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }
}

function errorOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown }
    return typeof parsed.error === 'string' ? ` (${parsed.error})` : ''
  } catch {
    return ''
  }
}

try {
  const json = JSON.stringify({ name: NAME, text: TEXT })
  let answer = await post(json)
  for (let tries = 1; answer.status === 503 && tries < 3; tries++) {
    await sleep(Number(answer.headers['retry-after'] ?? '1') * 1000)
    answer = await post(json)
  }
  if (answer.status === 201) {
    console.log(`HTTP ${answer.status} ${answer.reason}`)
    console.log(`location: ${answer.headers.location}`)
    console.log(`id: ${(JSON.parse(answer.body) as { id: string }).id}`)
  } else {
    console.error(`POST failed with HTTP ${answer.status}${errorOf(answer.body)}`)
    process.exitCode = 1
  }
} catch (error) {
  console.error(`POST ${TARGET} failed: ${(error as Error).message}`)
  process.exitCode = 1
}
