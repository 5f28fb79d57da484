// Lesson 5's data and its demo server. The seed GETs a public joke API (satinApi) and a picture
// from the internet; netlings serves look-alikes from a local node:http server instead, so
// nothing touches the internet. The grader builds the same data from its seeded Random; the
// demo server (npm run peer lesson-5) lets learners run their programs by hand, and try the
// redirect, error and stall paths too. Both answer through the same replies (peers/routes.ts).

import { createServer, type Server } from 'node:http'
import { findLesson } from '../../../lessons/index.ts'
import { createRandom, type Random } from '../../engine/random.ts'
import { inPieces, partial, redirect, routes, send, stream, type Reply } from '../../peers/routes.ts'
import { t } from '../../text/lang.ts'
import { pandaJpeg } from './picture.ts'

/** Where the demo listens by default: the lesson's own port, as the registry gives it. */
export const DEMO_PORT = findLesson('lesson-5')!.port
export const JSON_TYPE = 'application/json; charset=utf-8'

export interface SatinItem {
  name: string
  text: string
}

// Chinese, emoji (4 bytes in UTF-8), quotes and a backslash that JSON must escape. None of
// them holds 200, 404 or 500, so a line with an item is never taken for a status line.
const NAMES = [
  '段子手小王',
  '吃瓜群众',
  '熊猫君🐼',
  '程序猿老李',
  '夜猫子😺',
  '隔壁老王',
  '打工人💼',
  '🍉西瓜太郎',
  '南方小土豆🥔',
  '学霸小美📚',
  '摸鱼达人🐟',
  '早起的鸟儿🐦',
]
const TEXTS = [
  '我想静静，别问我静静是谁 😂',
  '他说："你好！"，我说：“拜拜”',
  '代码写完了，bug 也写完了 🐛',
  '周一的我：☕☕☕',
  '世上无难事，只怕有心人 💪',
  '为什么程序员分不清万圣节和圣诞节？因为 Oct 31 == Dec 25 🎃🎄',
  '路径写成 C:\\temp\\新建文件夹 了 🙈',
  '今天的风儿甚是喧嚣 🌬️',
  '我是客户端~~',
  '拜拜 👋',
  '能用就行，别动它 🙏',
  '一杯茶，一包烟，一个 bug 改一天 🍵',
]

const CLEAN = /200|404|500/

/** `count` items with random names and texts, each text ending in a serial unique in the run. */
export function satinItems(random: Random, count: number): SatinItem[] {
  const serials = new Set<number>()
  const items: SatinItem[] = []
  while (items.length < count) {
    const serial = random.int(10000, 99999)
    if (serials.has(serial) || CLEAN.test(String(serial))) continue
    serials.add(serial)
    items.push({ name: random.pick(NAMES), text: `${random.pick(TEXTS)} #${serial}` })
  }
  return items
}

/**
 * The API's answer, as the seed's satinApi shaped it: {"code":200,"msg":"成功!","data":[…]}.
 * Items carry more fields than name and text, as the real API's did; `padded` adds the bulky
 * ones (avatar, comments, a thumbnail), about 200 bytes an item that nobody needs to print.
 */
export function satinJson(items: SatinItem[], options: { padded?: boolean; random?: Random } = {}): string {
  const random = options.random ?? createRandom(items.length)
  const data = items.map((item, i) => {
    const base = { type: '1', name: item.name, text: item.text, passtime: `2018-09-12 19:${String(10 + (i % 50)).padStart(2, '0')}:48` }
    if (!options.padded) return base
    const id = random.int(10000000, 99999999)
    return {
      ...base,
      uid: String(id),
      header: `http://127.0.0.1:${DEMO_PORT}/profile/large/${id}_mini.jpg`,
      up: String(random.int(1, 9999)),
      down: String(random.int(1, 999)),
      forward: String(random.int(1, 99)),
      top_commentsName: random.pick(NAMES),
      top_commentsContent: random.pick(TEXTS),
      thumbnail: `http://127.0.0.1:${DEMO_PORT}/thumbnail/${id}-${random.int(1000, 9999)}.jpg`,
    }
  })
  return JSON.stringify({ code: 200, msg: '成功!', data })
}

/** What a program prints for each item, one line each, in order. */
export const itemLine = (item: SatinItem) => `${item.name}: ${item.text}`

export const notFoundPage = (path: string) =>
  `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404 Not Found</title></head>\n` +
  `<body><h1>404 找不到这一页</h1><p>${path.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p></body></html>\n`

