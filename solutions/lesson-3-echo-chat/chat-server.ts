// Lesson 3.3 · a chat server: one conversation at a time, everyone else waits in line.
import net from 'node:net'
import readline from 'node:readline'

const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8081)
const isGoodbye = (line: string) => ['拜拜', 'bye'].includes(line.replace(/\r$/, ''))

interface Person {
  name: string
  socket: net.Socket
  /** What they said while waiting their turn, shown when the turn comes. */
  held: string[]
  gone: boolean
}

let current: Person | undefined
const waiting: Person[] = []

function hear(person: Person, line: string) {
  if (!isGoodbye(line)) {
    console.log(`${person.name}：${line.replace(/\r$/, '')}`)
    return
  }
  console.log(`${person.name} 说了拜拜，已下线。`)
  person.socket.end()
  next()
}

function begin(person: Person) {
  current = person
  console.log(`现在和 ${person.name} 聊天。`)
  for (const line of person.held.splice(0)) {
    if (current !== person) break // a held 拜拜 already ended this turn
    hear(person, line)
  }
}

function next() {
  current = undefined
  const person = waiting.shift()
  if (person) begin(person)
  else console.log('没有人在线，等待下一位……')
}

const server = net.createServer((socket) => {
  const person: Person = { name: `${socket.remoteAddress}:${socket.remotePort}`, socket, held: [], gone: false }
  const lines = readline.createInterface({ input: socket, crlfDelay: Infinity })
  lines.on('error', () => {}) // reported by the socket's handler below
  lines.on('line', (line) => {
    if (person === current) hear(person, line)
    else if (!person.gone) person.held.push(line)
  })
  socket.on('error', (error) => console.error(`${person.name}: ${error.message}`))
  socket.on('close', () => {
    if (person.gone) return
    person.gone = true
    if (person === current) {
      console.log(`${person.name} 断开了连接。`)
      next()
    } else {
      const place = waiting.indexOf(person)
      if (place >= 0) waiting.splice(place, 1) // left before their turn
    }
  })
  if (current) {
    waiting.push(person)
    console.log(`${person.name} 在排队，前面还有 ${waiting.length} 位。`)
  } else {
    begin(person)
  }
})

// The keyboard: each typed line goes to whoever is talking.
readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  const person = current
  if (!person) {
    console.log('现在没有人在线，这句话没有发出去。')
    return
  }
  person.socket.write(`${line}\n`)
  if (isGoodbye(line)) {
    console.log(`你对 ${person.name} 说了拜拜。`)
    person.socket.end()
    next()
  }
})

server.on('error', (error) => {
  console.error(`cannot listen on ${HOST}:${PORT}: ${error.message}`)
  process.exitCode = 1
  process.stdin.destroy()
})
server.listen(PORT, HOST, () => console.log(`chat server on ${HOST}:${PORT}`))
