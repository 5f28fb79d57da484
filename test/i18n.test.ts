// Both languages complete and in step: every text the code says has its Chinese, every Chinese
// README translates its English section by section as the English is now, and the glossary is
// kept. Then the parts: how the language is chosen, and how a README's drift is caught.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { catalogProblems } from '../checks/text/catalog-audit.ts'
import { catalogFiles, chooseLang, keyOf, localeLang, parseLang, readCatalog } from '../checks/text/lang.ts'
import { lessons } from '../lessons/index.ts'
import { CHINESE_README, fromHistory, glossaryOf, hashOf, lineDiff, partsOf, stamp, syncProblems, untranslatedTerms } from '../lessons/translation.ts'
import { root } from './helpers.ts'

const glossary = glossaryOf(readFileSync(join(root, 'lessons', 'GLOSSARY.md'), 'utf8'))

describe('every lesson in both languages', () => {
  for (const lesson of lessons) {
    const dir = join(root, 'lessons', lesson.slug)
    test(`${lesson.id}: ${CHINESE_README} translates every section of README.md as it is now`, () => {
      const english = readFileSync(join(dir, 'README.md'), 'utf8')
      const chinese = readFileSync(join(dir, CHINESE_README), 'utf8')
      const problems = syncProblems(english, chinese, fromHistory(root, `lessons/${lesson.slug}/README.md`))
      const told = problems.map((p) => [`${p.section} ${p.problem}`, ...(p.diff ?? []).map((line) => `    ${line}`)].join('\n'))
      expect(told, 'npm run i18n says the same; after updating a translation: npm run i18n -- stamp').toEqual([])
    })
    test(`${lesson.id}: the Chinese prose keeps to the glossary`, () => {
      const left = untranslatedTerms(readFileSync(join(dir, CHINESE_README), 'utf8'), glossary)
      expect(left.map((l) => `line ${l.line}: "${l.term.english}" is ${l.term.chinese}: ${l.excerpt}`)).toEqual([])
    })
  }
})

test('every text a learner reads has its Chinese, and every Chinese text is of a text the code still says', async () => {
  const { problems } = await catalogProblems(root)
  expect(problems.map((p) => `${p.catalog}: ${p.problem}: ${JSON.stringify(p.key)}${p.at ? ` (${p.at})` : ''}`), 'npm run i18n -- --write adds the missing ones to fill in').toEqual([])
})

test('the Chinese texts of the grader keep to the glossary', () => {
  const left = catalogFiles(root).flatMap((file) =>
    Object.entries(readCatalog(file)).flatMap(([english, chinese]) => untranslatedTerms(chinese, glossary).map((l) => `${file}: "${l.term.english}" in ${JSON.stringify(chinese)} (for ${JSON.stringify(english)})`)),
  )
  expect(left).toEqual([])
})

