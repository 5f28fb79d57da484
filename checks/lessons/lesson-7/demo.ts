// Lesson 7's data, replies and demo server. The seed ends its HTTP part with "post类似，但是需要
// 有对应的post接口" (POST is similar, but needs a POST endpoint) and print(response.headers): the
// grader and the demo (npm run peer lesson-7) are that endpoint, on loopback. Both answer
// through the same replies (peers/routes.ts), so what a learner tries by hand is what the
// grader does.

import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { findLesson } from '../../../lessons/index.ts'
import { createRandom, type Random } from '../../engine/random.ts'
import { inPieces, inTurn, resetAfter, routes, send, type Headers, type Reply } from '../../peers/routes.ts'
import { cutInsideCharacter, piecesOf, withRandomCuts } from '../../peers/fragments.ts'
import { hostPort } from '../../run/sockets.ts'
import { t } from '../../text/lang.ts'
import { HTML_TYPE, JSON_TYPE } from '../lesson-5/demo.ts'

/** Where the demo listens by default: the lesson's own port, as the registry gives it. */
export const DEMO_PORT = findLesson('lesson-7')!.port
export { HTML_TYPE, JSON_TYPE }
export const PNG_TYPE = 'image/png'

/** What a program posts when NAME and TEXT are not given: the seed's client and its line. */
export const DEFAULT_NAME = '客户端'
export const DEFAULT_TEXT = '我是客户端~~'

export interface Message {
  name: string
  text: string
}

const NAMES = ['客户端', '熊猫君🐼', '夜猫子😺', '程序猿老李', '学霸小美📚', '打工人💼']

// Each holds what string-glued JSON breaks on: a quote, a backslash, a newline; and CJK and
// emoji, so that characters and bytes differ in number.
const TEXTS = [
  '他说："你好！"\n我说：“拜拜” 👋',
  '路径是 C:\\temp\\新建文件夹 🙈\n别问',
  'JSON 里的 "引号" 和 \\ 反斜杠\n都要转义 ✅🎉',
  '第一行\n第二行 "quoted" \\n 不是换行 🐛',
]

/** A message with a serial unique to the run, so that an old one is never taken for it. */
export function message(random: Random): Message {
  return { name: random.pick(NAMES), text: `${random.pick(TEXTS)} #${serial(random)}` }
}

/** Five digits that never hold 201, 400, 413, 502 or 503: a line with one is no status line. */
export function serial(random: Random): number {
  for (;;) {
    const n = random.int(10000, 99999)
    if (!/201|400|413|502|503/.test(String(n))) return n
  }
}

const ID_WORDS = ['消息', '留言', '帖子', '评论']
const ID_EMOJI = ['🐼', '📮', '✉️', '🎉', '😺']

/** A new message's id: CJK, an emoji and digits, a string that JSON must not quote on screen. */
export const messageId = (random: Random) => `${random.pick(ID_WORDS)}-${serial(random)}-${random.pick(ID_EMOJI)}`

/** What the server answers a 201 with: the new message's id, and the message itself. */
export const createdJson = (id: string, posted: Partial<Message> = {}) => JSON.stringify({ id, ...posted })

/** Header names as servers really send them: in any case. */
export const anyCase = (random: Random, name: string) => random.pick([name, name.toLowerCase(), name.toUpperCase()])

// ——— Replies, for the grader's checks and the demo server alike ———

/** 201 Created, Location naming the new message; the JSON body in `pieces` writes, the first
 * cut inside a character of the id, `pauseMs` apart (chunked). */
export function created(random: Random, location: string, body: string, options: { pieces?: number; pauseMs?: number } = {}): Reply {
  const bytes = Buffer.from(body)
  const inside = cutInsideCharacter(bytes, random, bytes.indexOf('"id"'))
  const cuts = withRandomCuts([inside], bytes.length, (options.pieces ?? 4) - 1, random)
  const headers: Headers = { 'Content-Type': JSON_TYPE, [anyCase(random, 'Location')]: location }
  return inPieces(201, headers, piecesOf(bytes, cuts), options.pauseMs ?? 15)
}

export const errorJson = (error: string) => JSON.stringify({ error })

/** An error status with a JSON body `{"error": …}`. */
export const refused = (status: number, error: string, headers: Headers = {}): Reply => send(status, { 'Content-Type': JSON_TYPE, ...headers }, errorJson(error))

export const gatewayPage = () =>
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>502 Bad Gateway</title></head>\n' +
  '<body><h1>502 Bad Gateway</h1><p>上游服务器没有回应 (the server behind this one did not answer)</p></body></html>\n'

export const badGateway: Reply = send(502, { 'Content-Type': HTML_TYPE }, gatewayPage())

export const busyError = (seconds: number) => `服务器忙，请 ${seconds} 秒后再试 (busy: try again in ${seconds} s)`

/** 503 Service Unavailable, come back in `seconds`. */
export const busy = (seconds: number): Reply => refused(503, busyError(seconds), { 'Retry-After': seconds })

