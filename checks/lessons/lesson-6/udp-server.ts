// Lesson 6 · udp-server: a key-value store over UDP. Each datagram is one request; `key=value`
// stores, `key` is answered with one datagram `key=value`, sent to whoever asked. The grader's
// test clients are UDP sockets of their own (peers/udp.ts), on ports of their own, and the
// keys and values change every run (CJK, emoji, spaces, `=` and `\n` inside).

import { expectCleanError, expectRunning } from '../../engine/expect.ts'
import { fail } from '../../engine/failure.ts'
import { exercise, type CheckContext } from '../../engine/story.ts'
import { boundToEveryInterface, freeDatagramPort, untilBound, type DatagramPeer } from '../../peers/udp.ts'
import type { Program } from '../../run/program.ts'
import { quoteBytes } from '../../text/bytes.ts'
import { capitalize } from '../../text/words.ts'
import { t } from '../../text/lang.ts'
import { onIPv6 } from '../shared.ts'
import { clientOf, expectAnswer, expectNoMore, expectValue, insert, keyOf, nextReply, pairs, serverAddress, untilRead, valueOf, insertWhy } from './kv.ts'

const MAX_REQUEST = 1000

/** Starts the server on a UDP port of its own and waits until it is bound there. */
async function startServer({ start, host }: CheckContext, options: { byHand?: boolean } = {}): Promise<Program> {
  const bindHost = options.byHand ? '127.0.0.1' : host
  const server = await start({ port: await freeDatagramPort(bindHost), byHand: options.byHand })
  await untilBound(server, bindHost, server.options.port!)
  return server
}

/** Text of exactly `bytes` bytes in UTF-8: `prefix`, then CJK, then ASCII to make up the rest. */
function sized(prefix: string, bytes: number): string {
  let text = prefix
  while (Buffer.byteLength(text) + 3 <= bytes - 8) text += '满'
  return text + 'x'.repeat(bytes - Buffer.byteLength(text))
}

