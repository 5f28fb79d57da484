// A correct download in another style: node:http, redirects followed by hand, the response
// piped into a temporary file with stream.pipeline, renamed at the end.
import { createWriteStream } from 'node:fs'
import { rename, unlink } from 'node:fs/promises'
import http from 'node:http'
import { pipeline } from 'node:stream/promises'

const TARGET = process.env.URL ?? 'http://127.0.0.1:8083/pic.jpg'
const OUT = process.env.OUT ?? 'pic.jpg'
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)
const TEMP = `${OUT}.download`

function get(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, resolve)
    request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error(`timed out: nothing for ${TIMEOUT_MS} ms`)))
    request.on('error', reject)
  })
}

async function fetchFollowing(url: string, hops = 0): Promise<http.IncomingMessage> {
  const response = await get(url)
  const status = response.statusCode ?? 0
  if (status >= 300 && status < 400 && response.headers.location) {
    response.resume()
    if (hops >= 10) throw new Error('too many redirects')
    // Location may be relative (/moved/pic.jpg) or absolute: resolve it against where we are.
    return fetchFollowing(new URL(response.headers.location, url).href, hops + 1)
  }
  return response
}

try {
  const response = await fetchFollowing(TARGET)
  if (response.statusCode !== 200) {
    response.resume()
    throw new Error(`HTTP ${response.statusCode} ${response.statusMessage}`)
  }
  await pipeline(response, createWriteStream(TEMP))
  await rename(TEMP, OUT)
  console.log(`${OUT}: done`)
} catch (error) {
  await unlink(TEMP).catch(() => {})
  console.error(`could not download ${TARGET}: ${(error as Error).message}`)
  process.exitCode = 1
}
