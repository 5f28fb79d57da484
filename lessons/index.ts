// The one list of lessons and exercises. The grader, the tests and the site read it;
// nothing else names a lesson. Adding a lesson: a folder under lessons/ with a README
// and starter files, the same file names under solutions/, checks/lessons/<id>.ts, and
// one entry here.

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
}

export interface Lesson {
  id: string
  number: number
  /** The folder name under lessons/ and solutions/. */
  slug: string
  title: string
  /** The port the lesson's programs use when PORT is unset. */
  port: number
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
        title: 'A client that listens first, then speaks',
        hints: [
          'net.connect({ host: HOST, port: PORT }) gives you a socket. Everything else happens in its event handlers.',
          "The greeting can arrive in several 'data' events, even with a character cut in half. Collect bytes until the newline byte, then decode the whole line.",
          "Send your line with socket.end('我是客户端~~\\n'): it writes, then closes your side. Handle 'error' and print one line such as `cannot connect to 127.0.0.1:8080`, then set process.exitCode = 1.",
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
