// The built site in a real browser: Debian's Chromium driven by playwright-core (Playwright's
// own browser download does not work here). Skipped, loudly, when /usr/bin/chromium is missing
// on a developer's machine; .ci/run installs it, and fails the run if it still is missing.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { readProgress, type Progress } from '../checks/state/progress.ts'
import { buildSite } from '../site/build.ts'
import { serveDirectory } from '../site/serve.ts'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const haveChromium = existsSync(chromium)
// .ci/run installs Chromium: in CI a missing browser is a failure, never a quiet skip.
if (!haveChromium && process.env.CI === 'true') {
  describe('the lesson site in Chromium', () => {
    it('has Chromium to run in', () => {
      throw new Error(`no Chromium at ${chromium}, and CI=true: .ci/run should have installed it`)
    })
  })
} else if (!haveChromium) {
  console.warn(
    `SKIPPED site-browser tests: no Chromium at ${chromium}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
  )
}

const progress: Progress = {
  'lesson-3/echo-server': { status: 'pass', passed: 5, total: 5, stars: 1, starsTotal: 1, at: '2026-11-01T10:00:00.000Z' },
  'lesson-3/chat-client': { status: 'fail', passed: 2, total: 4, stars: 0, starsTotal: 0, at: '2026-11-01T10:01:00.000Z' },
}

let dir: string
let server: Server | undefined
let url: string
let browser: Browser | undefined
// SITE_SCREENSHOTS keeps the pictures for a human to look at; by default they go with the temp dir.
let shots: string

describe.skipIf(!haveChromium)('the lesson site in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netlings-site-browser-'))
    shots = process.env.SITE_SCREENSHOTS ?? join(dir, 'screenshots')
    const progressPath = join(dir, 'progress.json')
    writeFileSync(progressPath, JSON.stringify(progress))
    buildSite({ outDir: join(dir, 'dist'), progress: readProgress(progressPath) })
    ;({ server, url } = await serveDirectory(join(dir, 'dist'), 0))
    const { chromium: launcher } = await import('playwright-core')
    browser = await launcher.launch({
      executablePath: chromium,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // No --user-data-dir: launch() refuses it, and gives each run a fresh temporary profile.
      ],
    })
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
    rmSync(dir, { recursive: true, force: true })
  })

  it('goes from the home page to lesson 3, shows a solution and a progress mark', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } })
    const offsite: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(url)) offsite.push(request.url())
    })
    await page.goto(url)
    expect(await page.title()).toContain('netlings')
    await page.locator('.lesson-cards a', { hasText: 'Lesson 3' }).click()
    await page.waitForURL(/lesson-3-echo-chat\.html$/)
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('Lesson 3')

    const mark = page.locator('#file-echo-server h3 .mark')
    expect(await mark.getAttribute('data-mark')).toBe('pass')
    expect(await mark.textContent()).toBe('✓')
    expect(await page.locator('#file-chat-client h3 .mark').textContent()).toBe('✗')
    expect(await page.locator('#file-chat-server h3 .mark').textContent()).toBe('○')

    const solution = page.locator('#file-echo-server details.solution')
    const code = solution.locator('pre code')
    expect(await code.isVisible()).toBe(false)
    await solution.locator('summary').click()
    expect(await code.isVisible()).toBe(true)
    expect(await code.innerText()).toContain('createServer')

    expect(offsite).toEqual([])
    await page.close()
  })

  it('switches to the Chinese page of the same lesson and section, and back', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } })
    // As a reader would: once the page, its web font included, is laid out.
    const settle = () => page.evaluate('document.fonts.ready.then(() => true)')
    // A click where the switch is: Playwright's own click() scrolls the page first, and the
    // reader would then be in another section.
    const clickSwitch = async () => {
      const box = (await page.locator('.lang-switch').boundingBox())!
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    }
    await page.goto(`${url}lesson-3-echo-chat.html`)
    await settle()
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    // The reader is in "Lines in a byte stream" when they switch.
    await page.evaluate("document.getElementById('lines-in-a-byte-stream').scrollIntoView({ block: 'start' })")
    await clickSwitch()
    await page.waitForURL(`${url}zh-CN/lesson-3-echo-chat.html#lines-in-a-byte-stream`)
    await settle()
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    expect(await page.locator('h1').first().textContent()).toContain('第 3 课')
    // The section is there, under the English anchor, in Chinese.
    expect(await page.locator('#lines-in-a-byte-stream').textContent()).toMatch(/[\u4e00-\u9fff]/)
    // The marks and "run" commands are the learner's own, in either language.
    expect(await page.locator('#file-echo-server h3 .mark').textContent()).toBe('✓')
    expect(await page.locator('#file-chat-client h3 .mark').getAttribute('title')).toMatch(/2\/4/)
    await page.evaluate("document.getElementById('lines-in-a-byte-stream').scrollIntoView({ block: 'start' })")
    await clickSwitch()
    await page.waitForURL(`${url}lesson-3-echo-chat.html#lines-in-a-byte-stream`)
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.close()
  })

  it('draws Chinese with the web font it serves, not as boxes, in both themes, on a phone and a desktop', async () => {
    // The CI machine has no CJK font at all: without the site's own, every 汉字 is a box.
    const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } }
    for (const [name, viewport] of Object.entries(sizes)) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await browser!.newPage({ viewport, colorScheme })
        const offsite: string[] = []
        page.on('request', (request) => {
          if (!request.url().startsWith(url)) offsite.push(request.url())
        })
        await page.goto(`${url}zh-CN/lesson-1-server-basics.html`)
        const drawn = (await page.evaluate(`document.fonts.ready.then(async () => {
          await document.fonts.load('16px "Noto Sans SC"', '你好')
          const width = (text) => {
            const span = document.createElement('span')
            span.textContent = text
            span.style.cssText = 'position:absolute;white-space:nowrap;font-size:16px'
            document.querySelector('.markdown p').append(span)
            const w = span.getBoundingClientRect().width
            span.remove()
            return w
          }
          return {
            check: document.fonts.check('16px "Noto Sans SC"', '你好'),
            loaded: [...document.fonts].filter((f) => f.family.includes('Noto Sans SC') && f.status === 'loaded').length,
            chinese: width('你好'),
            boxes: width('\uE000\uE001'),
          }
        })`)) as { check: boolean; loaded: number; chinese: number; boxes: number }
        const where = `${name}, ${colorScheme}`
        expect(drawn.check, where).toBe(true)
        expect(drawn.loaded, where).toBeGreaterThan(0)
        // Two full-width glyphs: two ems. The missing-glyph boxes are narrower.
        expect(drawn.chinese, where).toBeCloseTo(32, 0)
        expect(Math.abs(drawn.chinese - drawn.boxes), where).toBeGreaterThan(2)
        expect(offsite, where).toEqual([])
        await page.screenshot({ path: join(shots, `zh-CN-lesson-1-${name}-${colorScheme}.png`) })
        await page.close()
      }
    }
  })

  it('takes screenshots at phone and desktop widths', async () => {
    const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } }
    for (const [name, viewport] of Object.entries(sizes)) {
      const page = await browser!.newPage({ viewport })
      await page.goto(`${url}lesson-1-server-basics.html`)
      // Nothing wider than the screen: a phone reader must never scroll sideways.
      // A string, not a function: the project's types know Node, not the DOM.
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'))
      expect(overflow, name).toBeLessThanOrEqual(0)
      const file = join(shots, `lesson-1-${name}.png`)
      await page.screenshot({ path: file })
      const png = readFileSync(file)
      expect(png.length).toBeGreaterThan(1000)
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)
      await page.close()
    }
    const home = await browser!.newPage({ viewport: sizes.phone, colorScheme: 'dark' })
    await home.goto(url)
    await home.screenshot({ path: join(shots, 'home-phone-dark.png'), fullPage: true })
    await home.close()
  })
})
