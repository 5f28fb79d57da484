// Lesson 5 · download: GET a picture and save it safely: byte for byte, streamed to disk,
// through redirects, never leaving a partial file or replacing OUT with an error page.

import { expectExit } from '../../engine/expect.ts'
import { explaining, fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import type { Random } from '../../engine/random.ts'
import { exercise } from '../../engine/story.ts'
import { deferred, seconds, within } from '../../engine/wait.ts'
import type { HttpPeer } from '../../peers/http.ts'
import { partial, redirect, routes, send, writeAll } from '../../peers/routes.ts'
import type { Program } from '../../run/program.ts'
import { describeDifference } from '../../text/bytes.ts'
import { t } from '../../text/lang.ts'
import { capitalize, size } from '../../text/words.ts'
import { HTML_TYPE, JPEG_TYPE, JSON_TYPE, jpeg, notFound, notFoundPage, serverErrorJson } from './demo.ts'
import { decodedAsText, expectEnded, expectFailedCleanly, expectFolderUntouched, expectGivesUp, expectStatusError, savedFiles, waitForBytesOnDisk } from './expect.ts'
import { BIG_PICTURE, IPV6_URL, IPV6_URL_WHY, STALLED, STALL_TIMEOUT_MS, expectGet, requestOf } from './http.ts'
import { onIPv6 } from '../shared.ts'
import { noise } from '../../engine/random.ts'
import { pandaJpeg } from './picture.ts'

const SAFE_WHY = 'Stream the body into a temporary file next to OUT; rename it to OUT once the whole body is there.'

/** OUT holds exactly `want`, and nothing else was left in the folder. */
function expectSaved(program: Program, out: string, want: Buffer): void {
  const label = capitalize(program.label)
  const files = savedFiles(program)
  const got = files.get(out)
  const others = [...files.keys()].filter((name) => name !== out)
  if (!got) {
    if (others.length) {
      fail(t`${label} did not save ${out}; it saved ${others.join(', ')} instead.`, [], { why: "Save to the file named by OUT: const OUT = process.env.OUT ?? 'pic.jpg'." })
    }
    fail(t`${label} saved no file: there is no ${out}.`)
  }
  if (!got.equals(want)) {
    if (decodedAsText(want, got)) {
      fail(t`${label} turned the picture into a string, and back: every byte that is not valid UTF-8 became "\ufffd" (ef bf bd).`, describeDifference(want, got), {
        why: 'A picture is bytes, not text. Never call .text() or toString() on it, or add its pieces to a string: keep Buffers, or stream them to the file.',
      })
    }
    fail(t`${out} is not the picture the server sent.`, describeDifference(want, got))
  }
  if (others.length) fail(t`${label} saved ${out}, but left ${others.join(', ')} behind.`, [], { why: 'Rename the temporary file to OUT; do not copy it.' })
}

export default exercise(({ check, stretch }) => {
  let client: Program
  let picture: Buffer
  let out: string

  const outName = (random: Random) => `panda-${random.int(1000, 9999)}.jpg`
  const oldPicture = (random: Random) => Buffer.concat([Buffer.from(`旧的图片 old picture #${random.int(1000, 9999)}\n`), noise(random, random.int(2000, 4000))])

  check('sends GET for the URL it is given', { see: 'url-parts' }, async ({ http, start, random }) => {
    out = outName(random)
    picture = pandaJpeg(random)
    const path = `/pics/${random.int(10000, 99999)}.jpg?size=small`
    const peer = await http(routes({ [path]: jpeg(picture) }, notFound))
    client = await start({ env: { URL: peer.url(path), OUT: out } })
    expectGet(await requestOf(peer, client), client, path)
  })

  check('saves the picture to OUT, byte for byte, and exits with code 0', { see: 'saving-a-download-safely' }, async () => {
    await expectExit(client, 0, { why: 'Once the picture is saved, nothing is left to do: the program ends by itself.' })
    expectSaved(client, out, picture)
  })

  check(
    'replaces an existing OUT instead of appending to it',
    { see: 'saving-a-download-safely', why: "The seed opens the file with 'ab', append. fs.createWriteStream(path) (flag 'w') empties the file first; rename() replaces it whole." },
    async ({ http, start, random }) => {
      const name = outName(random)
      const old = oldPicture(random)
      const pic = pandaJpeg(random)
      const peer = await http(jpeg(pic))
      const program = await start({ env: { URL: peer.url('/pic.jpg'), OUT: name }, files: { [name]: old } })
      await requestOf(peer, program)
      await expectExit(program, 0)
      const got = savedFiles(program).get(name)
      if (got?.equals(Buffer.concat([old, pic]))) {
        fail(t`${capitalize(program.label)} appended the picture to the existing ${name} instead of replacing it.`, [
          t`${name} now holds ${size(got.length, false)}: the old ${size(old.length, false)}, then the new ${size(pic.length, false)}.`,
        ])
      }
      if (got && got.length > pic.length && got.subarray(0, pic.length).equals(pic)) {
        fail(t`${capitalize(program.label)} wrote the picture over the start of the existing ${name}, but left the old file's tail after it.`, [
          t`${name} now holds ${size(got.length, false)}; the picture is ${size(pic.length, false)}.`,
        ])
      }
      expectSaved(program, name, pic)
    },
  )

  check(
    'follows redirects: 301, then 302',
    {
      see: 'redirects',
      why: 'fetch follows redirects by itself (unless told redirect: "manual"); http.get does not: on a 3xx, GET the Location header, resolved against the URL you asked for.',
    },
    async ({ http, start, random }) => {
      // Run as by hand, with no OUT: it saves pic.jpg, the default the lesson names.
      const name = 'pic.jpg'
      const pic = pandaJpeg(random)
      const n = random.int(10000, 99999)
      const [first, second, last] = [`/old/${n}.jpg`, `/moved/${n}.jpg`, `/cdn/${n}.jpg`]
      const peer: HttpPeer = await http(
        routes({ [first]: redirect(301, second), [second]: redirect(302, () => peer.url(last)), [last]: jpeg(pic) }, notFound),
      )
      const program = await start({ env: { URL: peer.url(first) } })
      await requestOf(peer, program)
      await program.waitForExit(limits.waitMs)
      const asked = peer.requests.map((r) => `  ${r.method} ${r.path}`)
      const label = capitalize(program.label)
      if (!peer.requests.some((r) => r.path === second)) {
        fail(t`${label} did not follow the redirect: the server answered 301 Moved Permanently with Location: ${second}, and your client never asked for it.`, [
          t`${label} asked for:`,
          ...asked,
        ])
      }
      if (!peer.requests.some((r) => r.path === last)) {
        fail(t`${label} followed the 301 but not the 302 after it (Location: ${peer.url(last)}, an absolute URL this time).`, [t`${label} asked for:`, ...asked])
      }
      await explaining({ why: "This download ran as by hand, with no OUT: then it saves pic.jpg, the lesson's default. const OUT = process.env.OUT ?? 'pic.jpg'." }, async () => {
        await expectExit(program, 0)
        expectSaved(program, name, pic)
      })
    },
  )

  check(
    'streams a 20 MiB picture to disk as it arrives, byte for byte',
    {
      see: 'saving-a-download-safely',
      why: "Stream it: pipe the body into fs.createWriteStream(), so each piece goes to disk as it arrives. The seed's pic += response.content keeps the whole file in memory first.",
    },
    async ({ http, start, random }) => {
      const name = outName(random)
      const big = pandaJpeg(random, BIG_PICTURE)
      const half = BIG_PICTURE / 2
      const enough = 1024 * 1024
      let program: Program | undefined
      const onDisk = deferred<number | undefined>()
      const peer = await http(async (_, res) => {
          try {
            res.writeHead(200, { 'Content-Type': JPEG_TYPE }) // chunked: no size known in advance
            if (!(await writeAll(res, big.subarray(0, half)))) return
            // The first half is on its way. A client that streams puts it on disk now; one that
            // keeps everything in memory writes nothing until the end, which we do not send yet.
            const bytes = await waitForBytesOnDisk(program!.workDir, enough, limits.waitMs)
            onDisk.resolve(bytes)
            if (bytes < enough) return void res.destroy()
            if (await writeAll(res, big.subarray(half))) res.end()
          } finally {
            onDisk.resolve(undefined) // the client left early (a no-op once resolved)
          }
      })
      program = await start({ env: { URL: peer.url(`/big/${random.int(10000, 99999)}.jpg`), OUT: name } })
      await requestOf(peer, program)
      const label = capitalize(program.label)
      const bytes = await within(onDisk.promise, limits.waitMs * 3, () => undefined)
      if (bytes === undefined) {
        fail(
          program.running
            ? t`${label} did not take the first ${size(half, false)} of the picture within ${seconds(limits.waitMs * 3)}.`
            : t`${label} did not take the first ${size(half, false)} of the picture within ${seconds(limits.waitMs * 3)}: it ${program.describeExit()}.`,
        )
      }
      if (bytes < enough) {
        fail(
          t`${label} had written ${size(bytes, false)} to disk after the first ${size(half, false)} of ${size(BIG_PICTURE, false)} had arrived: it keeps the picture in memory until the end.`,
          [t('(The grader counts the bytes of every file in the folder of OUT, a temporary file included.)')],
        )
      }
      await expectExit(program, 0)
      expectSaved(program, name, big)
    },
  )

  for (const status of [404, 500]) {
    check(`on a ${status}, prints one line with the status, exits with code 1 and saves nothing`, { see: 'check-the-status' }, async ({ http, start, random }) => {
      const name = outName(random)
      // The 404 story has an old OUT to keep; the 500 story has none, and must not make one.
      const old = status === 404 ? oldPicture(random) : undefined
      const page = Buffer.from(status === 404 ? notFoundPage(`/pics/${name}`) : serverErrorJson())
      const peer = await http(send(status, { 'Content-Type': status === 404 ? HTML_TYPE : JSON_TYPE }, page))
      const program = await start({ env: { URL: peer.url(`/pics/${name}`), OUT: name }, files: old ? { [name]: old } : undefined })
      await requestOf(peer, program)
      await expectEnded(program, t`the ${status} answer`)
      expectFolderUntouched(program, { out: name, content: old, body: page, what: t`the ${status} answer` })
      expectStatusError(program, status, { why: 'Check response.ok (or the status code) before you write anything.' })
    })
  }

  check(
    'on a broken transfer, exits with code 1, leaves no partial file and keeps the old OUT',
    { see: 'saving-a-download-safely', why: SAFE_WHY },
    async ({ http, start, random }) => {
      const name = outName(random)
      const old = oldPicture(random)
      const pic = pandaJpeg(random, 256 * 1024)
      const peer = await http(partial(200, { 'Content-Type': JPEG_TYPE }, pic, pic.length >> 1, 'cut')) // half, then the connection is cut
      const program = await start({ env: { URL: peer.url('/pic.jpg'), OUT: name }, files: { [name]: old } })
      await requestOf(peer, program)
      const what = t`the connection broke halfway (${size(pic.length >> 1, false)} of the ${size(pic.length, false)} promised)`
      await expectEnded(program, what)
      expectFolderUntouched(program, { out: name, content: old, body: pic, what: t('the broken transfer') })
      expectFailedCleanly(program, t('the broken transfer'), { why: 'A body that ends before Content-Length bytes is an error: print one line, set process.exitCode = 1.' })
    },
  )

  stretch('gives up with one line when the server stalls (TIMEOUT_MS), leaving no partial file', { see: 'timeouts' }, async ({ http, start, random }) => {
    const name = outName(random)
    const old = oldPicture(random)
    const pic = pandaJpeg(random, 64 * 1024)
    const peer = await http(partial(200, { 'Content-Type': JPEG_TYPE }, pic, pic.length >> 1, 'stall'))
    const program = await start({ env: { URL: peer.url('/pic.jpg'), OUT: name, TIMEOUT_MS: String(STALL_TIMEOUT_MS) }, files: { [name]: old } })
    await requestOf(peer, program)
    await expectGivesUp(program, STALL_TIMEOUT_MS, STALLED)
    expectFolderUntouched(program, { out: name, content: old, body: pic, what: t('the stalled transfer') })
  })
  stretch(
    ...onIPv6(
      'ipv6-in-a-url',
      async ({ http, start, random }) => {
        const name = outName(random)
        const panda = pandaJpeg(random)
        const path = `/pics/${random.int(10000, 99999)}.jpg?size=small`
        const peer = await http(routes({ [path]: jpeg(panda) }, notFound))
        const program = await start({ env: { URL: peer.url(path), OUT: name } })
        expectGet(await requestOf(peer, program), program, path)
        await expectExit(program, 0)
        expectSaved(program, name, panda)
      },
      IPV6_URL_WHY,
      IPV6_URL,
    ),
  )
})
