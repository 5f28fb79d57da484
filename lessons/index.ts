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

interface LessonEntry extends Omit<Lesson, 'id' | 'exercises'> {
  exercises: Omit<Exercise, 'number' | 'id'>[]
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
          'Work through the TODOs in order: create the server, listen on HOST and PORT, then fill in the connection callback: it runs once for each client.',
          "One 'data' event is not one message. Keep the bytes in an array until you see a newline byte (10), then decode the whole line at once with Buffer.concat(chunks).toString('utf8').",
          "A line can also end when the client closes its side: print what you collected in the 'end' handler. Give every socket an 'error' handler so that a client that vanishes cannot crash the server.",
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
          'net.connect({ host: HOST, port: PORT }) gives you a socket. Everything else happens in its event handlers.',
          "The greeting can arrive in several 'data' events, even with a character cut in half. Collect bytes until the newline byte, then decode the whole line.",
          "Send your line with socket.end('我是客户端~~\\n'): it writes, then closes your side. Handle 'error' and print one line such as `cannot connect to 127.0.0.1:8080`, then set process.exitCode = 1.",
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
          'Keep one byte buffer per connection. After every data event, take out each complete line (up to a newline byte) and answer it; keep the rest for the next event.',
          'Echo the line with its own bytes: write the Buffer you cut out, plus the newline. Compare the decoded text (without a trailing \\r) with 拜拜 and bye to spot the goodbye.',
          'A client that never sends a newline must not grow your buffer without end: once it holds more than, say, 64 KiB without a newline, close that connection.',
        ],
      },
      {
        file: 'chat-client.ts',
        kind: 'client',
        peer: 'solutions/lesson-3-echo-chat/chat-server.ts',
        title: 'A chat client that listens while you type',
        hints: [
          'Two independent streams: lines from stdin go to the socket, lines from the socket go to the console. Neither waits for the other, so the seed\'s deadlock cannot happen.',
          "node:readline over process.stdin gives you typed lines, and readline over the socket gives you the server's lines, UTF-8 safe.",
          "Every way out ends in the same place: on 拜拜/bye typed, on 拜拜/bye received, on the socket's 'end', on stdin's 'close', close the socket and let the program exit with code 0.",
        ],
      },
      {
        file: 'chat-server.ts',
        kind: 'server',
        peer: 'solutions/lesson-3-echo-chat/chat-client.ts',
        title: 'A chat server that takes people in turn',
        hints: [
          'Keep a queue of waiting sockets and one current one. A socket that connects while someone is talking joins the queue; its lines are kept until its turn.',
          'Read stdin with node:readline once, for the whole program: each typed line goes to whoever is current, or prints a notice when nobody is.',
          'When a conversation ends (拜拜 from either side, or the person leaves), close that socket and take the next one from the queue, printing the lines it sent while it waited.',
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
          'For each connection, send the bytes of the file named by IMAGE, then close. Bytes, not text: never turn them into a string.',
          'fs.createReadStream(IMAGE).pipe(socket) sends the file in pieces as the client can take them, and ends the socket when the file ends.',
          "Give each socket an 'error' handler, and each read stream one too: a client that leaves early must not crash the server.",
        ],
      },
      {
        file: 'image-client.ts',
        kind: 'client',
        peer: 'solutions/lesson-4-image-server/image-server.ts',
        title: 'A client that saves what it receives',
        hints: [
          'Receive until the server closes, then write every byte to OUT. The data is a picture: keep Buffers, never strings.',
          'Collect chunks in an array and join them once at the end with Buffer.concat(chunks). Joining on every chunk copies everything again each time: 50 MB takes minutes.',
          "Better still, stream: socket.pipe(fs.createWriteStream(OUT)). createWriteStream replaces an existing file; the seed's append mode ('ab') does not.",
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
          "const response = await fetch(TARGET, { headers: { Accept: 'application/json' } }) sends the request (TARGET holds the URL; the name URL itself is Node's URL class). response.status and response.headers.get('content-type') are the first two lines to print.",
          'Check response.ok before reading the body: on a 404 or 500, print one line with the status and set process.exitCode = 1.',
          'await response.json() reads the whole body before parsing it. Parsing piece by piece fails as soon as the body arrives in more than one chunk.',
        ],
      },
      {
        file: 'download.ts',
        kind: 'client',
        title: 'Download a picture, safely',
        hints: [
          "fetch follows redirects by itself. Check response.ok, then stream the body to a file: pipeline(Readable.fromWeb(response.body), createWriteStream(temporary)).",
          'Write to a temporary name next to OUT and rename it to OUT only when the whole body has arrived: a broken download then leaves nothing half-written, and an old OUT untouched.',
          'On any failure, remove the temporary file, print one line with the status or the error, and set process.exitCode = 1.',
        ],
      },
      {
        file: 'raw-get.ts',
        kind: 'client',
        title: 'The same GET by hand, over a socket',
        hints: [
          'Send the request as text: "GET /path?query HTTP/1.1\\r\\nHost: …\\r\\nAccept: application/json\\r\\nConnection: close\\r\\n\\r\\n". Then read until the server closes.',
          'Keep the response as bytes. The head ends at the first \\r\\n\\r\\n; parse the status line and headers from it, and decode the body only when it is complete.',
          'With Transfer-Encoding: chunked, the body is a series of "<size in hex>\\r\\n<bytes>\\r\\n" ending with a size of 0. Cut the chunks out of the bytes, join them, then decode.',
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
