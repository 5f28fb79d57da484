// Lesson 5 · raw-get: the GET of get-json.ts, by hand, over a TCP socket. Read README.md
// first ("HTTP is text"), then fill in the TODOs in order.
// Check your work: npm run check -- lesson-5 raw-get
// Try it by hand: npm run peer lesson-5 in one terminal, then npx tsx raw-get.ts here.
import net from 'node:net'

// new URL() takes the address apart: TARGET.hostname, TARGET.port, TARGET.host,
// TARGET.pathname, TARGET.search. (README: "URL parts")
const TARGET = new URL(process.env.URL ?? 'http://127.0.0.1:8083/satinApi?type=1&page=1')
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

// TODO 1: connect: net.connect({ host, port: Number(TARGET.port || 80) }), where host is
//         TARGET.hostname without the brackets an IPv6 address has in a URL: [::1] → ::1.
//         (README: "IPv6 in a URL")

// TODO 2: once connected, write the request. Every line ends with \r\n; an empty line ends it:
//         GET <TARGET.pathname + TARGET.search> HTTP/1.1
//         Host: <TARGET.host>
//         Accept: application/json
//         Connection: close
//         (README: "The request")

// TODO 3: collect every 'data' chunk as a Buffer. With Connection: close the server hangs up
//         after its answer: on 'end', Buffer.concat them all.

// TODO 4: the head ends at the first \r\n\r\n. Its first line is the status line
//         (HTTP/1.1 200 OK); then "Name: value" headers: keep them with lower-case names.
//         Print the status code and the content-type, as get-json.ts does. On a status
//         outside 200–299: one line naming it, process.exitCode = 1, stop.

// TODO 5: the body is the rest. If transfer-encoding is chunked, undo it: "<size in hex>\r\n",
//         that many bytes, "\r\n", again, until a size of 0. Else take content-length bytes.
//         Then, and only then: toString('utf8'), JSON.parse, one `name: text` line per item.
//         (README: "Content-Length or chunked")

// TODO 6 ⭐: socket.setTimeout(TIMEOUT_MS); on 'timeout' print one line, set exitCode 1 and
//         socket.destroy(). Handle 'error' too: one line, exit code 1. (README: "Timeouts")

console.log(`raw-get.ts does nothing yet: fill in its TODOs (GET ${TARGET.href}, timeout ${TIMEOUT_MS} ms).`)
