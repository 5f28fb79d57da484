// Lesson 2: a client that connects, prints the server's greeting, says 我是客户端~~ and leaves.
// The test server behaves like lesson 1's server, except that it says 你好 once more after the
// client's line, as the seed's server does (a client reads one line and ignores the rest), and
// waits for the client to close first: a client that never closes must not be rescued by the
// server hanging up.

import { caretDiff, quoteBytes } from '../../text/bytes.ts'
import { expectExit, expectPrintedLine } from '../../engine/expect.ts'
import { fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import type { Connection } from '../../peers/connection.ts'
import type { Program } from '../../run/program.ts'
import { exercise } from '../../engine/story.ts'
import { t } from '../../text/lang.ts'
import { onIPv6, refusedConnection } from '../shared.ts'

const LINE = '我是客户端~~'
/** The seed's server says 你好 again after its greeting: a second line the client must ignore. */
const AFTERWORD = '你好'

export default exercise(({ check, stretch }) => {
  let client: Program
  let connection: Connection
  /** What the client sent before the end of the greeting's line had reached it. */
  let outOfTurn: Buffer = Buffer.alloc(0)

  check('connects to the HOST and PORT it is given', { see: 'host-and-port' }, async ({ listen, start }) => {
    const server = await listen()
    client = await start({ to: server })
    connection = await server.accept(client)
  })

  check(
    'prints the greeting, even when it arrives in pieces',
    {
      see: 'tcp-is-a-byte-stream',
      why: "One 'data' event is just the bytes that have arrived so far. Collect bytes up to \\n, then decode the whole line.",
    },
    async () => {
      await client.quiet() // whatever it does on 'connect' is done, before the greeting starts
      // Ended as nc or a Windows server may: a client that waits for \r\n, or splits on it, shows.
      // The line ends at its \r for a client that takes \r as a line end too (node:readline
      // does): what it sent before the piece holding the \r was written is out of turn. Read in
      // the same turn of the event loop as that write, so the client cannot have answered it.
      const greeting = Buffer.from('你好！\r\n')
      const lineEnd = greeting.indexOf('\r')
      const beforeWrite = (start: number, end: number) => {
        if (start <= lineEnd && lineEnd < end) outOfTurn = Buffer.from(connection.unread)
      }
      await connection.sendInFragments(greeting, { pieces: 4, splitInsideCharacter: true, pauseMs: 30, beforeWrite })
      await expectPrintedLine(client, '你好！')
    },
  )

  check(`answers ${LINE} once the greeting has arrived, and nothing else`, { see: 'lines-are-messages' }, async () => {
    if (outOfTurn.length > 0) {
      fail(
        t('your client spoke before the greeting had arrived.'),
        [t`It sent ${quoteBytes(outOfTurn, 60)} before the end of the greeting's line had reached it.`],
        { why: "The seed's client reads first and speaks second. Write your line once the greeting's newline has arrived, in the 'data' handler, not in 'connect'." },
      )
    }
    await connection.expectLine(LINE)
    // Then the server says more, as the seed's does. The client reads one line, the greeting:
    // a 'data' handler that answers every line it sees answers this one too.
    connection.send(`${AFTERWORD}\n`)
    // Whatever comes before the client closes (or a few seconds pass) is one message too many.
    const extra = await connection.drain()
    if (extra.length > 0) {
      fail(t('your client sent more after its line.'), caretDiff(`${LINE}\n`, Buffer.concat([Buffer.from(`${LINE}\n`), extra])))
    }
  })

  check('closes its side, then exits with code 0', { see: 'closing-end-and-destroy' }, async () => {
    await connection.expectClosed({ why: "Call socket.end() after your line (or pass the line to end()). The server waits for it." })
    // The server's second line reached a 'data' handler that answered again, after end().
    const status = await client.waitForExit(limits.waitMs)
    if (status && status.code !== 0 && client.stderr.lines.some((line) => line.includes('write after end'))) {
      fail(
        t`your client wrote after end(): it answered the server's second line, ${AFTERWORD}, too, and ${client.describeExit()}.`,
        [t`The server sent ${AFTERWORD} after your line, as the seed's server does. Your client reads one line, the greeting, and nothing after it.`],
        {
          see: 'lines-are-messages',
          why: "Once your client has answered, its 'data' handler must not answer again: a flag such as answered makes it return at once.",
        },
      )
    }
    await expectExit(client, 0, { why: 'Once its socket is closed, nothing keeps a Node program alive: it exits by itself with code 0.' })
  })

  stretch(...refusedConnection('the-error-event'))
  stretch(
    ...onIPv6('ipv6-af_inet6', async ({ listen, start }) => {
      const server = await listen()
      const program = await start({ to: server })
      const connection = await server.accept(program)
      connection.send('你好！\n')
      await expectPrintedLine(program, '你好！')
      await connection.expectLine(LINE)
      await connection.expectClosed()
      await expectExit(program, 0)
    }),
  )
})
