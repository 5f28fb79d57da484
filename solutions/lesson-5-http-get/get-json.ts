// Lesson 5 · get-json: GET some JSON with fetch, check the status, print one line per item.
// By hand: npm run peer lesson-5 in one terminal, npx tsx get-json.ts in another.

// URL is what to GET. (The constant is not called URL: that name belongs to the URL class.)
const TARGET = process.env.URL ?? 'http://127.0.0.1:8083/satinApi?type=1&page=1'
// How long to wait for the whole answer before giving up.
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

interface SatinApi {
  code: number
  msg: string
  data: { name: string; text: string }[]
}

try {
  // 1. The request: fetch sends "GET /satinApi?type=1&page=1 HTTP/1.1", a Host header, ours,
  //    and a blank line. The signal gives up on a server that stops answering.
  const response = await fetch(TARGET, {
    headers: { Accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  })

  // 2. The status line and one header arrive before the body.
  console.log(`status: ${response.status} ${response.statusText}`)
  console.log(`content-type: ${response.headers.get('content-type')}`)

  // 3. A 404 or a 500 has a body too (an error page), but it is not our data.
  if (!response.ok) {
    await response.body?.cancel()
    console.error(`error: ${TARGET} answered ${response.status} ${response.statusText}`)
    process.exitCode = 1
  } else {
    // 4. json() waits for the whole body, then decodes and parses it once.
    const answer = (await response.json()) as SatinApi
    for (const item of answer.data) console.log(`${item.name}: ${item.text}`)
  }
} catch (error) {
  // A refused connection, a timeout, a body that is not JSON: one line, exit code 1.
  const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS} ms` : (error as Error).message
  console.error(`error: GET ${TARGET} failed: ${reason}`)
  process.exitCode = 1
}
