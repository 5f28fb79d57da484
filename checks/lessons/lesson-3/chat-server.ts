// Lesson 3 · chat-server: talks to one person at a time, with the server's keyboard; the
// others wait in line, in order, and a leaver leaves the line.

import { GOODBYE, chatLine } from './lines.ts'
import { expectBoundToHost, expectNewLine, expectPrintedLine, expectRunning, printedLines } from '../../engine/expect.ts'
import { explaining, fail } from '../../engine/failure.ts'
import { limits } from '../../engine/limits.ts'
import { settled, waitFor } from '../../engine/wait.ts'
import type { Connection } from '../../peers/connection.ts'
import type { Program } from '../../run/program.ts'
import { exercise } from '../../engine/story.ts'
import { t } from '../../text/lang.ts'
import { defaultHost, onIPv6, portTaken } from '../shared.ts'

export default exercise(({ check, stretch }) => {
  let server: Program
  let alice: Connection

  /** Types a line on the server's keyboard and expects exactly `person` to receive it. */
  async function typeTo(person: Connection, text: string, why = t('What is typed on the server goes to the person whose turn it is, and to nobody else.')): Promise<void> {
    server.writeInput(`${text}\n`)
    await person.expectLine(text, { why })
  }

  check('listens on the HOST and PORT it is given', { see: 'host-and-port' }, async ({ start, connect }) => {
    server = await start()
    alice = await connect(server)
    await expectBoundToHost(server)
  })

  check('prints what the person says', { see: 'lines-in-a-byte-stream' }, async ({ random }) => {
    const text = chatLine(random, 'Alice')
    await alice.sendInFragments(`${text}\n`, { pieces: 4, splitInsideCharacter: true, pauseMs: 15 })
    await expectPrintedLine(server, text)
  })

  check(
    'sends typed lines to the person, while they talk too',
    { see: 'two-streams-at-once', why: 'Both directions are independent: no side waits for the other to finish its turn.' },
    async ({ random }) => {
      await typeTo(alice, chatLine(random, '服务器'))
      const hers = chatLine(random, 'Alice')
      const mine = [chatLine(random, '服务器'), chatLine(random, '服务器')]
      alice.send(`${hers}\n`)
      server.writeInput(`${mine[0]}\n${mine[1]}\n`)
      await expectPrintedLine(server, hers)
      await alice.expectLine(mine[0]!)
      await alice.expectLine(mine[1]!)
    },
  )

  // Bob and Carol arrive while Alice talks; they wait, in the order they came.
  let bob: Connection
  let carol: Connection
  let bobWhileWaiting: string

  check(
    `when the person says ${GOODBYE}, hangs up and takes the next in line`,
    {
      see: 'waiting-in-line',
      why: 'People who connect during a conversation wait in order; what they say meanwhile is kept and shown when their turn comes.',
    },
    async ({ connect, random }) => {
      bob = await connect(server)
      carol = await connect(server)
      bobWhileWaiting = chatLine(random, 'Bob')
      bob.send(`${bobWhileWaiting}\n`)
      // Only once the server has taken Bob in and read his line was it said while he waited.
      await bob.readByProgram()
      await carol.readByProgram()
      alice.send(`${GOODBYE}\n`)
      await alice.readToEnd() // whatever the server says in parting, it must hang up
      await expectPrintedLine(server, bobWhileWaiting)
      await typeTo(bob, chatLine(random, '服务器'))
    },
  )

  check(`typing ${GOODBYE} sends it, hangs up, and takes the next in line`, { see: 'waiting-in-line' }, async ({ random }) => {
    server.writeInput(`${GOODBYE}\n`)
    await bob.expectLine(GOODBYE)
    await bob.expectClosed()
    await bob.readByProgram() // Bob has hung up too, and the server has let go of him
    await typeTo(carol, chatLine(random, '服务器'))
  })

  let erin: Connection

  check('drops someone who leaves while waiting', { see: 'waiting-in-line' }, async ({ connect, random }) => {
    // Four people wait behind Carol, in this order: Dave, Judy, Ivan and Erin.
    const dave = await connect(server)
    const judy = await connect(server)
    const ivan = await connect(server)
    erin = await connect(server)
    // Dave says something and leaves before his turn. (A server may also leave a waiting
    // socket unread and find out at Dave's turn: that is fine too.)
    await erin.readByProgram()
    dave.send(`${chatLine(random, 'Dave')}\n`)
    dave.end()
    await dave.readByProgram()
    // Ivan leaves in words: he says goodbye twice while he waits, and stays connected.
    ivan.send(`${GOODBYE}\nbye\n`)
    await ivan.readByProgram()
    await typeTo(carol, chatLine(random, '服务器'), t`Ivan said ${GOODBYE} while he waited. Only the person whose turn it is ends it; a waiting person's lines are kept until their own turn.`)
    carol.send(`${GOODBYE}\n`)
    await carol.readToEnd()
    // Carol hangs up too, as a real client does once the server has: her 'close' comes now,
    // with Ivan and Erin still waiting.
    carol.end()
    await carol.readByProgram()
    await typeTo(judy, chatLine(random, '服务器'), t('Dave left before his turn: take him out of the queue, and serve the next person who is still there.'))
    judy.send(`${GOODBYE}\n`)
    await judy.readToEnd()
    await explaining(
      {
        why:
          t`Ivan said ${GOODBYE} while he waited, so his turn ends as soon as it begins: hang up on him and move on. ` +
          t('Unless he was taken out of the queue by someone who closed once their turn was over: indexOf() gives -1 for them, and splice(-1, 1) removes the last person waiting.'),
      },
      () => ivan.readToEnd(),
    )
    await typeTo(
      erin,
      chatLine(random, '服务器'),
      t`Erin comes after Ivan. His first ${GOODBYE}, said while he waited, ended his turn at once: ignore the rest of his held lines, or his second goodbye ends Erin's turn too. ` +
        t('And Carol closed her connection once her turn was over: someone no longer in the queue takes nobody out of it (indexOf() gives -1, and splice(-1, 1) removes the last person waiting).'),
    )
  })

  check(
    `ends a turn on bye too, on a goodbye after a line in one write, and on ${GOODBYE} split`,
    { see: 'saying-goodbye', why: 'A goodbye is a whole line, 拜拜 or bye, with or without a \\r before the newline. Compare each complete line, not each data event.' },
    async ({ connect, random }) => {
      const gina = await connect(server)
      const hank = await connect(server)
      await gina.readByProgram()
      await hank.readByProgram()
      const last = chatLine(random, 'Erin')
      erin.send(`${last}\nbye\r\n`)
      await expectPrintedLine(server, last)
      await erin.readToEnd()
      await typeTo(gina, chatLine(random, '服务器'))
      await gina.sendPieces(`${GOODBYE}\n`, [1], 30) // cut inside 拜
      await gina.readToEnd()
      await typeTo(hank, chatLine(random, '服务器'))
      hank.send(`${GOODBYE}\n`)
      await hank.readToEnd()
    },
  )

  check('typing with nobody there prints a notice, and the next person is served', { see: 'waiting-in-line' }, async ({ connect, random }) => {
    await server.quiet() // what it printed when the last person left is in, and is not the notice
    const before = server.stdout.lines.length
    server.writeInput(`${chatLine(random, '有人吗')}\n`)
    const why = t('With nobody connected there is nobody to send to: say so, and keep running.')
    await expectNewLine(server, before, { why })
    const noticed = () => server.stdout.lines.slice(before).some((line) => line.trim() !== '')
    await waitFor(() => noticed() || server.stdout.ended, [(wake) => server.stdout.watch(wake), settled(server.exited)], limits.waitMs)
    if (!noticed()) fail(t('Your server printed an empty line, and nothing that says the typed line went to nobody.'), printedLines(server), { why })
    await expectRunning(server)
    const frank = await connect(server)
    const text = chatLine(random, 'Frank')
    frank.send(`${text}\n`)
    await expectPrintedLine(server, text)
    await typeTo(frank, chatLine(random, '服务器'))
  })

  stretch(
    'takes the next in line when the person resets the connection',
    { see: 'when-clients-misbehave', why: "A reset is an 'error' event on that socket, then 'close': handle both, and move on to the next person." },
    async ({ start, connect, random }) => {
      const fresh = await start({ fresh: true })
      const rude = await connect(fresh)
      const said = chatLine(random, 'Rude')
      rude.send(`${said}\n`)
      await expectPrintedLine(fresh, said)
      const polite = await connect(fresh)
      const waited = chatLine(random, 'Polite')
      polite.send(`${waited}\n`)
      await rude.reset()
      await expectPrintedLine(fresh, waited)
      fresh.writeInput(`${GOODBYE}\n`)
      await polite.expectLine(GOODBYE)
      await expectRunning(fresh)
    },
  )

  stretch(...portTaken('host-and-port'))
  stretch(...defaultHost('lesson-1#loopback-or-every-interface'))
  stretch(
    ...onIPv6('ipv6-af_inet6', async ({ start, connect, random }) => {
      const v6 = await start()
      const person = await connect(v6)
      const said = chatLine(random, 'IPv6')
      person.send(`${said}\n`)
      await expectPrintedLine(v6, said)
      const typed = chatLine(random, '服务器')
      v6.writeInput(`${typed}\n`)
      await person.expectLine(typed)
      await expectBoundToHost(v6)
    }),
    { early: 'ipv6' },
  )
})
