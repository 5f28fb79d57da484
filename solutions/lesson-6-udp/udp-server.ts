// Lesson 6 · UDP: a key-value store over UDP. Every datagram is one request, and there is no
// connection: one socket hears everyone, and each reply goes back to whoever asked.
import dgram from 'node:dgram'
import { isIPv6 } from 'node:net'

// 1. Where to bind: the grader passes HOST and PORT; by hand the defaults apply.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)
const MAX_REQUEST = 1000 // bytes
const VERSION = 'netlings-kv 1.0'

// 2. The socket's family follows the address: AF_INET6 (udp6) for ::1, AF_INET (udp4) else.
const socket = dgram.createSocket(isIPv6(HOST) ? 'udp6' : 'udp4')
const store = new Map<string, string>()

// 3. One 'message' event is one whole datagram: the message needs no framing.
socket.on('message', (message, rinfo) => {
  if (message.length > MAX_REQUEST) return
  // Bytes that are not UTF-8 become U+FFFD here: a stranger's garbage cannot throw.
  let request = message.toString('utf8')
  // nc -u sends the line you type with its newline: one is not part of the request.
  if (request.endsWith('\r\n')) request = request.slice(0, -2)
  else if (request.endsWith('\n')) request = request.slice(0, -1)

  const equals = request.indexOf('=')
  if (equals !== -1) {
    // An insert: the key ends at the first '=', the value may hold more of them. No reply.
    const key = request.slice(0, equals)
    if (key !== 'version') store.set(key, request.slice(equals + 1))
    return
  }
  const value = request === 'version' ? VERSION : (store.get(request) ?? '')
  // 4. No connection: the reply goes to the address and port this datagram came from.
  socket.send(`${request}=${value}`, rinfo.port, rinfo.address, (error) => {
    if (error) console.error(`could not answer ${rinfo.address}:${rinfo.port}: ${error.message}`)
  })
})

// 5. A port that is taken comes as an 'error' event: one line, and the program ends.
socket.on('error', (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message
  console.error(`cannot bind ${HOST}:${PORT}: ${reason}`)
  socket.close()
  process.exitCode = 1
})

socket.bind(PORT, HOST, () => console.log(`key-value store on udp ${HOST}:${PORT}`))
