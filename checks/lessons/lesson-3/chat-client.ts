// Lesson 3 · chat-client: lines typed on stdin go to the server, lines from the server are
// printed, both at once, never waiting for a turn; 拜拜 from either side ends the chat.

import { GOODBYE, chatLine } from './lines.ts'
import { expectExit, expectNewLine, expectPrintedLine } from '../../engine/expect.ts'
import { explaining } from '../../engine/failure.ts'
import type { Connection } from '../../peers/connection.ts'
import type { Program } from '../../run/program.ts'
import { exercise } from '../../engine/story.ts'
import { t } from '../../text/lang.ts'
import { onIPv6, refusedConnection } from '../shared.ts'

export default exercise(({ check, stretch }) => {
  let client: Program
  let line: Connection

  check('connects to the HOST and PORT it is given', { see: 'host-and-port' }, async ({ listen, start }) => {
    const server = await listen()
    client = await start({ to: server })
    line = await server.accept(client)
  })

  check(
    'prints what the server says, before anything is typed',
    {
      see: 'two-streams-at-once',
      why: "Reading the keyboard must not stop you reading the socket: handle both with events, and never wait for one before the other.",
    },
    async ({ random }) => {
      const greeting = chatLine(random, '服务器')
      await line.sendInFragments(`${greeting}\n`, { pieces: 3, splitInsideCharacter: true, pauseMs: 20 })
      await expectPrintedLine(client, greeting)
    },
  )

  check(
    'prints several server lines in a row, still without input',
    {
      see: 'two-streams-at-once',
      why: "The seed's client waits for input() after each message, so a second message from the server never shows: the chat deadlocks.",
    },
    async ({ random }) => {
      const lines = [0, 1, 2].map(() => chatLine(random, '服务器'))
      line.send(`${lines[0]}\n${lines[1]}\n`)
      await expectPrintedLine(client, lines[0]!)
      await expectPrintedLine(client, lines[1]!)
      line.send(`${lines[2]}\n`)
      await expectPrintedLine(client, lines[2]!)
    },
  )

  check('sends each typed line to the server', { see: 'two-streams-at-once' }, async ({ random }) => {
    const typed = [0, 1, 2].map(() => chatLine(random, '我'))
    client.writeInput(`${typed[0]}\n`)
    await line.expectLine(typed[0]!)
    client.writeInput(`${typed[1]}\n${typed[2]}\n`) // typed fast: two lines in one read of stdin
    await line.expectLine(typed[1]!)
    await line.expectLine(typed[2]!)
  })

  check(
    `typing ${GOODBYE} or bye sends it, closes and exits with code 0`,
    { see: 'saying-goodbye', why: 'A goodbye word is a whole typed line, 拜拜 or bye. Send it first, then close your side: socket.end().' },
    async ({ listen, start, random }) => {
      const server = await listen()
      // bye comes with a line after it in the same read of stdin, as from a piped file: the
      // chat is over at the goodbye, and what follows it is not sent.
      const typedAhead = [[client, line, `${GOODBYE}\n`], [await start({ to: server }), undefined, `bye\n${chatLine(random, '我')}\n`]] as const
      for (const [program, connection, typed] of typedAhead) {
        const other = connection ?? (await server.accept(program))
        const word = typed.slice(0, typed.indexOf('\n'))
        program.writeInput(typed)
        await other.expectLine(word)
        await other.expectClosed()
        const after = typed.length > word.length + 1
        await expectExit(program, 0, {
          why: after
            ? t('A line was typed after bye, in the same read of stdin. Once the chat is finished, ignore such lines: a write after socket.end() is an error (write after end).')
            : t('Once the socket is closed and stdin is no longer read, nothing keeps Node running.'),
        })
      }
    },
  )

  check(
    `when the server says ${GOODBYE} or bye, alone, after a line, or split, says so and exits with code 0`,
    { see: 'saying-goodbye', why: `When the server says ${GOODBYE}, the chat is over: close your side.` },
    async ({ listen, start, random }) => {
      const server = await listen()
      // Each says its goodbye and returns how many lines it made the client print before it.
      const goodbyes: Array<[string, (connection: Connection, other: Program) => Promise<number>]> = [
        [t`${GOODBYE}\\n alone`, async (connection) => (connection.send(`${GOODBYE}\n`), 0)],
        [t('bye\\r\\n after a line, in one write'), async (connection, other) => {
          const last = chatLine(random, '服务器')
          connection.send(`${last}\nbye\r\n`)
          await expectPrintedLine(other, last)
          return 1
        }],
        [t`${GOODBYE}\\n in two writes, split inside 拜`, async (connection) => (await connection.sendPieces(`${GOODBYE}\n`, [1], 30), 0)],
      ]
      for (const [how, say] of goodbyes) {
        const other = await start({ to: server })
        const connection = await server.accept(other)
        await other.quiet() // what it prints on 'connect' is not the notice
        const before = other.stdout.lines.length
        await explaining({ why: t`The goodbye came as ${how}. Compare each whole line, once it has ended and without its \\r, with 拜拜 and bye.` }, async () => {
          await expectNewLine(other, before + (await say(connection, other)))
          await connection.expectClosed()
        })
        await expectExit(other, 0, { why: 'Stop reading stdin too (close your readline, or process.stdin.destroy()), or it keeps Node running.' })
      }
    },
  )

  check('when the server hangs up, exits with code 0', { see: 'saying-goodbye' }, async ({ listen, start }) => {
    const server = await listen()
    const other = await start({ to: server })
    const connection = await server.accept(other)
    connection.end()
    await expectExit(other, 0, { why: "The socket's 'end' event means the server is gone. Close your side and stop reading stdin." })
  })

  check('when input ends, closes and exits with code 0', { see: 'saying-goodbye' }, async ({ listen, start }) => {
    const server = await listen()
    const other = await start({ to: server })
    const connection = await server.accept(other)
    other.endInput()
    await connection.expectClosed({ why: "The end of input (Ctrl-D, or the end of a piped file) is a goodbye too: readline's 'close' event tells you." })
    await expectExit(other, 0)
  })

  stretch(...refusedConnection('when-clients-misbehave'))
  stretch(
    ...onIPv6('ipv6-af_inet6', async ({ listen, start, random }) => {
      const server = await listen()
      const program = await start({ to: server })
      const connection = await server.accept(program)
      const heard = chatLine(random, 'IPv6')
      connection.send(`${heard}\n`)
      await expectPrintedLine(program, heard)
      const typed = chatLine(random, '我')
      program.writeInput(`${typed}\n`)
      await connection.expectLine(typed)
    }),
  )
})
