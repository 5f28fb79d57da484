// Lesson 3's chat lines: the seed's words with a random tag, and the goodbye that ends a chat.

import type { Connection } from '../../peers/connection.ts'
import type { Random } from '../../engine/random.ts'

export const GOODBYE = '拜拜'
export const FLAVOURS = ['你好！', '我是客户端~~', '今天天气不错 ☀️', '🙂', 'café', '吃了吗？']

/** A chat line nobody could have hard-coded: the seed's words and a random tag. */
export const chatLine = (random: Random, who: string) => `${who}：${random.pick(FLAVOURS)} #${random.int(1000, 9999)}`

/**
 * A chat line, its end included, holding what trim(), readline, decoding and a change of case
 * change: a tab and spaces around it, a lone \r, a 4-byte emoji and letters in both cases
 * inside, and \r\n as its end. An echo sends every one of its bytes back.
 */
export const roughLine = (random: Random, who: string) => `\t ${chatLine(random, who)}\r😀 Hi ${random.pick(FLAVOURS)}  \r\n`

/** Sends a whole line (its end included) and expects exactly its bytes back. */
export async function expectEcho(client: Connection, line: string, split = false): Promise<void> {
  if (split) await client.sendInFragments(line, { pieces: 4, splitInsideCharacter: true, pauseMs: 15 })
  else client.send(line)
  await client.expectExactLine(line)
}
