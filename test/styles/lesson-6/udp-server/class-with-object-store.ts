// A class around the socket, and a plain object as the store: Object.create(null), so that keys
// such as constructor or __proto__ are keys like any other. The request is cut at the '=' byte
// before it is decoded ('=' is one byte in UTF-8, never part of another character).
import dgram, { type RemoteInfo } from 'node:dgram'
import { isIPv6 } from 'node:net'

const EQUALS = 0x3d
const NEWLINE = 0x0a
const RETURN = 0x0d

class KeyValueServer {
  private readonly store: Record<string, string> = Object.create(null)
  private readonly socket: dgram.Socket

  constructor(private readonly host: string, private readonly port: number) {
    this.socket = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' })
    this.socket.on('message', (message, rinfo) => this.handle(message, rinfo))
    this.socket.on('error', (error) => this.stop(error))
  }

  start(): void {
    this.socket.bind({ port: this.port, address: this.host }, () => console.log(`kv on ${this.host}:${this.port}`))
  }

  private handle(datagram: Buffer, rinfo: RemoteInfo): void {
    if (datagram.byteLength > 1000) return
    let end = datagram.length
    if (datagram[end - 1] === NEWLINE) end -= datagram[end - 2] === RETURN ? 2 : 1
    const request = datagram.subarray(0, end)
    const cut = request.indexOf(EQUALS)
    if (cut >= 0) {
      const key = request.subarray(0, cut).toString()
      if (key !== 'version') this.store[key] = request.subarray(cut + 1).toString()
      return
    }
    const key = request.toString()
    const value = key === 'version' ? 'class-kv/2' : (this.store[key] ?? '')
    this.socket.send(Buffer.from(`${key}=${value}`), rinfo.port, rinfo.address, () => {})
  }

  private stop(error: NodeJS.ErrnoException): void {
    console.error(`udp ${this.host}:${this.port}: ${error.code ?? error.message}`)
    this.socket.close()
    process.exitCode = 2
  }
}

new KeyValueServer(process.env.HOST ?? '127.0.0.1', Number(process.env.PORT ?? 8084)).start()
