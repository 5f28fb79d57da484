// npm run peer: the other side of an exercise, by hand. Each is driven here as a learner's
// program would drive it, on a port of the test's own.

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { freePort } from '../checks/run/ports.ts'
import { root } from './helpers.ts'

function peer(args: string[], port: number) {
  const child = spawn(process.execPath, [join(root, 'bin/netlings.mjs'), 'peer', ...args], {
    cwd: root,
    env: { ...process.env, PORT: String(port), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  return { child, output: () => output, exited: once(child, 'exit') as Promise<[number | null]> }
}

/** Connects once the peer listens (it takes a moment to start). */
async function connectWhenListening(port: number) {
  for (let i = 0; i < 200; i++) {
    const socket = connect(port, '127.0.0.1')
    if (await new Promise<boolean>((resolve) => (socket.once('connect', () => resolve(true)), socket.once('error', () => resolve(false))))) return socket
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`nothing listened on ${port}`)
}

test('lesson-2: a reference server greets your client, and stops when told', async () => {
  const port = await freePort()
  const { child, output, exited } = peer(['lesson-2'], port)
  const socket = await connectWhenListening(port)
  const [greeting] = (await once(socket, 'data')) as [Buffer]
  expect(greeting.toString()).toBe('你好！\n')
  socket.end('我是客户端~~\n')
  expect(output()).toContain(`Reference server for lesson-2 client on 127.0.0.1:${port}`)
  child.kill('SIGTERM')
  // Stopped as every command stops: one line, and 128 + the signal's number.
  expect((await exited)[0]).toBe(143)
  expect(output().match(/stopping \(SIGTERM\)/g)).toHaveLength(1)
  // Its child, the reference server, went with it: within a second, nothing listens there.
  const refused = () => new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', () => resolve(true))
  })
  let gone = false
  for (let i = 0; i < 40 && !gone; i++) gone = (await refused()) || (await new Promise((r) => setTimeout(r, 25)), false)
  expect(gone).toBe(true)
}, 30_000)

test('lesson-1: a reference client talks to your server', async () => {
  const server = createServer((socket) => {
    socket.write('你好！\n')
    socket.on('data', (line) => {
      heard.push(line.toString())
      socket.end()
    })
  })
  const heard: string[] = []
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { exited } = peer(['lesson-1'], (server.address() as AddressInfo).port)
  const [code] = await exited
  server.close()
  expect(code).toBe(0)
  expect(heard.join('')).toBe('我是客户端~~\n')
}, 30_000)

test('lesson-5: the demo HTTP server answers like the seed article’s API', async () => {
  const port = await freePort()
  const { child, exited } = peer(['lesson-5'], port)
  await (await connectWhenListening(port)).end()
  const response = await fetch(`http://127.0.0.1:${port}/satinApi?type=1&page=1`)
  expect(response.status).toBe(200)
  expect(((await response.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0)
  child.kill('SIGTERM')
  await exited
}, 30_000)

test('lesson-7: the demo HTTP server takes a POST, answers 201 with Location, and refuses a GET', async () => {
  const port = await freePort()
  const { child, exited } = peer(['lesson-7'], port)
  await (await connectWhenListening(port)).end()
  const posted = await fetch(`http://127.0.0.1:${port}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '客户端', text: '我是客户端~~' }) })
  expect(posted.status).toBe(201)
  expect(posted.headers.get('location')).toMatch(/^\/messages\/\d+$/)
  expect(((await posted.json()) as { id: string; text: string }).text).toBe('我是客户端~~')
  expect((await fetch(`http://127.0.0.1:${port}/messages`)).status).toBe(405)
  child.kill('SIGTERM')
  await exited
}, 30_000)

test('an unknown lesson is a usage error', async () => {
  const { exited, output } = peer(['lesson-9'], 1)
  expect((await exited)[0]).toBe(2)
  expect(output()).toContain('There is no lesson "lesson-9"')
})
