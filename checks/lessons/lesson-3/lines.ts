// Lesson 3's chat lines: the seed's words with a random tag, and the goodbye that ends a chat.

import type { Connection } from '../../peers/connection.ts'
import type { Random } from '../../engine/random.ts'

export const GOODBYE = '拜拜'
export const FLAVOURS = ['你好！', '我是客户端~~', '今天天气不错 ☀️', '🙂', 'café', '吃了吗？']

/** A chat line nobody could have hard-coded: the seed's words and a random tag. */
export const chatLine = (random: Random, who: string) => `${who}：${random.pick(FLAVOURS)} #${random.int(1000, 9999)}`

/** Sends a line and expects exactly its bytes back. */
export async function expectEcho(client: Connection, text: string, split = false): Promise<void> {
  if (split) await client.sendInFragments(`${text}\n`, { pieces: 4, splitInsideCharacter: true, pauseMs: 15 })
  else client.send(`${text}\n`)
  await client.expectLine(text)
}
