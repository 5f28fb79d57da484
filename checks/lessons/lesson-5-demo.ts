// Lesson 5's data and its demo server. The seed GETs a public joke API (satinApi) and a picture
// from the internet; netlings serves look-alikes from a local node:http server instead, so
// nothing touches the internet. The grader builds the same data from its seeded Random; the
// demo server (npm run peer lesson-5, or npx tsx checks/lessons/lesson-5-demo.ts) lets
// learners run their programs by hand, and try the redirect, error and stall paths too.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { pathToFileURL } from 'node:url'
import { createRandom, type Random } from '../random.ts'
import { pandaJpeg } from './lesson-5-image.ts'

export { pandaJpeg } from './lesson-5-image.ts'

export const DEMO_PORT = 8083
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

const NOT_FOUND_PAGE = (path: string) =>
  `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404 Not Found</title></head>\n` +
  `<body><h1>404 找不到这一页</h1><p>${path.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p></body></html>\n`

export const notFoundPage = NOT_FOUND_PAGE
// Shaped like a success, with an empty data: only the status says it failed.
export const serverErrorJson = () => JSON.stringify({ code: 500, msg: '服务器内部错误', data: [] })

/** Writes `bytes`, waiting whenever the socket's buffer is full; false if the client left. */
export async function writeAll(response: ServerResponse, bytes: Buffer, size = 64 * 1024): Promise<boolean> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    if (response.destroyed) return false
    if (!response.write(bytes.subarray(offset, offset + size))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done)
          response.off('close', done)
          resolve()
        }
        response.on('drain', done)
        response.on('close', done)
      })
    }
  }
  return !response.destroyed
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ——— The demo server ———

interface Route {
  path: string
  what: string
  serve(request: IncomingMessage, response: ServerResponse, random: Random): void | Promise<void>
}

const picture = (random: Random) => pandaJpeg(random)

const ROUTES: Route[] = [
  {
    path: '/satinApi?type=1&page=1',
    what: 'JSON, with Content-Length (any query works; the data changes on every request)',
    serve(_, response, random) {
      const body = Buffer.from(satinJson(satinItems(random, random.int(4, 7))))
      response.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length })
      response.end(body)
    },
  },
  {
    path: '/satinApi/chunked',
    what: 'the same JSON, chunked, in small pieces with characters cut in half',
    async serve(_, response, random) {
      const body = Buffer.from(satinJson(satinItems(random, random.int(4, 7))))
      response.writeHead(200, { 'Content-Type': JSON_TYPE })
      for (let offset = 0; offset < body.length && !response.destroyed; offset += 37) {
        response.write(body.subarray(offset, offset + 37))
        await pause(5)
      }
      response.end()
    },
  },
  {
    path: '/satinApi/big',
    what: 'JSON with 1500 items, about 600 KB, chunked',
    async serve(_, response, random) {
      const body = Buffer.from(satinJson(satinItems(random, 1500), { padded: true, random }))
      response.writeHead(200, { 'Content-Type': JSON_TYPE })
      if (await writeAll(response, body, 8000)) response.end()
    },
  },
  {
    path: '/pic.jpg',
    what: 'a picture (image/jpeg, with Content-Length)',
    serve(_, response, random) {
      const body = picture(random)
      response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': body.length })
      response.end(body)
    },
  },
  {
    path: '/old/pic.jpg',
    what: 'redirects: 301 to /moved/pic.jpg, which answers 302 to /pic.jpg',
    serve(_, response) {
      response.writeHead(301, { Location: '/moved/pic.jpg', 'Content-Type': 'text/html; charset=utf-8' })
      response.end('<a href="/moved/pic.jpg">Moved Permanently</a>\n')
    },
  },
  {
    path: '/moved/pic.jpg',
    what: '302 to /pic.jpg (an absolute URL this time)',
    serve(request, response) {
      const location = `http://${request.headers.host ?? `127.0.0.1:${DEMO_PORT}`}/pic.jpg`
      response.writeHead(302, { Location: location, 'Content-Type': 'text/html; charset=utf-8' })
      response.end(`<a href="${location}">Found</a>\n`)
    },
  },
  {
    path: '/big.jpg',
    what: 'a 20 MB picture, chunked',
    async serve(_, response, random) {
      const body = pandaJpeg(random, 20 * 1024 * 1024)
      response.writeHead(200, { 'Content-Type': 'image/jpeg' })
      if (await writeAll(response, body)) response.end()
    },
  },
  {
    path: '/broken.jpg',
    what: 'promises 256 KB, sends half of it, then cuts the connection',
    serve(_, response, random) {
      const body = pandaJpeg(random, 256 * 1024)
      response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': body.length })
      response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy())
    },
  },
  {
    path: '/stall',
    what: 'sends the headers and part of the body, then nothing at all (try TIMEOUT_MS=1000)',
    serve(_, response, random) {
      const body = Buffer.from(satinJson(satinItems(random, 5)))
      response.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length })
      response.write(body.subarray(0, 40))
    },
  },
  {
    path: '/error',
    what: '500, with a JSON body',
    serve(_, response) {
      response.writeHead(500, { 'Content-Type': JSON_TYPE })
      response.end(serverErrorJson())
    },
  },
]

function route(url: string): Route | undefined {
  const path = url.split('?')[0]
  if (path === '/satinApi') return ROUTES[0]
  return ROUTES.find((r) => r.path === url || r.path === path)
}

/**
 * The demo server: the lesson's programs point at it by default. Each request is logged,
 * with the headers that matter, so learners see what their program asked for.
 */
export function startDemoServer(port = DEMO_PORT, host = '127.0.0.1', log: (line: string) => void = console.log): Promise<Server> {
  const random = createRandom(Date.now())
  const server = createServer((request, response) => {
    response.on('error', () => {})
    const found = request.method === 'GET' ? route(request.url ?? '/') : undefined
    response.on('finish', () => log(`${request.method} ${request.url}  (accept: ${request.headers.accept ?? '-'})  → ${response.statusCode}`))
    if (!found) {
      response.writeHead(request.method === 'GET' ? 404 : 405, { 'Content-Type': 'text/html; charset=utf-8' })
      response.end(NOT_FOUND_PAGE(request.url ?? '/'))
      return
    }
    void Promise.resolve(found.serve(request, response, random)).catch(() => response.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const base = `http://${host}:${port}`
      log(`lesson 5 demo server on ${base} (Ctrl+C to stop)`)
      for (const r of ROUTES) log(`  ${base}${r.path}  ${r.what}`)
      log(`  ${base}/anything-else  404, with an HTML page`)
      resolve(server)
    })
  })
}

// Run directly: npx tsx checks/lessons/lesson-5-demo.ts  (PORT and HOST change where it listens)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startDemoServer(Number(process.env.PORT ?? DEMO_PORT), process.env.HOST ?? '127.0.0.1').catch((error: NodeJS.ErrnoException) => {
    console.error(`cannot start the demo server: ${error.code === 'EADDRINUSE' ? 'the port is taken (is it already running?)' : error.message}`)
    process.exitCode = 1
  })
}
