// What a test client says when a line stops short: a program that ends its side after half a
// line forgot the newline; one that resets the connection may have sent more, which the reset
// threw away, so the check's own why is the one to read.

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { findExercise, findLesson } from '../lessons/index.ts'
import { exercise, runStories } from '../checks/engine/story.ts'
import { survivorsAfter } from './helpers.ts'

afterEach(async () => {
  expect(await survivorsAfter(1500)).toEqual([])
})

const lesson = findLesson('lesson-1')!
const server = findExercise(lesson, 'server')!

/** A server that sends a line and half of another, then does `then` to the connection. */
function halfLine(then: 'end()' | 'resetAndDestroy()'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netlings-half-line-')), 'server.ts')
  writeFileSync(
    file,
    `import net from 'node:net'
net.createServer((socket) => {
  socket.write('第一行\\n半行')
  setTimeout(() => socket.${then}, 200)
}).listen(Number(process.env.PORT), process.env.HOST)
`,
  )
  return file
}

const reading = exercise(({ check }) => {
  check('reads two lines', { see: 'host-and-port', why: 'The why of the check.' }, async ({ start, connect }) => {
    const client = await connect(await start())
    await client.expectLine('第一行')
    await client.expectLine('第二行')
  })
})

test('half a line, then the end of the stream: the newline is missing', async () => {
  const { checks } = await runStories(reading, { lesson, exercise: server, file: halfLine('end()') }, 1)
  expect(checks[0]!.failure?.message).toBe('Your server sent "半行" and then closed the connection, with no newline at the end.')
  expect(checks[0]!.failure?.why).toContain('A line ends with "\\n"')
})

test('half a line, then a reset: the reset is told, and the check’s why, not a missing newline', async () => {
  const { checks } = await runStories(reading, { lesson, exercise: server, file: halfLine('resetAndDestroy()') }, 1)
  expect(checks[0]!.failure?.message).toBe('Your server reset the connection in the middle of a line, after "半行".')
  expect(checks[0]!.failure?.why).toBe('The why of the check.')
})
