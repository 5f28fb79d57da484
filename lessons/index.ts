// The one list of lessons and exercises. The grader, the tests and the site read it;
// nothing else names a lesson. Adding a lesson: a folder under lessons/ with a README
// and starter files, the same file names under solutions/, a folder checks/lessons/<id>/
// with one file of checks per exercise (named after the exercise's file), and one entry here.

export type ExerciseKind = 'server' | 'client' | 'stdio'

export interface Exercise {
  /** The file name without its extension; what `npm run check lesson-1 server` names. */
  id: string
  /** "1.1": lesson number, then the exercise's place in the lesson. */
  number: string
  title: string
  file: string
  kind: ExerciseKind
  /** Progressive hints, gentlest first. */
  hints: string[]
  /** For each hint, the checks it is about, by name (none: the whole exercise). A failure
   * report offers a hint only for a failure of one of its checks or of a check before them:
   * never a hint about what a passing check already proves. */
  hintChecks: string[][]
  /** The other side, for `npm run peer`: a reference program under solutions/ (a server for a
   * client exercise, a client for a server exercise), run from its lesson's folder. */
  peer?: string
}

export interface Lesson {
  id: string
  number: number
  /** The folder name under lessons/ and solutions/. */
  slug: string
  title: string
  /** The port the lesson's programs use when PORT is unset. */
  port: number
  /** How to run exercise files in other languages, by extension ({file} is the file), where the
   * grader's defaults (python3, node) will not do. */
  commands?: Record<string, string>
  /** A demo server for the whole lesson, for `npm run peer <lesson>`: a module under
   * checks/lessons/<id>/ exporting startDemoServer(port, host). Without one, `peer` runs the
   * exercise's own peer. */
  demo?: string
  exercises: Exercise[]
}

/** A hint as written here: its text, or its text and the checks it is about. */
type HintEntry = string | { text: string; checks: string[] }

interface LessonEntry extends Omit<Lesson, 'id' | 'exercises'> {
  exercises: (Omit<Exercise, 'number' | 'id' | 'hints' | 'hintChecks'> & { hints: HintEntry[] })[]
}

