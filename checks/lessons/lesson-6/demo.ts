// Lesson 6's demo peer (npm run peer lesson-6): one UDP socket that plays both sides a learner
// needs by hand. `PING n` is answered `PONG n`, the way a network treats datagrams: PING 3's
// reply is lost, PING 2's comes twice, PING 5's comes 1.5 s late; every other request is the
// key-value protocol of udp-server.ts, so `nc -u` shows what a reference server answers.

import { createSocket, type Socket } from 'node:dgram'
import { findLesson } from '../../../lessons/index.ts'
import { hostPort } from '../../run/sockets.ts'
import { escapeBytes } from '../../text/bytes.ts'
import { t } from '../../text/lang.ts'

export const DEMO_PORT = findLesson('lesson-6')!.port

/** What the demo does with PING n: the fate of its reply, and a note on it in brackets. */
function fate(seq: number): { copies: number; delayMs: number; note: string } {
  if (seq % 10 === 3) return { copies: 0, delayMs: 0, note: '' }
  if (seq % 10 === 2) return { copies: 2, delayMs: 0, note: t('(sent twice)') }
  if (seq % 10 === 5) return { copies: 1, delayMs: 1500, note: t('(held back 1.5 s)') }
  return { copies: 1, delayMs: 0, note: '' }
}

export function startDemoServer(port = DEMO_PORT, host = '127.0.0.1', log: (line: string) => void = console.log): Promise<Socket> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4')
  const store = new Map<string, string>()
  socket.on('message', (message, from) => {
    const who = hostPort(from.address, from.port)
    const reply = (text: string) => socket.send(text, from.port, from.address, () => {})
    const ping = /^PING ([1-9]\d*)$/.exec(message.toString('utf8'))
    if (ping) {
      const { copies, delayMs, note } = fate(Number(ping[1]))
      log(`${who} → "${ping[0]}"  ${copies === 0 ? t('(no reply: lost on purpose)') : `← "PONG ${ping[1]}"${note ? `  ${note}` : ''}`}`)
      const send = () => {
        for (let n = 0; n < copies; n++) reply(`PONG ${ping[1]}`)
      }
      if (delayMs > 0) setTimeout(send, delayMs).unref()
      else send()
      return
    }
    if (message.length > 1000) return log(t`${who} → ${message.length} bytes  (ignored: more than 1000)`)
    // One trailing line end off (nc -u sends one), then the key ends at the first '='.
    const request = message.toString('utf8').replace(/\r?\n$/, '')
    const insert = /^([^=]*)=([\s\S]*)$/.exec(request)
    if (insert) {
      if (insert[1] !== 'version') store.set(insert[1]!, insert[2]!)
      return log(t`${who} → "${escapeBytes(message)}"  (stored, no reply)`)
    }
    const answer = `${request}=${request === 'version' ? 'netlings demo 1.0' : (store.get(request) ?? '')}`
    log(`${who} → "${escapeBytes(message)}"  ← "${escapeBytes(answer)}"`)
    reply(answer)
  })
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(port, host, () => {
      socket.off('error', reject)
      socket.on('error', (error) => log(t`error: ${error.message}`))
      const where = hostPort(host, socket.address().port)
      log(t`lesson 6 demo peer on udp ${where} (Ctrl+C to stop)`)
      log(t`  PING n  → PONG n, as a network might: PING 3's reply is lost, PING 2's comes twice, PING 5's 1.5 s late`)
      log(t`  key=value stores, key answers key=value: try  nc -u ${host} ${socket.address().port}`)
      resolve(socket)
    })
  })
}
