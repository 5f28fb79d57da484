// Lesson 3: an echo server, a chat client that never waits for its turn, and a chat server
// that talks to one person at a time while the others wait in line.

import { expectBoundToHost, expectExit, expectNewLine, expectPrinted, expectRunning } from '../expect.ts'
import { fail } from '../failure.ts'
import type { Connection } from '../peers/connection.ts'
import type { Random } from '../random.ts'
import { residentBytes, watchMemory } from '../run/memory.ts'
import type { Program } from '../run/program.ts'
import { exercise } from '../story.ts'
import { refusedConnection } from './shared.ts'

const GOODBYE = '拜拜'
const FLAVOURS = ['你好！', '我是客户端~~', '今天天气不错 ☀️', '🙂', 'café', '吃了吗？']

/** A chat line nobody could have hard-coded: the seed's words and a random tag. */
const chatLine = (random: Random, who: string) => `${who}：${random.pick(FLAVOURS)} #${random.int(1000, 9999)}`

/** Sends a line and expects exactly its bytes back. */
async function expectEcho(client: Connection, text: string, split = false): Promise<void> {
  if (split) await client.sendInFragments(`${text}\n`, { pieces: 4, splitInsideCharacter: true, pauseMs: 15 })
  else client.send(`${text}\n`)
  await client.expectLine(text)
}

export const echoServer = exercise(({ check, stretch }) => {
  let first: Connection

  check('listens on the HOST and PORT it is given', { see: 'host-and-port' }, async ({ start, connect }) => {
    const server = await start()
    first = await connect(server)
    await expectBoundToHost(server)
  })

  check('echoes a line back, byte for byte', { see: 'echo-a-line' }, async ({ random }) => {
    await expectEcho(first, chatLine(random, '客户端'))
  })

  check(
    'echoes a line that arrives in pieces, split inside a character',
    { see: 'lines-in-a-byte-stream', why: "A line can arrive over several 'data' events, cut anywhere, even inside 客. Keep bytes until the newline." },
    async ({ random }) => {
      await expectEcho(first, chatLine(random, '碎片'), true)
    },
  )

  check(
    'echoes two lines that arrive in one write, as two lines',
    { see: 'lines-in-a-byte-stream', why: "One 'data' event can also hold several lines. Answer every complete line in it, and keep the rest." },
    async ({ random }) => {
      const one = chatLine(random, '第一句')
      const two = chatLine(random, '第二句')
      first.send(`${one}\n${two}\n`)
      await first.expectLine(one)
      await first.expectLine(two)
    },
  )

  check(`answers ${GOODBYE} with ${GOODBYE} and hangs up`, { see: 'saying-goodbye' }, async ({ start, connect }) => {
    first.send(`${GOODBYE}\n`)
    await first.expectLine(GOODBYE, { why: `The goodbye word is not echoed: the server answers ${GOODBYE} and closes.` })
    await first.expectClosed()
    const english = await connect(await start())
    english.send('bye\r\n')
    await english.expectLine(GOODBYE, { why: `"bye" (with or without a \\r before the newline) is a goodbye word too.` })
    await english.expectClosed()
  })

  check(
    'talks to 20 clients at once, each hearing only its own lines',
    { see: 'many-clients-at-once', why: 'Each connection needs its own buffer: bytes of one client must never end up in another’s line.' },
    async ({ start, connect, random }) => {
      const server = await start()
      const clients: Connection[] = []
      for (let i = 0; i < 20; i++) clients.push(await connect(server))
      const said = clients.map((_, i) => [0, 1, 2].map((round) => chatLine(random, `${i + 1}号第${round + 1}句`)))
      // All at once: every client sends its three lines, some in pieces, interleaved with the rest.
      await Promise.all(
        clients.map(async (client, i) => {
          for (const text of said[i]!) {
            if (i % 2 === 0) await client.sendInFragments(`${text}\n`, { pieces: 3, splitInsideCharacter: true, pauseMs: 5 })
            else client.send(`${text}\n`)
          }
        }),
      )
      for (const [i, client] of clients.entries()) for (const text of said[i]!) await client.expectLine(text)
      for (const client of clients) client.send(`${GOODBYE}\n`)
      for (const client of clients) {
        await client.expectLine(GOODBYE)
        await client.expectClosed()
      }
    },
  )

  stretch(
    'keeps serving after a client resets the connection',
    { see: 'when-clients-misbehave', why: "A reset arrives as an 'error' event on that socket. Without a handler, it takes the whole server down." },
    async ({ start, connect, random }) => {
      const server = await start()
      const rude = await connect(server)
      await expectEcho(rude, chatLine(random, '马上断开'))
      await rude.reset()
      await expectEcho(await connect(server), chatLine(random, '还在吗'))
      await expectRunning(server)
    },
  )

  stretch(
    'survives megabytes without a newline, without keeping them',
    {
      see: 'when-clients-misbehave',
      why: 'A buffer that grows until a newline comes lets one client fill your memory. Give lines a maximum size, and hang up on a client that exceeds it.',
    },
    async ({ start, connect, random }) => {
      const server = await start()
      const flood = await connect(server)
      const total = 32 * 1024 * 1024
      const before = residentBytes(server.pid)
      const watching = watchMemory(server.pid)
      await flood.sendAll(Buffer.alloc(total, 'x'), 256 * 1024)
      await flood.drain(1000) // the server may hang up, or keep reading: either is fine
      const peak = watching.stop()
      flood.destroy()
      await expectEcho(await connect(server), chatLine(random, '下一位'))
      await expectRunning(server)
      if (before !== undefined && peak !== undefined && peak - before > total / 2) {
        const grew = Math.round((peak - before) / 1024 / 1024)
        fail(`Your server's memory grew by ${grew} MiB while a client sent ${total / 1024 / 1024} MiB with no newline.`)
      }
    },
  )
})

