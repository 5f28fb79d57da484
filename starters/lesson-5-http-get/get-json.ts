// Lesson 5 · get-json. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-5 get-json
// Try it by hand: npm run peer lesson-5 in one terminal, then npx tsx get-json.ts here.

// URL is what to GET; the grader passes its own. (The constant is not called URL: that name
// belongs to the URL class.) TIMEOUT_MS is how long to wait before giving up.
const TARGET = process.env.URL ?? 'http://127.0.0.1:8083/satinApi?type=1&page=1'
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

// The body's shape: {"code":200,"msg":"成功!","data":[{"name":"…","text":"…",…},…]}
interface SatinApi {
  code: number
  msg: string
  data: { name: string; text: string }[]
}

// TODO 1: send the request, asking for JSON:
//         const response = await fetch(TARGET, { headers: { Accept: 'application/json' } })
//         Wrap this and the rest in try/catch: a refused connection throws.
//         (README: "The request")

// TODO 2: print the status code and the content-type header, one line each:
//         response.status, response.statusText, response.headers.get('content-type')

// TODO 3: if !response.ok (a 404, a 500…), print one line that names the status,
//         set process.exitCode = 1, and stop there. (README: "Check the status")

// TODO 4: read the whole body as JSON: (await response.json()) as SatinApi
//         and print one line `${item.name}: ${item.text}` for each item of data, in order.

// TODO 5 ⭐: give up after TIMEOUT_MS: pass signal: AbortSignal.timeout(TIMEOUT_MS) to fetch;
//         in the catch, print one line and set process.exitCode = 1. (README: "Timeouts")

console.log(`get-json.ts does nothing yet: fill in its TODOs (GET ${TARGET}, timeout ${TIMEOUT_MS} ms).`)
