// Lesson 6 · udp-server. Read README.md first, then fill in the TODOs in order.
// Check your work: npm run check -- lesson-6 udp-server
// Try it by hand: npx tsx udp-server.ts here, then nc -u 127.0.0.1 8084 in a second terminal.
import dgram from 'node:dgram'
import { isIPv6 } from 'node:net'

// The grader tells your server where to bind. By hand, these defaults apply.
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = Number(process.env.PORT ?? 8084)

// TODO 1: create the socket. Its type follows the address: 'udp6' for an IPv6 HOST such as
//         ::1, 'udp4' for any other: dgram.createSocket(isIPv6(HOST) ? 'udp6' : 'udp4').
//         (README: "udp4 or udp6")

// The store: one value per key.
const store = new Map<string, string>()

// TODO 2: handle socket.on('message', (message, rinfo) => { … }). One message event is one
//         whole datagram, and one datagram is one request. (README: "A datagram is a message")
//         - More than 1000 bytes (message.length)? Ignore it.
//         - Decode it with message.toString('utf8'), then take off ONE trailing \n or \r\n.
//         - With an '=': an insert. The key is what comes before the FIRST '=', the value all
//           that follows. Store it (but never under the key version). No reply.
//         - Without '=': a retrieve. Answer one datagram `${key}=${value}` (key= when the key
//           is unknown; for version, a text of your own) to the sender:
//           socket.send(reply, rinfo.port, rinfo.address). (README: "No connection")

// TODO 3: bind the socket to PORT and HOST: socket.bind(PORT, HOST). There is no listen()
//         in UDP. Until you bind, the program has nothing to wait for, and it ends right away.
//         (README: "bind, not listen")

// TODO 4 ⭐: handle the socket's 'error' event: when the port is taken (EADDRINUSE), print one
//         line that names the port, close the socket and set process.exitCode = 1.
