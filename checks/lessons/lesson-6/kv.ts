// Lesson 6's key-value protocol, seen from the grader's test clients: a request is one
// datagram; `key=value` stores, `key` asks and is answered `key=value` by one datagram, to the
// address and port it came from. Each helper waits on datagrams, never on a clock: that a
// request got no reply is proven by the reply to the next one coming first.

import { explaining, fail, type Explain } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import type { Random } from '../../engine/random.ts'
import { seconds, sleep } from '../../engine/wait.ts'
import { hostPort } from '../../run/sockets.ts'
import type { Program } from '../../run/program.ts'
import { unreadDatagramBytes, type Address, type Datagram, type DatagramPeer } from '../../peers/udp.ts'
import { quoteBytes } from '../../text/bytes.ts'
import { capitalize } from '../../text/words.ts'
import { t } from '../../text/lang.ts'

export const replyWhy = () => t('Send each reply with the socket that got the request, to the address and port the request came from: socket.send(reply, rinfo.port, rinfo.address).')
export const insertWhy = () => t('An insert (a request with =) gets no reply. Only a retrieve is answered, with one datagram.')

// Keys and values with what plausible bugs change: CJK, emoji (4 bytes in UTF-8), spaces.
const KEYS = ['名字', '城市', '熊猫🐼', '客户端', 'café', '天气 ☀️', 'user name', '密码🔑', '学校', '猫😺']
const VALUES = ['熊猫君 🐼', '北京 🏙️', '我是客户端~~', '晴，25°C ☀️', '你好！', '拜拜 👋', 'a b  c', '南方小土豆🥔', '🍉 西瓜', '早上好']

/** A key unique in the run: a word and a serial. */
export const keyOf = (random: Random) => `${random.pick(KEYS)}#${random.int(1000, 9999)}`
export const valueOf = (random: Random) => `${random.pick(VALUES)} ${random.int(10, 99)}`

/** `count` distinct keys, each with a value. */
export function pairs(random: Random, count: number): Array<[string, string]> {
  const keys = new Set<string>()
  while (keys.size < count) keys.add(keyOf(random))
  return [...keys].map((key) => [key, valueOf(random)])
}

/** The server as its clients see it: its address, and how the transcript names it. */
export function serverAddress(server: Program): Address {
  return { address: server.options.host!, port: server.options.port! }
}

/** A test client that knows the server by name. */
export async function clientOf(udp: (name: string) => Promise<DatagramPeer>, server: Program, name: string): Promise<DatagramPeer> {
  const client = await udp(name)
  client.know(serverAddress(server), server.label)
  return client
}

/** The next datagram from the server, checked to come from its address and port; fails in
 * plain words when none comes. `after` says what it answers, for the message. */
export async function nextReply(client: DatagramPeer, server: Program, after: string, whyIfSilent = replyWhy()): Promise<Datagram> {
  const reply = await client.next(limits.waitMs, server)
  const label = capitalize(server.label)
  if (!reply) {
    if (!server.running) fail(t`${label} ${server.describeExit()} after ${after}.`)
    fail(t`${label} sent no reply to ${client.name} (at ${hostPort(client.host, client.port)}) within ${seconds(limits.waitMs)} of ${after}.`, [], { why: whyIfSilent })
  }
  const from = serverAddress(server)
  if (reply.port !== from.port || reply.address !== from.address) {
    fail(
      t`${label}'s reply, ${quoteBytes(reply.bytes, 60)}, came from ${hostPort(reply.address, reply.port)}, not from ${hostPort(from.address, from.port)}, where ${client.name} sent the request.`,
      [],
      {
        why: 'A client knows who answered by the reply’s address and port (nc -u ignores anything else). Reply with the socket the request came in on: socket.send() on that socket, not on a new one.',
      },
    )
  }
  return reply
}

/** Sends a retrieve of `key` and expects exactly `key=value` back. */
export async function expectValue(client: DatagramPeer, server: Program, key: string, value: string, explain?: Explain, request: string | Buffer = key): Promise<void> {
  await explaining(explain, async () => {
    await client.send(request, serverAddress(server))
    await expectAnswer(client, server, key, value, t`the retrieve ${quoteBytes(request, 60)}`, explain?.why)
  })
}

/** The next reply is exactly `key=value`. */
export async function expectAnswer(client: DatagramPeer, server: Program, key: string, value: string, after: string, whyIfSilent?: string): Promise<void> {
  const reply = await nextReply(client, server, after, whyIfSilent)
  const want = Buffer.from(`${key}=${value}`)
  if (reply.bytes.equals(want)) return
  fail(t`${capitalize(server.label)} answered ${quoteBytes(reply.bytes, 80)} to ${after}; expected ${quoteBytes(want, 80)}.`, [], {
    why: misanswer(reply.bytes, key, value),
  })
}

/** What a wrong answer says about the server, where a common mistake explains it. */
function misanswer(got: Buffer, key: string, value: string): string | undefined {
  const text = got.toString('utf8')
  if (text === `${key}=${value}\n` || text === `${key}=${value}\r\n`) return t('The reply is one datagram, `key=value`, with no newline: the datagram itself is the message.')
  if (text.startsWith(`${key}=`)) return undefined
  if (text.trim() === `${key}=${value}`.trim()) return t('Only one trailing \\n or \\r\\n is taken off a request, and nothing else: keep spaces where they are.')
  if (!text.includes('=')) return t`${insertWhy()} A retrieve is answered key=value, even when the key is unknown (key=).`
  return undefined
}

/** Inserts each pair, one datagram each. */
export async function insert(client: DatagramPeer, server: Program, entries: Array<[string, string]>): Promise<void> {
  for (const [key, value] of entries) await client.send(`${key}=${value}`, serverAddress(server))
}

/** Nothing came that no check asked for: a reply to an insert, a second reply. */
export function expectNoMore(clients: DatagramPeer[], server: Program): void {
  for (const client of clients) {
    const extra = client.untaken
    if (extra.length === 0) continue
    const label = capitalize(server.label)
    const shown = extra.slice(0, 3).map((d) => quoteBytes(d.bytes, 40)).join(', ')
    fail(extra.length === 1 ? t`${label} sent ${client.name} a datagram it did not ask for: ${shown}.` : t`${label} sent ${client.name} ${extra.length} datagrams it did not ask for: ${shown}.`, [], {
      why: t`${insertWhy()} Each request is one datagram, answered by at most one.`,
    })
  }
}

/**
 * Waits until the server has read every datagram sent to it so far (its socket's receive queue
 * is empty, as /proc shows), so that a burst cannot overflow the kernel's buffer: the check is
 * about the server, not about loss. Where /proc cannot tell, a short pause stands in.
 */
export async function untilRead(server: Program): Promise<void> {
  const deadline = Date.now() + limits.waitMs
  for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
    const unread = unreadDatagramBytes(server)
    if (unread === undefined) return sleep(20)
    if (unread === 0 || !server.running || Date.now() > deadline) return
    await sleep(delay)
  }
}
