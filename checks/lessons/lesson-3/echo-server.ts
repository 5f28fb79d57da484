// Lesson 3 · echo-server: every line a client sends comes back to it, byte for byte, until it
// says 拜拜; many clients at once, each with its own buffer.

import { GOODBYE, chatLine, expectEcho, roughLine } from './lines.ts'
import { expectBoundToHost, expectRunning } from '../../engine/expect.ts'
import { explaining, fail } from '../../engine/failure.ts'
import type { Connection } from '../../peers/connection.ts'
import { residentBytes, watchMemory } from '../../run/memory.ts'
import { exercise } from '../../engine/story.ts'
import { t } from '../../text/lang.ts'
import { defaultHost, onIPv6, portTaken } from '../shared.ts'

export default exercise(({ check, stretch }) => {
  let first: Connection

  check('listens on the HOST and PORT it is given', { see: 'host-and-port' }, async ({ start, connect }) => {
    const server = await start()
    first = await connect(server)
    await expectBoundToHost(server)
  })

  check(
    'echoes a line back, byte for byte',
    {
      see: 'echo-a-line',
      why: 'Write back the very Buffer that came in. trim() drops the spaces and the tab, readline the \\r, and decoding can break a character.',
    },
    async ({ random }) => {
      await expectEcho(first, roughLine(random, '客户端'))
    },
  )

  check(
    'echoes a line that arrives in pieces, split inside a character',
    { see: 'lines-in-a-byte-stream', why: "A line can arrive over several 'data' events, cut anywhere, even inside 客. Keep bytes until the newline." },
    async ({ random }) => {
      await expectEcho(first, roughLine(random, '碎片'), true)
      // And cut at every byte inside a character: after each of 客's first two bytes, after each
      // of 😀's first three, one line each (a decoder that is wrong at one offset only shows).
      for (const [character, bytes] of [['客', 3], ['😀', 4]] as const) {
        for (let inside = 1; inside < bytes; inside++) {
          const line = roughLine(random, `${character}${inside}`)
          const at = Buffer.from(line).indexOf(Buffer.from(character)) + inside
          await first.sendPieces(line, [at], 15)
          await first.expectExactLine(line)
        }
      }
    },
  )

  check(
    'echoes two lines and an empty one that arrive in one write, each as it came',
    { see: 'lines-in-a-byte-stream', why: "One 'data' event can also hold several lines. Answer every complete line in it, the empty one too, and keep the rest." },
    async ({ random }) => {
      const one = roughLine(random, '第一句')
      const two = roughLine(random, '第二句')
      first.send(`${one}\n${two}`)
      await first.expectExactLine(one)
      await first.expectExactLine('\n')
      await first.expectExactLine(two)
    },
  )

  check(
    'echoes 3,000 lines that arrive in one write, all of them, in order, and goes on',
    { see: 'lines-in-a-byte-stream', why: "Many lines in one write reach you as a few big 'data' events, each with many lines and a part of one. Answer every complete line, and count only the unfinished part towards a line's size." },
    async ({ random }) => {
      // About 95 KB: more than one 'data' event holds, and more than a line may be long.
      const lines = Array.from({ length: 3000 }, (_, i) => `${chatLine(random, `第${i + 1}行`)}\n`)
      first.send(lines.join(''))
      for (const line of lines) await first.expectExactLine(line)
      await expectEcho(first, roughLine(random, '还在'))
    },
  )

  check(
    `answers 拜拜 and bye with ${GOODBYE} and hangs up, alone, after another line in one write, or split`,
    { see: 'saying-goodbye', why: `A goodbye word is a whole line: 拜拜 or bye, with or without a \\r before the newline. It is not echoed: the server answers ${GOODBYE} and closes.` },
    async ({ start, connect, random }) => {
      first.send(`${GOODBYE}\n`)
      await first.expectLine(GOODBYE)
      await first.expectClosed()
      const server = await start()
      const goodbyes: Array<[string, (client: Connection) => Promise<void>]> = [
        [t('bye\\r\\n alone'), async (client) => client.send('bye\r\n')],
        [t('拜拜 after a line, in one write'), async (client) => {
          const line = roughLine(random, '最后一句')
          client.send(`${line}${GOODBYE}\n`)
          await client.expectExactLine(line)
        }],
        [t('bye\\n after a line, in one write'), async (client) => {
          const line = roughLine(random, 'last words')
          client.send(`${line}bye\n`)
          await client.expectExactLine(line)
        }],
        [t('拜拜\\r\\n in two writes, 拜 | 拜\\r\\n'), (client) => client.sendPieces(`${GOODBYE}\r\n`, [3], 30)],
        [t('bye\\n in two writes, b | ye\\n'), (client) => client.sendPieces('bye\n', [1], 30)],
      ]
      for (const [how, say] of goodbyes) {
        const client = await connect(server)
        await explaining({ why: t`The goodbye came as ${how}. Compare each whole line, once it has ended, with 拜拜 and bye.` }, async () => {
          await say(client)
          await client.expectLine(GOODBYE)
          await client.expectClosed()
        })
      }
    },
  )

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
      await expectEcho(rude, roughLine(random, '马上断开'))
      await rude.reset()
      await expectEcho(await connect(server), roughLine(random, '还在吗'))
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
      const flooding = (async () => {
        await flood.sendAll(Buffer.alloc(total, 'x'), 256 * 1024)
        await flood.drain(1000) // the server may hang up, or keep reading: either is fine
      })()
      // The verdict comes as soon as memory passes the limit: a server that keeps every byte
      // may copy all of them again for each chunk, and under load not take 32 MiB in 20 s.
      const tooMuch = before === undefined ? new Promise<never>(() => {}) : watching.above(before + total / 2)
      await Promise.race([flooding, tooMuch])
      const peak = watching.stop()
      flood.destroy()
      await flooding // ends at once: sendAll stops at a destroyed socket, drain at its close
      await expectEcho(await connect(server), roughLine(random, '下一位'))
      await expectRunning(server)
      if (before !== undefined && peak !== undefined && peak - before > total / 2) {
        const grew = Math.round((peak - before) / 1024 / 1024)
        fail(t`Your server's memory grew by ${grew} MiB while a client sent ${total / 1024 / 1024} MiB with no newline.`)
      }
    },
  )

  stretch(...portTaken('host-and-port'))
  stretch(...defaultHost('lesson-1#loopback-or-every-interface'))
  stretch(
    ...onIPv6('ipv6-af_inet6', async ({ start, connect, random }) => {
      const server = await start()
      const client = await connect(server)
      await expectEcho(client, roughLine(random, 'IPv6'), true)
      await expectBoundToHost(server)
    }),
    { early: 'ipv6' },
  )
})
