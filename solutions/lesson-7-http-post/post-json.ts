// Lesson 7 · post-json: POST a JSON message with fetch, read the answer's status, headers and
// body, and retry a 503 after the time its Retry-After asks for.
// By hand: npm run peer lesson-7 in one terminal, npx tsx post-json.ts in another.

// URL is where to POST. (The constant is not called URL: that name belongs to the URL class.)
const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/messages'
const NAME = process.env.NAME ?? '客户端'
const TEXT = process.env.TEXT ?? '我是客户端~~'
const TRIES = 3

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The `error` text of a JSON error body; undefined for any other body (an HTML page). */
async function errorText(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: unknown }
    return typeof body.error === 'string' ? body.error : undefined
  } catch {
    return undefined
  }
}

try {
  for (let attempt = 1; ; attempt++) {
    // 1. JSON.stringify escapes what gluing strings would break: quotes, backslashes, newlines.
    //    fetch counts the body's bytes for Content-Length itself.
    const response = await fetch(TARGET, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ name: NAME, text: TEXT }),
    })

    // 2. 503 Service Unavailable, with Retry-After: the server asks us to come back later.
    const retryAfter = response.headers.get('retry-after')
    if (response.status === 503 && attempt < TRIES) {
      await response.body?.cancel()
      const seconds = Number(retryAfter ?? 1)
      console.log(`503: retrying in ${seconds} s (try ${attempt + 1} of ${TRIES})`)
      await sleep(seconds * 1000)
      continue
    }

    // 3. 201 Created: Location names the new message; the body holds its id.
    if (response.status === 201) {
      const created = (await response.json()) as { id: string }
      console.log(`status: ${response.status} ${response.statusText}`)
      console.log(`location: ${response.headers.get('location')}`)
      console.log(`id: ${created.id}`)
      break
    }

    // 4. Anything else (400, 502, a third 503): one line, and the server's own words if it sent any.
    const error = await errorText(response)
    console.error(`error: ${response.status} ${response.statusText}${error === undefined ? '' : `: ${error}`}`)
    process.exitCode = 1
    break
  }
} catch (error) {
  console.error(`error: POST ${TARGET} failed: ${(error as Error).message}`)
  process.exitCode = 1
}