/** What an upload's receiver found: the count and SHA-256 of the bytes that arrived. */
export interface Receipt {
  bytes: number
  sha256: string
}

/** What a receipt hashes the body with: a SHA-256, or a grader's cheaper way to the same hex. */
export interface Digest {
  update(chunk: Buffer): void
  digest(): string
}

const sha256Digest = (): Digest => {
  const hash = createHash('sha256')
  return { update: (chunk) => hash.update(chunk), digest: () => hash.digest('hex') }
}

/**
 * An upload's receiver: once the whole body is in, 200 with `{"bytes": n, "sha256": "<hex>"}`,
 * of what arrived, or of what `lie` changes it to. `seen` hears the truth.
 */
export const receipt =
  (lie: (truth: Receipt) => Receipt = (truth) => truth, seen?: (truth: Receipt) => void, digest: () => Digest = sha256Digest): Reply =>
  (request, response) =>
    new Promise<void>((resolve) => {
      const hash = digest()
      let bytes = 0
      request.on('data', (chunk: Buffer) => {
        hash.update(chunk)
        bytes += chunk.length
      })
      request.on('end', () => {
        const truth = { bytes, sha256: hash.digest() }
        seen?.(truth)
        send(200, { 'Content-Type': JSON_TYPE }, JSON.stringify(lie(truth)))(request, response)
        resolve()
      })
      request.on('close', resolve)
    })

/** 413 Payload Too Large, sent at once, before the body: the peer reads and drops the rest. */
export const tooLarge = (limit: string) => refused(413, tooLargeError(limit))

export const tooLargeError = (limit: string) => `文件太大 (file too large): the limit is ${limit}`

// ——— The demo server ———

const demoRoutes = (random: Random) => {
  let count = 0
  const newMessage: Reply = (request, response) =>
    new Promise<void>((resolve) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        let posted: Partial<Message>
        try {
          posted = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Message>
          if (typeof posted !== 'object' || posted === null || Array.isArray(posted)) throw new Error('not an object')
        } catch {
          resolve(refused(400, 'body is not valid JSON')(request, response))
          return
        }
        const n = ++count
        resolve(created(random, `/messages/${n}`, createdJson(messageId(random), { name: posted.name, text: posted.text }))(request, response))
      })
    })
  return [
    ['/messages', t('POST JSON here: 201 Created, Location and an id (a body that is not JSON: 400)'), newMessage],
    ['/messages/busy', t('503 with Retry-After: 2, then 503 with Retry-After: 1, then 201 from then on'), inTurn(busy(2), busy(1), newMessage)],
    ['/messages/invalid', t('400 with a JSON error'), refused(400, '名字太长了 (name too long)')],
    ['/messages/gateway', t('502 with an HTML page'), badGateway],
    ['/upload', t('POST a file here: 200 and {"bytes": n, "sha256": "<hex>"} of what arrived'), receipt()],
    ['/upload/too-big', t('413 Payload Too Large, at once, before the body'), tooLarge('1 KB')],
    ['/upload/reset', t('resets the connection after 64 KB of the body'), resetAfter(64 * 1024)],
  ] as const
}

const methodNotAllowed: Reply = (request, response) =>
  send(405, { 'Content-Type': HTML_TYPE, Allow: 'POST' }, `<h1>405 ${request.method} is not served here: POST only</h1>\n`)(request, response)

const notFound: Reply = (request, response) => refused(404, `nothing at ${request.url ?? '/'}`)(request, response)

/** What the log shows of a request: the headers a POST is about. */
const described = (request: IncomingMessage) =>
  `${request.method} ${request.url}  (content-type: ${request.headers['content-type'] ?? '-'}, ${request.headers['content-length'] ? `content-length: ${request.headers['content-length']}` : (request.headers['transfer-encoding'] ?? t('no body'))})`

/** The demo server: the lesson's programs point at it by default. Each request is logged with
 * its Content-Type and its body's framing, so learners see what their program sent. */
export function startDemoServer(port = DEMO_PORT, host = '127.0.0.1', log: (line: string) => void = console.log): Promise<Server> {
  const table = demoRoutes(createRandom(Date.now()))
  const answer = routes(Object.fromEntries(table.map(([path, , reply]) => [path, reply])), notFound)
  const server = createServer((request, response) => {
    response.on('error', () => {})
    response.on('finish', () => log(`${described(request)}  → ${response.statusCode}`))
    if (request.method !== 'POST') return methodNotAllowed(request, response)
    answer(request, response)
  })
  // A client may half-close once its request is sent (raw-post.ts's socket.end(request)). By
  // default node:http then ends the connection at once, cutting an answer still in pieces.
  ;(server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const base = `http://${hostPort(host, port)}`
      log(t`lesson 7 demo server on ${base} (Ctrl+C to stop)`)
      for (const [path, what] of table) log(`  ${base}${path}  ${what}`)
      log(t`  ${base}/anything-else  404; a GET anywhere: 405`)
      resolve(server)
    })
  })
}