export default exercise(({ check, stretch }) => {
  let server: Program
  let client: DatagramPeer
  /** What the server holds for the empty key, once a check has stored it. */
  let emptyKeyValue = ''

  check('binds a UDP socket on the HOST and PORT it is given', { see: 'bind-not-listen' }, async (context) => {
    server = await startServer(context)
    client = await clientOf(context.udp, server, t('test client 1'))
    const everywhere = boundToEveryInterface(server, server.options.port!)
    if (everywhere) {
      fail(t`${capitalize(server.label)} bound its socket to ${everywhere}: every network interface of this machine, not just ${server.options.host}.`, [], {
        see: 'bind-not-listen',
        why: 'Anyone on your network could send it datagrams. Pass HOST to bind(): socket.bind(PORT, HOST).',
      })
    }
  })

  check(
    'answers a retrieve with key=value after an insert, CJK and emoji too',
    { see: 'the-key-value-protocol', why: 'Split a request at its first =: an insert stores the value under the key. A request without = is a retrieve: answer key=value.' },
    async ({ random }) => {
      const entries = pairs(random, 3)
      await insert(client, server, entries)
      for (const [key, value] of entries.reverse()) await expectValue(client, server, key, value)
      expectNoMore([client], server)
    },
  )

  check('answers key= for a key it does not know', { see: 'the-key-value-protocol' }, async ({ random }) => {
    const key = `没有这个键 ${keyOf(random)}`
    await expectValue(client, server, key, '', { why: 'An unknown key is answered too, with nothing after the =: key=. A client waiting for a reply must not wait for ever.' })
    expectNoMore([client], server)
  })

  check(
    'two datagrams sent back to back are two requests, and a \\n inside one is part of it',
    {
      see: 'a-datagram-is-a-message',
      why: 'A datagram arrives whole or not at all, and one message event is one datagram: no framing, no splitting at \\n. That is the opposite of TCP’s byte stream.',
    },
    async ({ random }) => {
      const [first, second] = pairs(random, 2) as Array<[string, string]>
      const lines = `第一行 ${first[1]}\n第二行`
      // Back to back, without waiting: a server that glues or splits requests shows here.
      await Promise.all([client.send(`${first[0]}=${lines}`, serverAddress(server)), client.send(`${second[0]}=${second[1]}`, serverAddress(server))])
      await Promise.all([client.send(first[0], serverAddress(server)), client.send(second[0], serverAddress(server))])
      const replies = [await nextReply(client, server, t('two retrieves')), await nextReply(client, server, t('two retrieves'))].map((r) => r.bytes)
      const wanted = [`${first[0]}=${lines}`, `${second[0]}=${second[1]}`]
      // Loopback keeps their order, but UDP need not: either order is right.
      const missing = wanted.filter((want) => !replies.some((reply) => reply.equals(Buffer.from(want))))
      if (missing.length > 0) {
        fail(t`${capitalize(server.label)} answered ${replies.map((r) => quoteBytes(r, 60)).join(t(' and '))} to two retrieves sent back to back; expected ${wanted.map((w) => quoteBytes(w, 60)).join(t(' and '))}.`)
      }
      const joined = `${first[0]}\n${second[0]}`
      await expectValue(client, server, joined, '', { why: 'A \\n inside a request is part of the key: this key is unknown, so the answer is key=.' })
      expectNoMore([client], server)
    },
  )

  check(
    'takes off one trailing \\n or \\r\\n, as nc -u sends, and nothing else',
    { see: 'text-in-a-datagram', why: 'nc -u sends each line you type with its \\n (some systems \\r\\n). Take off one, if it is there, and keep everything else: spaces, a second \\n.' },
    async ({ random }) => {
      const [a, b, c, d] = pairs(random, 4) as Array<[string, string]>
      await client.send(`${a[0]}=${a[1]}\n`, serverAddress(server))
      await client.send(`${b[0]}=${b[1]}\r\n`, serverAddress(server))
      await client.send(`${c[0]}=${c[1]}\n\n`, serverAddress(server))
      const spaced: [string, string] = [` ${d[0]} `, ` ${d[1]} `]
      await client.send(`${spaced[0]}=${spaced[1]}`, serverAddress(server))
      await expectValue(client, server, a[0], a[1], undefined, `${a[0]}\n`)
      await expectValue(client, server, b[0], b[1], undefined, `${b[0]}\r\n`)
      await expectValue(client, server, c[0], `${c[1]}\n`, undefined, `${c[0]}\n`)
      await expectValue(client, server, spaced[0], spaced[1])
      expectNoMore([client], server)
    },
  )

  check(
    'splits at the first =, so a value may hold =',
    { see: 'the-key-value-protocol', why: "The key ends at the first =: request.indexOf('='). Everything after it is the value, = signs included." },
    async ({ random }) => {
      const key = keyOf(random)
      const value = `a=b+c==${random.int(10, 99)}，等号=😀`
      await insert(client, server, [[key, value]])
      await expectValue(client, server, key, value)
      expectNoMore([client], server)
    },
  )

  check('an empty key, an empty value, and a later insert that replaces', { see: 'the-key-value-protocol' }, async ({ random }) => {
    emptyKeyValue = `空键的值 ${valueOf(random)}`
    const [emptyValue, replaced] = pairs(random, 2) as Array<[string, string]>
    await insert(client, server, [['', emptyKeyValue], [emptyValue[0], ''], [replaced[0], replaced[1]], [replaced[0], `新的 ${replaced[1]}`]])
    await expectValue(client, server, '', emptyKeyValue, { why: 'An empty datagram is a retrieve of the empty key, and =value stored a value under it.' }, Buffer.alloc(0))
    await expectValue(client, server, '', emptyKeyValue, { why: 'A lone \\n is an empty request once the \\n is off: a retrieve of the empty key.' }, '\n')
    await expectValue(client, server, emptyValue[0], '', { why: 'key= stores an empty value: the answer is key=.' })
    await expectValue(client, server, replaced[0], `新的 ${replaced[1]}`, { why: 'A later insert of the same key replaces its value.' })
    expectNoMore([client], server)
  })

  check(
    'answers version= with some text, and ignores inserts to version',
    { see: 'the-key-value-protocol', why: 'The key version is special: its answer is version= and a text of your own, and an insert to it changes nothing.' },
    async () => {
      await client.send('version', serverAddress(server))
      const reply = await nextReply(client, server, t('the retrieve "version"'))
      const text = reply.bytes.toString('utf8')
      if (!text.startsWith('version=') || text.length === 'version='.length) {
        fail(t`${capitalize(server.label)} answered ${quoteBytes(reply.bytes, 60)} to "version"; expected version= followed by some text, such as version=1.0.`)
      }
      await insert(client, server, [['version', '被改掉了']])
      await expectValue(client, server, 'version', text.slice('version='.length))
      expectNoMore([client], server)
    },
  )

  check(
    'answers 5 clients on 5 ports at once, each with its own answer',
    { see: 'no-connection', why: 'One socket serves everyone: reply to the rinfo of the request in hand, inside the message handler, never to a sender kept from before.' },
    async ({ udp, random }) => {
      const clients = [client]
      for (let n = 2; n <= 5; n++) clients.push(await clientOf(udp, server, t`test client ${n}`))
      const entries = pairs(random, 5)
      await insert(client, server, entries)
      await expectValue(client, server, entries[0]![0], entries[0]![1])
      // All five ask at once, the last one first.
      await Promise.all([...clients.entries()].reverse().map(([i, c]) => c.send(entries[i]![0], serverAddress(server))))
      const answers = entries.map(([key, value]) => Buffer.from(`${key}=${value}`))
      for (const [i, c] of clients.entries()) {
        const reply = await nextReply(c, server, t`${c.name}'s retrieve of ${quoteBytes(entries[i]![0])}`, t('Each client must get the answer to its own question, at its own port: reply to the rinfo of the request in hand.'))
        const owner = answers.findIndex((answer) => answer.equals(reply.bytes))
        if (owner === i) continue
        fail(
          owner >= 0
            ? t`${capitalize(server.label)} sent ${c.name} the answer meant for ${clients[owner]!.name}, ${quoteBytes(reply.bytes, 60)}.`
            : t`${capitalize(server.label)} answered ${quoteBytes(reply.bytes, 60)} to ${c.name}'s retrieve of ${quoteBytes(entries[i]![0])}; expected ${quoteBytes(answers[i]!, 60)}.`,
        )
      }
      expectNoMore(clients, server)
    },
  )

  check(
    'stores 500 keys and answers each one right',
    { see: 'the-key-value-protocol', why: 'Every datagram is its own request: keep them all, each under its own key.' },
    async ({ random }) => {
      const entries = pairs(random, 500).map(([key, value], i): [string, string] => [`${key}-${i}`, value])
      // Paced: 50 at a time, then until the server has read them, so that the kernel's buffer
      // never overflows. Losing datagrams is UDP's right, but this check is about the server.
      for (let at = 0; at < entries.length; at += 50) {
        await insert(client, server, entries.slice(at, at + 50))
        await untilRead(server)
      }
      for (let at = 0; at < entries.length; at += 50) {
        const batch = entries.slice(at, at + 50)
        for (const [key] of batch) await client.send(key, serverAddress(server))
        for (const [key, value] of batch) await expectAnswer(client, server, key, value, t`the retrieve ${quoteBytes(key)} (one of 50 sent in a row)`)
      }
      expectNoMore([client], server)
    },
  )

  check(
    `ignores a datagram longer than ${MAX_REQUEST} bytes, and takes one of exactly ${MAX_REQUEST}`,
    { see: 'how-big-a-datagram-can-be', why: `A request is at most ${MAX_REQUEST} bytes: message.length counts bytes, and a longer datagram is dropped without a reply.` },
    async ({ random }) => {
      const [fits, old] = pairs(random, 2) as Array<[string, string]>
      const exact = sized(`${fits[0]}=`, MAX_REQUEST)
      await client.send(exact, serverAddress(server))
      await expectValue(client, server, fits[0], exact.slice(fits[0].length + 1), { why: t`A datagram of exactly ${MAX_REQUEST} bytes is a request like any other.` })
      await insert(client, server, [old])
      await client.send(sized(`${old[0]}=`, MAX_REQUEST + 1), serverAddress(server))
      await client.send(sized(`一个很长的键 ${keyOf(random)}`, MAX_REQUEST + 1), serverAddress(server))
      await expectValue(client, server, old[0], old[1], { why: t`An insert of ${MAX_REQUEST + 1} bytes is ignored: the key keeps its value, and a retrieve that long gets no reply.` })
      expectNoMore([client], server)
    },
  )

  check(
    'keeps serving after garbage: invalid UTF-8, an empty datagram, a cut character',
    { see: 'text-in-a-datagram', why: "message.toString('utf8') turns bytes that are not UTF-8 into �: never throw on what a stranger sends." },
    async ({ random }) => {
      const garbage = [Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc3, 0x3d, 0xa9]), Buffer.from('坏', 'utf8').subarray(0, 2), Buffer.alloc(0), Buffer.from([0x80, 0x3d, 0x3d, 0xff, 0x0a])]
      for (const bytes of garbage) await client.send(bytes, serverAddress(server))
      const [key, value] = [keyOf(random), valueOf(random)]
      await insert(client, server, [[key, value]])
      await client.send(key, serverAddress(server))
      // Retrieves of garbage keys may be answered (with � in them): those replies are fine.
      // The empty datagram's answer is known.
      for (let n = 0; n < garbage.length + 1; n++) {
        const reply = await nextReply(client, server, t('garbage, then a retrieve'))
        if (reply.bytes.equals(Buffer.from(`${key}=${value}`))) {
          expectNoMore([client], server)
          return expectRunning(server)
        }
        if (reply.bytes.equals(Buffer.from(`=${emptyKeyValue}`))) continue
        if (!reply.bytes.includes('=')) fail(t`${capitalize(server.label)} answered ${quoteBytes(reply.bytes, 60)}; a reply is key=value.`, [], { why: insertWhy() })
      }
      fail(t`${capitalize(server.label)} did not answer the retrieve of ${quoteBytes(key)} after the garbage.`)
    },
  )

  stretch(
    'on a port that is taken, prints one line naming the port and exits',
    { see: 'the-error-event', why: "bind() reports a taken port as an 'error' event on the socket (EADDRINUSE). Handle it: print one line, set a non-zero exit code." },
    async ({ udp, start }) => {
      const squatter = await udp(t('another program'))
      await expectCleanError(await start({ port: squatter.port }), [String(squatter.port)], 'non-zero')
    },
  )

  stretch(
    'run by hand, with no HOST, binds 127.0.0.1 only',
    { see: 'bind-not-listen', why: "By hand nobody passes HOST: process.env.HOST ?? '127.0.0.1' keeps the server on this machine. bind(PORT) alone takes every interface." },
    async (context) => {
      const byHand = await startServer(context, { byHand: true })
      const everywhere = boundToEveryInterface(byHand, byHand.options.port!)
      if (everywhere) fail(t`${capitalize(byHand.label)}, run with no HOST, bound its socket to ${everywhere}, not 127.0.0.1.`)
    },
  )

  stretch(
    ...onIPv6(
      'udp4-or-udp6',
      async (v6) => {
        const server6 = await startServer(v6)
        const client6 = await clientOf(v6.udp, server6, t('test client on ::1'))
        const [[key, value]] = pairs(v6.random, 1) as Array<[string, string]>
        await insert(client6, server6, [[key, value]])
        await expectValue(client6, server6, key, value)
        await expectValue(client6, server6, `${key}?`, '')
        expectNoMore([client6], server6)
      },
      "::1 is IPv6's loopback address, and a udp4 socket cannot bind it: dgram, unlike net, takes the family from you. Create the socket with the type the address needs: isIPv6(HOST) ? 'udp6' : 'udp4'.",
    ),
  )
})