export const chatClient = exercise(({ check, stretch }) => {
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
      await expectPrinted(client, greeting)
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
      await expectPrinted(client, lines[0]!)
      await expectPrinted(client, lines[1]!)
      line.send(`${lines[2]}\n`)
      await expectPrinted(client, lines[2]!)
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

  check(`typing ${GOODBYE} sends it, closes and exits with code 0`, { see: 'saying-goodbye' }, async () => {
    client.writeInput(`${GOODBYE}\n`)
    await line.expectLine(GOODBYE)
    await line.expectClosed({ why: `After sending ${GOODBYE}, close your side: socket.end().` })
    await expectExit(client, 0, { why: 'Once the socket is closed and stdin is no longer read, nothing keeps Node running.' })
  })

  check(`when the server says ${GOODBYE}, says so and exits with code 0`, { see: 'saying-goodbye' }, async ({ listen, start }) => {
    const server = await listen()
    const other = await start({ to: server })
    const connection = await server.accept(other)
    const before = other.stdout.lines.length
    connection.send(`${GOODBYE}\n`)
    await expectNewLine(other, before)
    await connection.expectClosed({ why: `When the server says ${GOODBYE}, the chat is over: close your side.` })
    await expectExit(other, 0, { why: 'Stop reading stdin too (close your readline, or process.stdin.destroy()), or it keeps Node running.' })
  })

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
})

