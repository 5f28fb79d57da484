// Lesson 7 · post-json. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-7 post-json
// Try it by hand: npm run peer lesson-7 in one terminal, then npx tsx post-json.ts here.

// URL is where to POST; the grader passes its own. (The constant is not called URL: that name
// belongs to the URL class.) NAME and TEXT make the message.
const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/messages'
const NAME = process.env.NAME ?? '客户端'
const TEXT = process.env.TEXT ?? '我是客户端~~'

// TODO 1: POST the message as JSON:
//         const response = await fetch(TARGET, {
//           method: 'POST',
//           headers: { 'Content-Type': 'application/json' },
//           body: JSON.stringify({ name: NAME, text: TEXT }),   // never glue JSON from strings
//         })
//         Wrap everything in try/catch: fetch throws when it cannot connect.
//         (README: "A request with a body", "JSON with JSON.stringify")

// TODO 2: on a 201, print three lines, in this order:
//         `status: ${response.status} ${response.statusText}`
//         `location: ${response.headers.get('location')}`
//         `id: ${body.id}`   where body = await response.json(): the id as text, no quotes.
//         (README: "Reading the answer: status and headers")

// TODO 3: on a 503, read response.headers.get('retry-after') (seconds), wait that long,
//         and send the same request again: at most 3 tries in all. (README: "Retry-After")

// TODO 4: on anything else (400, 502, a third 503): print one line with the status and, if the
//         body is JSON with an `error` field, that text (parse it in a try: a 502 page is HTML).
//         Set process.exitCode = 1. (README: "Status codes for a POST")

console.log(`post-json.ts does nothing yet: fill in its TODOs (POST ${JSON.stringify({ name: NAME, text: TEXT })} to ${TARGET}).`)
