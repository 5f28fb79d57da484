// Lesson 7 · raw-post. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-7 raw-post
// Try it by hand: npm run peer lesson-7 in one terminal, then npx tsx raw-post.ts here.
import net from 'node:net'

const TARGET = new URL(process.env.URL ?? 'http://127.0.0.1:8085/messages')
const NAME = process.env.NAME ?? '客户端'
const TEXT = process.env.TEXT ?? '我是客户端~~'

// TODO 1: the body, as bytes: const body = Buffer.from(JSON.stringify({ name: NAME, text: TEXT }))
//         Content-Length is body.length: bytes, not characters. (README: "Content-Length counts bytes")

// TODO 2: the head, every line ending in \r\n, then an empty line (README: "POST by hand"):
//         POST <TARGET.pathname + TARGET.search> HTTP/1.1
//         Host: <TARGET.host>            (with the port; [::1]:8085 for IPv6)
//         Content-Type: application/json
//         Content-Length: <body.length>
//         Connection: close

// TODO 3: connect and send: net.connect({ host, port }, () => socket.end(Buffer.concat([head, body])))
//         where host is TARGET.hostname without IPv6's brackets (README: "IPv6 in a URL").
//         Handle 'error': print one line, process.exitCode = 1.

// TODO 4: collect the answer's bytes until 'end'. Split off the head at the first \r\n\r\n;
//         parse the status line and the headers, names lower-cased. The body: undo chunked, or
//         take Content-Length bytes; then decode it once.

// TODO 5: on 201, print the status, `location: …` and `id: …` (from the JSON body), as post-json.ts
//         does. Otherwise print one line with the status (and the JSON error text, if any), exitCode = 1.

console.log(`raw-post.ts does nothing yet: fill in its TODOs (POST ${JSON.stringify({ name: NAME, text: TEXT })} to ${TARGET.href}).`)