export const chatServer = exercise(({ check, stretch }) => {
  let server: Program
  let alice: Connection

  /** Types a line on the server's keyboard and expects exactly `person` to receive it. */
  async function typeTo(person: Connection, text: string): Promise<void> {
    server.writeInput(`${text}\n`)
    await person.expectLine(text, { why: 'What is typed on the server goes to the person whose turn it is, and to nobody else.' })
  }

  check('listens on the HOST and PORT it is given', { see: 'host-and-port' }, async ({ start, connect }) => {
    server = await start()
    alice = await connect(server)
    await expectBoundToHost(server)
  })

  check('prints what the person says', { see: 'lines-in-a-byte-stream' }, async ({ random }) => {
    const text = chatLine(random, 'Alice')
    await alice.sendInFragments(`${text}\n`, { pieces: 4, splitInsideCharacter: true, pauseMs: 15 })
    await expectPrinted(server, text)
  })

  check(
    'sends typed lines to the person, while they talk too',
    { see: 'two-streams-at-once', why: 'Both directions are independent: no side waits for the other to finish its turn.' },
    async ({ random }) => {
      await typeTo(alice, chatLine(random, '服务器'))
      const hers = chatLine(random, 'Alice')
      const mine = [chatLine(random, '服务器'), chatLine(random, '服务器')]
      alice.send(`${hers}\n`)
      server.writeInput(`${mine[0]}\n${mine[1]}\n`)
      await expectPrinted(server, hers)
      await alice.expectLine(mine[0]!)
      await alice.expectLine(mine[1]!)
    },
  )

  // Bob and Carol arrive while Alice talks; they wait, in the order they came.
  let bob: Connection
  let carol: Connection
  let bobWhileWaiting: string

  check(
    `when the person says ${GOODBYE}, hangs up and takes the next in line`,
    {
      see: 'waiting-in-line',
      why: 'People who connect during a conversation wait in order; what they say meanwhile is kept and shown when their turn comes.',
    },
    async ({ connect, random }) => {
      bob = await connect(server)
      carol = await connect(server)
      bobWhileWaiting = chatLine(random, 'Bob')
      bob.send(`${bobWhileWaiting}\n`)
      // Only once the server has taken Bob in and read his line was it said while he waited.
      await bob.readByProgram()
      await carol.readByProgram()
      alice.send(`${GOODBYE}\n`)
      await alice.readToEnd() // whatever the server says in parting, it must hang up
      await expectPrinted(server, bobWhileWaiting)
      await typeTo(bob, chatLine(random, '服务器'))
    },
  )

  check(`typing ${GOODBYE} sends it, hangs up, and takes the next in line`, { see: 'waiting-in-line' }, async ({ random }) => {
    server.writeInput(`${GOODBYE}\n`)
    await bob.expectLine(GOODBYE)
    await bob.expectClosed()
    await typeTo(carol, chatLine(random, '服务器'))
  })

  check('drops someone who leaves while waiting', { see: 'waiting-in-line' }, async ({ connect, random }) => {
    const dave = await connect(server)
    const erin = await connect(server)
    // Dave says something and leaves before his turn. (A server may also leave a waiting
    // socket unread and find out at Dave's turn: that is fine too.)
    await erin.readByProgram()
    dave.send(`${chatLine(random, 'Dave')}\n`)
    dave.end()
    await dave.readByProgram()
    carol.send(`${GOODBYE}\n`)
    await carol.readToEnd()
    await typeTo(erin, chatLine(random, '服务器'))
    erin.send(`${GOODBYE}\n`)
    await erin.readToEnd()
  })

  check('typing with nobody there prints a notice, and the next person is served', { see: 'waiting-in-line' }, async ({ connect, random }) => {
    const before = server.stdout.lines.length
    server.writeInput(`${chatLine(random, '有人吗')}\n`)
    await expectNewLine(server, before, { why: 'With nobody connected there is nobody to send to: say so, and keep running.' })
    await expectRunning(server)
    const frank = await connect(server)
    const text = chatLine(random, 'Frank')
    frank.send(`${text}\n`)
    await expectPrinted(server, text)
    await typeTo(frank, chatLine(random, '服务器'))
  })

  stretch(
    'takes the next in line when the person resets the connection',
    { see: 'when-clients-misbehave', why: "A reset is an 'error' event on that socket, then 'close': handle both, and move on to the next person." },
    async ({ start, connect, random }) => {
      const fresh = await start({ fresh: true })
      const rude = await connect(fresh)
      const said = chatLine(random, 'Rude')
      rude.send(`${said}\n`)
      await expectPrinted(fresh, said)
      const polite = await connect(fresh)
      const waited = chatLine(random, 'Polite')
      polite.send(`${waited}\n`)
      await rude.reset()
      await expectPrinted(fresh, waited)
      fresh.writeInput(`${GOODBYE}\n`)
      await polite.expectLine(GOODBYE)
      await expectRunning(fresh)
    },
  )
})