// Shaped like a success, with an empty data: only the status says it failed.
export const serverErrorJson = () => JSON.stringify({ code: 500, msg: '服务器内部错误', data: [] })

export const HTML_TYPE = 'text/html; charset=utf-8'
export const JPEG_TYPE = 'image/jpeg'

// ——— Replies, for the grader's checks and the demo server alike ———

export const json = (body: string | Buffer, status = 200): Reply => send(status, { 'Content-Type': JSON_TYPE }, body)
export const jpeg = (picture: Buffer): Reply => send(200, { 'Content-Type': JPEG_TYPE }, picture)
export const notFound: Reply = (request, response) => send(404, { 'Content-Type': HTML_TYPE }, notFoundPage(request.url ?? '/'))(request, response)
export const serverError: Reply = json(serverErrorJson(), 500)

/** A reply made anew for every request, from the demo's own randomness. */
const fresh =
  (make: () => Reply): Reply =>
  (request, response) =>
    make()(request, response)

// ——— The demo server ———

const demoRoutes = (random: Random) => {
  const items = () => Buffer.from(satinJson(satinItems(random, random.int(4, 7))))
  return [
    ['/satinApi', t('JSON, with Content-Length (any query works; the data changes on every request)'), fresh(() => json(items()))],
    [
      '/satinApi/chunked',
      t('the same JSON, chunked, in small pieces with characters cut in half'),
      fresh(() => {
        const body = items()
        const pieces = Array.from({ length: Math.ceil(body.length / 37) }, (_, i) => body.subarray(i * 37, i * 37 + 37))
        return inPieces(200, { 'Content-Type': JSON_TYPE }, pieces, 5)
      }),
    ],
    ['/satinApi/big', t('JSON with 1500 items, about 600 KB, chunked'), fresh(() => stream(200, { 'Content-Type': JSON_TYPE }, Buffer.from(satinJson(satinItems(random, 1500), { padded: true, random })), 8000))],
    ['/pic.jpg', t('a picture (image/jpeg, with Content-Length)'), fresh(() => jpeg(pandaJpeg(random)))],
    ['/old/pic.jpg', t('redirects: 301 to /moved/pic.jpg, which answers 302 to /pic.jpg'), redirect(301, '/moved/pic.jpg')],
    ['/moved/pic.jpg', t('302 to /pic.jpg (an absolute URL this time)'), redirect(302, (request) => `http://${request.headers.host ?? `127.0.0.1:${DEMO_PORT}`}/pic.jpg`)],
    ['/big.jpg', t('a 20 MiB picture, chunked'), fresh(() => stream(200, { 'Content-Type': JPEG_TYPE }, pandaJpeg(random, 20 * 1024 * 1024)))],
    ['/broken.jpg', t('promises 256 KiB, sends half of it, then cuts the connection'), fresh(() => partial(200, { 'Content-Type': JPEG_TYPE }, pandaJpeg(random, 256 * 1024), 128 * 1024, 'cut'))],
    ['/stall', t('sends the headers and part of the body, then nothing at all (try TIMEOUT_MS=1000)'), fresh(() => partial(200, { 'Content-Type': JSON_TYPE }, Buffer.from(satinJson(satinItems(random, 5))), 40, 'stall'))],
    ['/error', t('500, with a JSON body'), serverError],
  ] as const
}

/**
 * The demo server: the lesson's programs point at it by default. Each request is logged,
 * with the headers that matter, so learners see what their program asked for.
 */
export function startDemoServer(port = DEMO_PORT, host = '127.0.0.1', log: (line: string) => void = console.log): Promise<Server> {
  const table = demoRoutes(createRandom(Date.now()))
  const answer = routes(Object.fromEntries(table.map(([path, , reply]) => [path, reply])), notFound)
  const server = createServer((request, response) => {
    response.on('error', () => {})
    response.on('finish', () => log(`${request.method} ${request.url}  (accept: ${request.headers.accept ?? '-'})  → ${response.statusCode}`))
    if (request.method !== 'GET') return send(405, { 'Content-Type': HTML_TYPE, Allow: 'GET' }, `<h1>405 ${request.method} is not served here: GET only</h1>\n`)(request, response)
    answer(request, response)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
      log(t`lesson 5 demo server on ${base} (Ctrl+C to stop)`)
      for (const [path, what] of table) log(`  ${base}${path === '/satinApi' ? '/satinApi?type=1&page=1' : path}  ${what}`)
      log(`  ${base}/anything-else  ${t('404, with an HTML page')}`)
      resolve(server)
    })
  })
}