const entries: LessonEntry[] = [
  {
    number: 1,
    slug: 'lesson-1-server-basics',
    title: 'Server basics',
    port: 8080,
    exercises: [
      {
        file: 'server.ts',
        kind: 'server',
        peer: 'solutions/lesson-2-client-basics/client.ts',
        title: 'A server that greets, listens and hangs up',
        hints: [
          {
            text: 'Work through the TODOs in order: create the server, listen on HOST and PORT, then fill in the connection callback: it runs once for each client.',
            checks: ['listens on the HOST and PORT it is given', 'greets each client with 你好！ and a newline', 'closes the connection after the line', 'serves 3 clients in a row', 'serves 5 clients at once'],
          },
          {
            text: "One 'data' event is not one message. Keep the bytes in an array until you see a newline byte (10), then decode the whole line at once with Buffer.concat(chunks).toString('utf8').",
            checks: ['prints a line that arrives one byte at a time'],
          },
          {
            text: "A line can also end when the client closes its side: print what you collected in the 'end' handler. Give every socket an 'error' handler so that a client that vanishes cannot crash the server.",
            checks: ['prints a line that ends where the stream ends, with no newline', 'keeps serving after a client resets the connection', 'keeps serving after a client leaves without a word'],
          },
        ],
      },
    ],
  },
  {
    number: 2,
    slug: 'lesson-2-client-basics',
    title: 'Client basics',
    port: 8080,
    exercises: [
      {
        file: 'client.ts',
        kind: 'client',
        peer: 'solutions/lesson-1-server-basics/server.ts',
        title: 'A client that listens first, then speaks',
        hints: [
          {
            text: 'net.connect({ host: HOST, port: PORT }) gives you a socket. Everything else happens in its event handlers.',
            checks: ['connects to the HOST and PORT it is given'],
          },
          {
            text: "The greeting can arrive in several 'data' events, even with a character cut in half. Collect bytes until the newline byte, then decode the whole line.",
            checks: ['prints the greeting, even when it arrives in pieces'],
          },
          {
            text: "Send your line with socket.end('我是客户端~~\\n'): it writes, then closes your side. Handle 'error' and print one line such as `cannot connect to 127.0.0.1:8080`, then set process.exitCode = 1.",
            checks: ['answers 我是客户端~~ once the greeting has arrived, and nothing else', 'closes its side, then exits with code 0', 'with nothing listening, prints one line naming the address and exits with code 1'],
          },
        ],
      },
    ],
  },
  {
    number: 3,
    slug: 'lesson-3-echo-chat',
    title: 'Echo and chat',
    port: 8081,
    exercises: [
      {
        file: 'echo-server.ts',
        kind: 'server',
        peer: 'solutions/lesson-3-echo-chat/chat-client.ts',
        title: 'An echo server that says 拜拜',
        hints: [
          {
            text: 'Keep one byte buffer per connection. After every data event, take out each complete line (up to a newline byte) and answer it; keep the rest for the next event.',
            checks: ['echoes a line back, byte for byte', 'echoes a line that arrives in pieces, split inside a character', 'echoes two lines and an empty one that arrive in one write, each as it came', 'talks to 20 clients at once, each hearing only its own lines'],
          },
          {
            text: 'Echo the line with its own bytes: write the Buffer you cut out, plus the newline. Compare the decoded text (without a trailing \\r) with 拜拜 and bye to spot the goodbye.',
            checks: ['echoes a line back, byte for byte', 'answers 拜拜 and bye with 拜拜 and hangs up, alone, after another line in one write, or split'],
          },
          {
            text: 'A client that never sends a newline must not grow your buffer without end: once it holds more than, say, 64 KiB without a newline, close that connection.',
            checks: ['survives megabytes without a newline, without keeping them'],
          },
        ],
      },
      {
        file: 'chat-client.ts',
        kind: 'client',
        peer: 'solutions/lesson-3-echo-chat/chat-server.ts',
        title: 'A chat client that listens while you type',
        hints: [
          {
            text: 'Two independent streams: lines from stdin go to the socket, lines from the socket go to the console. Neither waits for the other, so the seed\'s deadlock cannot happen.',
            checks: ['prints what the server says, before anything is typed', 'prints several server lines in a row, still without input', 'sends each typed line to the server'],
          },
          {
            text: "node:readline over process.stdin gives you typed lines, and readline over the socket gives you the server's lines, UTF-8 safe.",
            checks: ['prints what the server says, before anything is typed', 'prints several server lines in a row, still without input', 'sends each typed line to the server'],
          },
          {
            text: "Every way out ends in the same place: on 拜拜/bye typed, on 拜拜/bye received, on the socket's 'end', on stdin's 'close', close the socket and let the program exit with code 0.",
            checks: ['typing 拜拜 or bye sends it, closes and exits with code 0', 'when the server says 拜拜 or bye, alone, after a line, or split, says so and exits with code 0', 'when the server hangs up, exits with code 0', 'when input ends, closes and exits with code 0'],
          },
        ],
      },
      {
        file: 'chat-server.ts',
        kind: 'server',
        peer: 'solutions/lesson-3-echo-chat/chat-client.ts',
        title: 'A chat server that takes people in turn',
        hints: [
          {
            text: 'Keep a queue of waiting sockets and one current one. A socket that connects while someone is talking joins the queue; its lines are kept until its turn.',
            checks: ['prints what the person says', 'when the person says 拜拜, hangs up and takes the next in line', 'drops someone who leaves while waiting'],
          },
          {
            text: 'Read stdin with node:readline once, for the whole program: each typed line goes to whoever is current, or prints a notice when nobody is.',
            checks: ['sends typed lines to the person, while they talk too', 'typing with nobody there prints a notice, and the next person is served'],
          },
          {
            text: 'When a conversation ends (拜拜 from either side, or the person leaves), close that socket and take the next one from the queue, printing the lines it sent while it waited.',
            checks: ['when the person says 拜拜, hangs up and takes the next in line', 'typing 拜拜 sends it, hangs up, and takes the next in line', 'drops someone who leaves while waiting', 'takes the next in line when the person resets the connection'],
          },
        ],
      },
    ],
  },
  {
    number: 4,
    slug: 'lesson-4-image-server',
    title: 'Image server',
    port: 8082,
    exercises: [
      {
        file: 'image-server.ts',
        kind: 'server',
        peer: 'solutions/lesson-4-image-server/image-client.ts',
        title: 'A server that sends a picture',
        hints: [
          {
            text: 'For each connection, send the bytes of the file named by IMAGE, then close. Bytes, not text: never turn them into a string.',
            checks: ['sends every byte of the picture, then closes the connection', 'serves 3 clients in a row', 'sends 50 MiB of every byte value, byte for byte'],
          },
          {
            text: 'fs.createReadStream(IMAGE).pipe(socket) sends the file in pieces as the client can take them, and ends the socket when the file ends.',
            checks: ['serves 8 clients at once', 'a client that does not read does not hold up the others', 'streams from disk: its memory stays flat while 2 clients fetch 200 MiB at once'],
          },
          {
            text: "Give each socket an 'error' handler, and each read stream one too: a client that leaves early must not crash the server.",
            checks: ['keeps serving after a client resets the connection mid-download'],
          },
        ],
      },
      {
        file: 'image-client.ts',
        kind: 'client',
        peer: 'solutions/lesson-4-image-server/image-server.ts',
        title: 'A client that saves what it receives',
        hints: [
          {
            text: 'Receive until the server closes, then write every byte to OUT. The data is a picture: keep Buffers, never strings.',
            checks: ['exits with code 0 once the server has sent the picture and closed', 'writes exactly the bytes of the picture to OUT'],
          },
          {
            text: 'Collect chunks in an array and join them once at the end with Buffer.concat(chunks). Joining on every chunk copies everything again each time: 50 MB takes minutes.',
            checks: ['saves 100 MiB of every byte value, sent in 8 MiB writes, within 12 s'],
          },
          {
            text: "Better still, stream: socket.pipe(fs.createWriteStream(OUT)). createWriteStream replaces an existing file; the seed's append mode ('ab') does not.",
            checks: ['replaces an existing new.png instead of appending to it', 'streams to disk: its memory stays flat while it saves 200 MiB'],
          },
        ],
      },
    ],
  },
  {
    number: 5,
    slug: 'lesson-5-http-get',
    demo: 'checks/lessons/lesson-5/demo.ts',
    title: 'HTTP GET',
    port: 8083,
    exercises: [
      {
        file: 'get-json.ts',
        kind: 'client',
        title: 'GET some JSON with fetch',
        hints: [
          {
            text: "const response = await fetch(TARGET, { headers: { Accept: 'application/json' } }) sends the request (TARGET holds the URL; the name URL itself is Node's URL class). response.status and response.headers.get('content-type') are the first two lines to print.",
            checks: ['sends GET for the URL it is given, query included', 'asks for JSON with Accept: application/json', 'prints the status code and the content-type'],
          },
          {
            text: 'Check response.ok before reading the body: on a 404 or 500, print one line with the status and set process.exitCode = 1.',
            checks: ['on a 404, prints one line with the status and exits with code 1', 'on a 500, prints one line with the status and exits with code 1'],
          },
          {
            text: 'await response.json() reads the whole body before parsing it. Parsing piece by piece fails as soon as the body arrives in more than one chunk.',
            checks: ['prints name: text for each item, in order, and exits with code 0', 'reads a chunked body that arrives in pieces, a character cut in two', 'reads a large body: 1500 items, about 600 KB'],
          },
        ],
      },
      {
        file: 'download.ts',
        kind: 'client',
        title: 'Download a picture, safely',
        hints: [
          {
            text: "fetch follows redirects by itself. Check response.ok, then stream the body to a file: pipeline(Readable.fromWeb(response.body), createWriteStream(temporary)).",
            checks: ['sends GET for the URL it is given', 'saves the picture to OUT, byte for byte, and exits with code 0', 'follows redirects: 301, then 302', 'streams a 20 MiB picture to disk as it arrives, byte for byte'],
          },
          {
            text: 'Write to a temporary name next to OUT and rename it to OUT only when the whole body has arrived: a broken download then leaves nothing half-written, and an old OUT untouched.',
            checks: ['replaces an existing OUT instead of appending to it', 'on a broken transfer, exits with code 1, leaves no partial file and keeps the old OUT'],
          },
          {
            text: 'On any failure, remove the temporary file, print one line with the status or the error, and set process.exitCode = 1.',
            checks: ['on a 404, prints one line with the status, exits with code 1 and saves nothing', 'on a 500, prints one line with the status, exits with code 1 and saves nothing', 'on a broken transfer, exits with code 1, leaves no partial file and keeps the old OUT', 'gives up with one line when the server stalls (TIMEOUT_MS), leaving no partial file'],
          },
        ],
      },
      {
        file: 'raw-get.ts',
        kind: 'client',
        title: 'The same GET by hand, over a socket',
        hints: [
          {
            text: 'Send the request as text: "GET /path?query HTTP/1.1\\r\\nHost: …\\r\\nAccept: application/json\\r\\nConnection: close\\r\\n\\r\\n". Then read until the server closes.',
            checks: ['connects to the host and port in URL', 'sends the request line GET <path?query> HTTP/1.1', 'sends Host, Accept: application/json and Connection: close, then a blank line'],
          },
          {
            text: 'Keep the response as bytes. The head ends at the first \\r\\n\\r\\n; parse the status line and headers from it, and decode the body only when it is complete.',
            checks: [
              'prints the status code and the content-type',
              'prints name: text for each item, in order, and exits with code 0',
              'reads a body that ends at the close, with neither Content-Length nor chunked',
              'on a body cut short of its Content-Length, prints one line and exits with code 1',
            ],
          },
          {
            text: 'With Transfer-Encoding: chunked, the body is a series of "<size in hex>\\r\\n<bytes>\\r\\n" ending with a size of 0. Cut the chunks out of the bytes, join them, then decode.',
            checks: ['reads a chunked body split anywhere, even inside a chunk size or a character', 'reads a large chunked body: 1500 items, about 600 KB'],
          },
        ],
      },
    ],
  },
  {
    number: 6,
    slug: 'lesson-6-udp',
    demo: 'checks/lessons/lesson-6/demo.ts',
    title: 'UDP',
    port: 8084,
    exercises: [
      {
        file: 'udp-server.ts',
        kind: 'server',
        title: 'A key-value store over UDP',
        hints: [
          {
            text: "dgram.createSocket('udp4') makes a UDP socket (for an IPv6 HOST, 'udp6'), and socket.bind(PORT, HOST) puts it where the grader looks. There is no listen() and no connection: socket.on('message', (message, rinfo) => …) gets every datagram, from anyone.",
            checks: ['binds a UDP socket on the HOST and PORT it is given', 'works the same over IPv6, with HOST=::1'],
          },
          {
            text: "One message event is one whole request. Decode it with message.toString('utf8'), take off one trailing \\n or \\r\\n, and split at the first '=': request.indexOf('='). With no '=', answer socket.send(`${key}=${value}`, rinfo.port, rinfo.address).",
            checks: [
              'answers a retrieve with key=value after an insert, CJK and emoji too',
              'answers key= for a key it does not know',
              'takes off one trailing \\n or \\r\\n, as nc -u sends, and nothing else',
              'two datagrams sent back to back are two requests, and a \\n inside one is part of it',
              'splits at the first =, so a value may hold =',
              'an empty key, an empty value, and a later insert that replaces',
            ],
          },
          {
            text: 'Reply inside the message handler, to that message\'s rinfo, with the socket the request came in on: never to a sender kept in a variable from before. A Map holds the store; "version" is answered before you look in it, and inserts to it are skipped.',
            checks: ['answers version= with some text, and ignores inserts to version', 'answers 5 clients on 5 ports at once, each with its own answer', 'stores 500 keys and answers each one right'],
          },
          {
            text: "Check message.length (bytes) before anything else: more than 1000, return. toString('utf8') never throws on bad bytes. Handle the socket's 'error' event: a taken port (EADDRINUSE) gets one line and process.exitCode = 1.",
            checks: ['ignores a datagram longer than 1000 bytes, and takes one of exactly 1000', 'keeps serving after garbage: invalid UTF-8, an empty datagram, a cut character', 'on a port that is taken, prints one line naming the port and exits'],
          },
        ],
      },
      {
        file: 'ping.ts',
        kind: 'client',
        title: 'A UDP pinger',
        hints: [
          {
            text: "Create a socket of the type HOST needs and send `PING ${seq}` to PORT and HOST with socket.send(). Listen for 'message' first, so a quick reply cannot come before you are ready for it.",
            checks: ['sends PING 1 to the HOST and PORT it is given', 'works the same over IPv6, with HOST=::1'],
          },
          {
            text: 'Wait for each reply with a promise that settles on the first of two events: the PONG you want arrives (resolve with the round-trip time, performance.now() minus the time you sent), or a setTimeout of TIMEOUT_MS fires (resolve with no time). Clear the timer and remove the listener either way, then go on to the next ping at once.',
            checks: [
              'when every reply comes at once, ends long before COUNT × TIMEOUT_MS',
              'sends PING 1 to PING 4 one at a time, each after the reply to the one before (COUNT defaults to 4)',
              'prints seq=n time=T ms for each ping, in order',
              'some pings dropped: seq=n timeout in their lines, the loss rounded, exit code 0',
              'when no reply comes, ends within COUNT × TIMEOUT_MS and a small margin, with exit code 1',
              "12 pings leave no 'message' listener behind (no MaxListenersExceededWarning)",
            ],
          },
          {
            text: "Only one datagram answers ping n: exactly `PONG ${n}`, from rinfo.address === HOST and rinfo.port === PORT, while you wait for ping n. Anything else (a late PONG of an earlier ping, a duplicate, a stranger, garbage) is ignored and counts for nothing.",
            checks: [
              'a reply later than TIMEOUT_MS, arriving while the next ping waits, is not taken for it',
              'a reply sent twice counts once',
              "ignores a stranger's datagram from another port or address, and garbage",
              'a reply delayed by a known time shows an RTT no smaller than that delay',
              'run by hand, with no HOST, pings 127.0.0.1',
            ],
          },
          {
            text: 'Count what you sent and received; loss is Math.round(100 * (sent - received) / sent). Print the rtt line only when something came back. Then socket.close(), and set process.exitCode = received > 0 ? 0 : 1.',
            checks: ['prints the summary, 4 sent, 4 received, 0% loss and rtt min/avg/max, and exits with code 0', 'when no reply comes, ends within COUNT × TIMEOUT_MS and a small margin, with exit code 1', 'with nothing listening, prints timeouts or one line, and exits with code 1'],
          },
        ],
      },
    ],
  },
  {
    number: 7,
    slug: 'lesson-7-http-post',
    demo: 'checks/lessons/lesson-7/demo.ts',
    title: 'HTTP POST and headers',
    port: 8085,
    exercises: [
      {
        file: 'post-json.ts',
        kind: 'client',
        title: 'POST a JSON message with fetch',
        hints: [
          {
            text: "fetch(TARGET, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: NAME, text: TEXT }) }). JSON.stringify escapes quotes, backslashes and newlines; gluing strings does not.",
            checks: ['sends POST for the URL it is given, query included', 'sends Content-Type: application/json', 'sends exactly {"name": NAME, "text": TEXT} as JSON, quotes, backslashes and newlines included'],
          },
          {
            text: "On a 201: print response.status, then `location: ${response.headers.get('location')}`, then `id: ${(await response.json()).id}`. The id is a string: print it as it is, not JSON.stringify'd.",
            checks: ['on a 201, prints the status, location: <Location> and id: <id>, in this order, and exits with code 0'],
          },
          {
            text: "Anything but 201 or 503: one line with response.status and, from a JSON body, its error field (parse it in a try: a 502 page is HTML), then process.exitCode = 1.",
            checks: ['on a 400, prints one line with the status and the error text, and exits with code 1', 'on a 502 with an HTML page, prints one line with the status and exits with code 1'],
          },
          {
            text: "A 503 asks you to come back later: wait Number(response.headers.get('retry-after')) * 1000 ms, then send the same request again. Count the tries: 3 in all, then give up with one line and exit code 1.",
            checks: ['on a 503 with Retry-After: 2, waits 2 s, then sends the same request again', 'on a second 503, with Retry-After: 0, tries a third time and prints its 201', 'after a third 503, gives up: one line with the status, exit code 1'],
          },
        ],
      },
      {
        file: 'upload.ts',
        kind: 'client',
        title: 'Upload the picture, streamed',
        hints: [
          {
            text: "fetch(TARGET, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: Readable.toWeb(createReadStream(IMAGE)), duplex: 'half' }) sends the file as it reads it. Bytes, not text: no 'utf8' anywhere.",
            checks: ['sends POST for the URL it is given, query included', 'sends Content-Type: image/png', 'uploads every byte of the file: all 256 byte values and invalid UTF-8', 'uploads a 20 MB file, byte for byte'],
          },
          {
            text: "Your own numbers: (await stat(IMAGE)).size, and createHash('sha256') fed by pipeline(createReadStream(IMAGE), hash). Compare both with the server's bytes and sha256: print `uploaded ${bytes} bytes, sha256 ok` only when both match.",
            checks: ['prints uploaded <n> bytes, sha256 ok and exits with code 0', "when the server's SHA-256 differs, says so and exits with code 1", "when the server's byte count differs, with the right SHA-256, says so and exits with code 1"],
          },
          {
            text: 'Check response.ok first (a 413 refuses the file), and catch what fetch throws (a reset half-way): either way one line, process.exitCode = 1.',
            checks: ['on a 413, prints one line with the status and the error, and exits with code 1', 'on a 502 with an HTML page, prints one line with the status and exits with code 1', 'when the server resets the connection half-way, prints one line and exits with code 1'],
          },
          {
            text: "fetch keeps a copy of a stream body in memory, to send it again if it is redirected. redirect: 'error' turns that off; then memory stays flat whatever the size of the file.",
            checks: ['streams from disk: its memory stays flat while 200 MB goes up'],
          },
        ],
      },
      {
        file: 'raw-post.ts',
        kind: 'client',
        title: 'The same POST by hand, over a socket',
        hints: [
          {
            text: 'The head is text, every line ending in \\r\\n: "POST /path?query HTTP/1.1", then Host: url.host, Content-Type: application/json, Content-Length, Connection: close, and an empty line. Then the body.',
            checks: [
              'connects to the host and port in URL',
              'sends the request line POST <path?query> HTTP/1.1, lines ending in \\r\\n',
              'sends Host with its port, Content-Type: application/json, Content-Length and Connection: close',
            ],
          },
          {
            text: 'Content-Length counts bytes: const body = Buffer.from(JSON.stringify({ name: NAME, text: TEXT })), then Content-Length: body.length. TEXT.length counts characters, and 客 is 3 bytes.',
            checks: ['sends a Content-Length that counts bytes, then the JSON body'],
          },
          {
            text: "Keep the answer as bytes until the server closes. The head ends at the first \\r\\n\\r\\n; lower-case each header name as you parse it, then look up 'location'. Undo chunked as in lesson 5's raw-get, then decode the body once.",
            checks: [
              'prints the status, location: <Location> and id: <id>, the answer cut anywhere, even inside a \\r\\n',
              'reads header names in any case: LOCATION, content-type, CONTENT-LENGTH',
              'reads a chunked answer, split inside a chunk size and inside a character',
            ],
          },
          {
            text: "new URL('http://[::1]:8085/').hostname is '[::1]', brackets included: net.connect() wants '::1'. Host keeps them: url.host is '[::1]:8085'.",
            checks: ['works the same over IPv6, with a URL on [::1]'],
          },
        ],
      },
    ],
  },
]