describe('the language', () => {
  test('--lang, then NETLINGS_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG), then English', () => {
    expect(chooseLang('zh-CN', { NETLINGS_LANG: 'en' })).toBe('zh-CN')
    expect(chooseLang(undefined, { NETLINGS_LANG: 'zh', LANG: 'en_US.UTF-8' })).toBe('zh-CN')
    expect(chooseLang(undefined, { NETLINGS_LANG: 'en', LANG: 'zh_CN.UTF-8' })).toBe('en')
    expect(localeLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN')
    expect(localeLang({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' })).toBe('en')
    expect(localeLang({ LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-CN')
    expect(localeLang({})).toBe('en')
    for (const [given, lang] of [['zh-CN', 'zh-CN'], ['ZH_cn', 'zh-CN'], ['zh', 'zh-CN'], ['en', 'en'], ['en-GB', 'en'], ['fr', undefined], ['', undefined], ['zhx', undefined]] as const) expect(parseLang(given), given).toBe(lang)
    expect(() => chooseLang('fr', {})).toThrow('--lang wants en or zh-CN, not "fr"')
    expect(() => chooseLang(undefined, { NETLINGS_LANG: 'de' })).toThrow('NETLINGS_LANG wants en or zh-CN, not "de"')
  })

  test("a template's key puts {0}, {1} … where its values go", () => {
    const key = (strings: TemplateStringsArray, ..._values: unknown[]) => keyOf(strings)
    expect(key`${'a'} printed ${'b'} but no newline after it.`).toBe('{0} printed {1} but no newline after it.')
    expect(key`plain`).toBe('plain')
  })
})

describe('a translation that falls behind its English is caught', () => {
  const english = ['# Title', 'Intro.', '', '## Host and port', 'Use HOST.', '', '```ts', 'server.listen(PORT, HOST) // here', '```', '', '## Steps', '1. one', '2. two'].join('\n')
  const chinese = ['# 标题', '<!-- en: title -->', '引言。', '', '## 主机和端口', '<!-- en: host-and-port -->', '用 HOST。', '', '```ts', 'server.listen(PORT, HOST) // 这里', '```', '', '## 步骤', '<!-- en: steps -->', '1. 一', '2. 二'].join('\n')

  test('a new translation is stamped with the hash of each English section; then nothing is wrong', () => {
    expect(syncProblems(english, chinese).map((p) => p.problem)).toEqual(Array(3).fill(expect.stringMatching(/^is not stamped/)))
    const stamped = stamp(english, chinese)
    expect(stamped).toContain(`<!-- en: host-and-port ${hashOf(partsOf(english)[1]!.text)} -->`)
    expect(syncProblems(english, stamped)).toEqual([])
  })

  test('an English section edited since: named, with the English diff from history', () => {
    const stamped = stamp(english, chinese)
    const edited = english.replace('Use HOST.', 'Use HOST, never 0.0.0.0.')
    const problems = syncProblems(edited, stamped, (hash, anchor) => (anchor === 'host-and-port' && hash === hashOf(partsOf(english)[1]!.text) ? partsOf(english)[1]!.text : undefined))
    expect(problems).toEqual([
      {
        section: '§ 主机和端口 (line 5)',
        problem: 'translates "Host and port" as it was before the English changed: bring it up to date, then run npm run i18n -- stamp',
        diff: ['  ## Host and port', '- Use HOST.', '+ Use HOST, never 0.0.0.0.', '  '],
      },
    ])
  })

  test('sections in one language only, out of order, code or steps that differ', () => {
    const stamped = stamp(english, chinese)
    expect(syncProblems(`${english}\n\n## Run it\nnpm start`, stamped).map((p) => `${p.section} ${p.problem}`)).toEqual(['§ Run it is in English only: the Chinese README has no section translating it'])
    const otherCode = stamped.replace('server.listen(PORT, HOST) // 这里', 'server.listen(PORT) // 这里')
    expect(syncProblems(english, otherCode).map((p) => p.problem)).toEqual(['code block 1 differs from the English one (only comments may be translated)'])
    const lessSteps = stamped.replace('\n2. 二', '')
    expect(syncProblems(english, lessSteps).map((p) => p.problem)).toEqual(['has 1 list items; "Steps" has 2'])
    const [title, host, steps] = stamped.split(/\n(?=## )/)
    expect(syncProblems(english, [title, steps, host].join('\n')).map((p) => p.problem)).toEqual([
      'is section 2 here, but "Steps" is section 3 in English: keep the English order',
      'is section 3 here, but "Host and port" is section 2 in English: keep the English order',
    ])
    const unnamed = stamped.replace(/<!-- en: steps [0-9a-f]+ -->/, '')
    expect(syncProblems(english, unnamed).map((p) => `${p.section} ${p.problem}`)).toEqual([
      '§ 步骤 (line 13) has no <!-- en: anchor --> line under its heading, naming the English section it translates',
      '§ Steps is in English only: the Chinese README has no section translating it',
    ])
  })

  test('a line diff shows what went, what came, and a line around it', () => {
    expect(lineDiff('a\nb\nc\nd\ne', 'a\nb\nC\nd\ne')).toEqual(['  b', '- c', '+ C', '  d'])
  })
})
