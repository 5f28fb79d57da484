// What sockets a program holds, read from /proc (Linux only; elsewhere the answer is "unknown"
// and messages fall back to what the connection itself showed). Used to explain a failure,
// never to decide readiness: watching costs the program nothing, unlike a probe connection.

import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { processStat } from './cpu.ts'

export interface SocketInfo {
  address: string
  port: number
  remoteAddress: string
  remotePort: number
  /** A UDP socket is 'bound' (it takes datagrams from anyone), or 'connected' to one peer. */
  state: 'listen' | 'connecting' | 'connected' | 'bound' | 'other'
  /** Bytes the kernel has received for this socket that the program has not read yet. */
  unread: number
}

const STATES: Record<string, SocketInfo['state']> = { '0A': 'listen', '02': 'connecting', '01': 'connected' }
// UDP has no connection: the kernel's table shows 07 (TCP's CLOSE) for a socket that is only
// bound, and 01 for one that connect() tied to a single peer.
const UDP_STATES: Record<string, SocketInfo['state']> = { '07': 'bound', '01': 'connected' }

export function processGroupMembers(pgid: number): number[] {
  const members: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    if (processStat(Number(entry))?.pgid === pgid) members.push(Number(entry))
  }
  return members
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>()
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
        const match = /^socket:\[(\d+)\]$/.exec(target)
        if (match) inodes.add(match[1]!)
      } catch {
        // The descriptor closed while we looked.
      }
    }
  } catch {
    // The process ended while we looked.
  }
  return inodes
}

function ipv4(hex: string): string {
  const n = Number.parseInt(hex, 16)
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.')
}

function ipv6(hex: string): string {
  // Four 32-bit words, each in host (little-endian) byte order.
  const bytes: number[] = []
  for (let word = 0; word < 4; word++) {
    const chunk = hex.slice(word * 8, word * 8 + 8)
    for (let b = 3; b >= 0; b--) bytes.push(Number.parseInt(chunk.slice(b * 2, b * 2 + 2), 16))
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    return bytes.slice(12).join('.') // an IPv4-mapped address
  }
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/^:::?/, '::')
}

function parseTable(file: string, v6: boolean, inodes: Set<string>, states = STATES): SocketInfo[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  const sockets: SocketInfo[] = []
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 10 || !inodes.has(fields[9]!)) continue
    const [localHex, localPort] = fields[1]!.split(':')
    const [remoteHex, remotePort] = fields[2]!.split(':')
    const address = v6 ? ipv6(localHex!) : ipv4(localHex!)
    sockets.push({
      address,
      port: Number.parseInt(localPort!, 16),
      remoteAddress: v6 ? ipv6(remoteHex!) : ipv4(remoteHex!),
      remotePort: Number.parseInt(remotePort!, 16),
      state: states[fields[3]!] ?? 'other',
      unread: Number.parseInt(fields[4]!.split(':')[1]!, 16),
    })
  }
  return sockets
}

/** The inodes of every socket the group holds, or undefined where /proc cannot tell. */
function groupInodes(pgid: number | undefined): Set<string> | undefined {
  if (pgid === undefined || process.platform !== 'linux') return undefined
  try {
    readdirSync('/proc/self/fd')
  } catch {
    return undefined
  }
  const inodes = new Set<string>()
  for (const pid of processGroupMembers(pgid)) for (const inode of socketInodes(pid)) inodes.add(inode)
  return inodes
}

/** The TCP sockets of every process in the group, or undefined where /proc cannot tell. */
export function socketsOf(pgid: number | undefined): SocketInfo[] | undefined {
  const inodes = groupInodes(pgid)
  if (!inodes) return undefined
  return [...parseTable('/proc/net/tcp', false, inodes), ...parseTable('/proc/net/tcp6', true, inodes)]
}

/** The UDP sockets of every process in the group, or undefined where /proc cannot tell. */
export function datagramSocketsOf(pgid: number | undefined): SocketInfo[] | undefined {
  const inodes = groupInodes(pgid)
  if (!inodes) return undefined
  return [...parseTable('/proc/net/udp', false, inodes, UDP_STATES), ...parseTable('/proc/net/udp6', true, inodes, UDP_STATES)]
}

export const isAllInterfaces = (address: string) => address === '0.0.0.0' || address === '::'

/** `127.0.0.1:8080`, `[::1]:8080`. */
export const hostPort = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`)
