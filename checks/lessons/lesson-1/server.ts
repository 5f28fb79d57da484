// Lesson 1: a server that greets each client with 你好！, prints the one line the client sends
// and hangs up; many clients, one after another and at the same time.

import { expectBoundToHost, expectPrintedLine, expectRunning } from '../../engine/expect.ts'
import type { Connection } from '../../peers/connection.ts'
import type { Program } from '../../run/program.ts'
import { exercise, type CheckContext } from '../../engine/story.ts'
import { defaultHost, onIPv6, portTaken } from '../shared.ts'

const GREETING = '你好！'

/** One well-behaved client, start to end: greeted, says `text`, sees it printed, is hung up on. */
async function converse(server: Program, connect: CheckContext['connect'], text: string, end = '\n'): Promise<void> {
  const client = await connect(server)
  await client.expectLine(GREETING)
  client.send(`${text}${end}`)
  await expectPrintedLine(server, text)
  await client.expectClosed()
}

export default exercise(({ check, stretch }) => {
  // The first test client is used by the first four checks: one conversation, told in chapters.
  let first: Connection

  check('listens on the HOST and PORT it is given', { see: 'host-and-port' }, async ({ start, connect }) => {
    const server = await start()
    first = await connect(server)
    await expectBoundToHost(server, { see: 'loopback-or-every-interface' })
  })

  check(`greets each client with ${GREETING} and a newline`, { see: 'lines-are-messages' }, async () => {
    await first.expectLine(GREETING)
  })

  check(
    'prints a line that arrives one byte at a time',
    {
      see: 'tcp-is-a-byte-stream',
      why: "One 'data' event is just the bytes that have arrived so far, not a message: collect bytes up to \\n, then decode.",
    },
    async () => {
      await first.sendInFragments('我是客户端~~\n', { pieces: 'bytes', pauseMs: 5 })
      await expectPrintedLine(first.program, '我是客户端~~')
    },
  )

  check('closes the connection after the line', { see: 'closing-end-and-destroy' }, async () => {
    await first.expectClosed({ why: 'The conversation is over once the line is printed: call socket.end() so the client is not left waiting.' })
  })

  check('serves 3 clients in a row', { see: 'many-clients' }, async ({ start, connect, random }) => {
    const server = await start()
    // The second ends its line as nc or a Windows tool may: a server that splits on \r\n, or
    // waits for one, shows here. (A \r left before the newline it prints is invisible.)
    for (let n = 1; n <= 3; n++) await converse(server, connect, `第${n}位客户 #${random.int(1000, 9999)}`, n === 2 ? '\r\n' : '\n')
  })

  check(
    'serves 5 clients at once',
    {
      see: 'many-clients',
      why: 'Each connection has its own socket and handlers, so one slow client must not keep the others waiting.',
    },
    async ({ start, connect, random }) => {
      const server = await start()
      const clients: Connection[] = []
      for (let n = 0; n < 5; n++) clients.push(await connect(server))
      // All five are greeted before any of them says a word.
      for (const client of clients) await client.expectLine(GREETING)
      const texts = clients.map((_, i) => `同时第${i + 1}位 🙂 #${random.int(1000, 9999)}`)
      // They answer in the reverse of the order they came in.
      for (let i = clients.length - 1; i >= 0; i--) clients[i]!.send(`${texts[i]}\n`)
      for (const text of texts) await expectPrintedLine(server, text)
      await Promise.all(clients.map((client) => client.expectClosed()))
    },
  )

  check(
    'prints a line that ends where the stream ends, with no newline',
    {
      see: 'where-a-line-ends',
      why: "The seed's Python client sends no newline and just closes. The 'end' event tells you the last line is complete.",
    },
    async ({ start, connect, random }) => {
      const server = await start()
      const client = await connect(server)
      await client.expectLine(GREETING)
      const text = `没有换行 #${random.int(1000, 9999)}`
      await client.sendInFragments(text, { pieces: 3, splitInsideCharacter: true })
      client.end()
      await expectPrintedLine(server, text)
      await client.expectClosed()
    },
  )

  stretch(
    'keeps serving after a client resets the connection',
    {
      see: 'the-error-event',
      why: "A reset reaches your server as an 'error' event on that socket. With no handler, Node throws it and the whole server dies.",
    },
    async ({ start, connect }) => {
      const server = await start()
      const rude = await connect(server)
      await rude.expectLine(GREETING)
      // Nothing sent first: bytes the server has not read yet would turn the reset into a
      // plain end of stream on Linux, and the check would prove nothing.
      await rude.reset()
      await converse(server, connect, '还在吗？')
      await expectRunning(server)
    },
  )

  stretch('keeps serving after a client leaves without a word', { see: 'where-a-line-ends' }, async ({ start, connect }) => {
    const server = await start()
    const silent = await connect(server)
    await silent.expectLine(GREETING)
    silent.end()
    await silent.readToEnd()
    await converse(server, connect, '有人吗？')
    await expectRunning(server)
  })

  stretch(...portTaken('the-error-event'))
  stretch(...defaultHost('loopback-or-every-interface'))
  stretch(
    ...onIPv6('ipv6-af_inet6', async ({ start, connect, random }) => {
      const server = await start()
      await converse(server, connect, `IPv6 你好 🙂 #${random.int(1000, 9999)}`)
      await expectBoundToHost(server)
    }),
    { early: 'ipv6' },
  )
})