export const lessons: Lesson[] = entries.map((entry) => ({
  ...entry,
  id: `lesson-${entry.number}`,
  exercises: entry.exercises.map((exercise, index) => ({
    ...exercise,
    id: exercise.file.replace(/\.[^.]+$/, ''),
    number: `${entry.number}.${index + 1}`,
    hints: exercise.hints.map((hint) => (typeof hint === 'string' ? hint : hint.text)),
    hintChecks: exercise.hints.map((hint) => (typeof hint === 'string' ? [] : hint.checks)),
  })),
}))

/** Accepts `lesson-1`, `1`, `server-basics` and `lesson-1-server-basics`. */
export function findLesson(query: string): Lesson | undefined {
  const q = query.trim().toLowerCase()
  return lessons.find(
    (lesson) =>
      lesson.id === q ||
      String(lesson.number) === q ||
      lesson.slug === q ||
      lesson.slug === `${lesson.id}-${q}`,
  )
}

/** Accepts the exercise id (`server`), its file name (`server.ts`) or its number (`1.1`, `1`). */
export function findExercise(lesson: Lesson, query: string): Exercise | undefined {
  const q = query.trim().toLowerCase()
  return lesson.exercises.find(
    (exercise, index) =>
      exercise.id === q || exercise.file === q || exercise.number === q || String(index + 1) === q,
  )
}
