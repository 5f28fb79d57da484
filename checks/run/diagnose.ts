// Why a program is not where the grader looks for it, in plain words: a hard-coded port,
// `localhost` that turned out to be ::1, or every interface instead of loopback.

import { t } from '../text/lang.ts'
import type { Program } from './program.ts'
import { hostPort, isAllInterfaces, socketsOf } from './sockets.ts'

const LOCALHOST_V6 = () =>
  t("::1 is the IPv6 loopback address, and it is what 'localhost' turns into on many machines. The grader uses an IPv4 loopback address, the one HOST says: pass HOST itself to listen() or connect().")

const HARD_CODED = (port: number) =>
  t`A port written into the code fails as soon as something else uses it. Read it with Number(process.env.PORT ?? ${port}).`

/** For a server that the grader cannot reach: where does it listen instead? */
export function diagnoseListening(program: Program, host: string, port: number): string | undefined {
  const listening = socketsOf(program.pid)?.filter((socket) => socket.state === 'listen')
  if (!listening?.length) return undefined
  const [socket] = listening.filter((s) => s.port === port).concat(listening)
  const where = hostPort(socket!.address, socket!.port)
  if (socket!.port !== port) {
    return t`${program.label} listens on ${where}, but the grader gave it PORT=${port}. ${HARD_CODED(socket!.port)}`
  }
  if (socket!.address === '::1' && host !== '::1') return t`${program.label} listens on ${where}. ${LOCALHOST_V6()}`
  if (socket!.address !== host && !isAllInterfaces(socket!.address)) {
    return t`${program.label} listens on ${where}, but the grader gave it HOST=${host}. Pass HOST to listen().`
  }
  return undefined
}

/** For a server the grader did reach: is it bound to HOST, or to every interface? */
export function diagnoseBinding(program: Program, host: string, port: number): string | undefined {
  const socket = socketsOf(program.pid)?.find((s) => s.state === 'listen' && s.port === port)
  if (!socket || !isAllInterfaces(socket.address)) return undefined
  return t`${program.label} listens on ${hostPort(socket.address, port)}: every network interface of this machine, not just ${host}. Anyone on your network could connect to it. Pass HOST to listen(): listen(PORT, HOST).`
}

/** For a client that never reached the grader's server: where did it try to go? */
export function diagnoseConnecting(program: Program, host: string, port: number): string | undefined {
  // An IPv6 address still in its URL brackets is looked up as a name, and no name is "[::1]".
  const output = [...program.stderr.lines, ...program.stdout.lines].join('\n')
  // (Its message may not name what it looked up; with an IPv6 host nothing else was a name.)
  const bracketed = /ENOTFOUND\s+\[([0-9a-fA-F:.]+)\]/.exec(output)?.[1] ?? (host.includes(':') && /ENOTFOUND/.test(output) ? host : undefined)
  if (bracketed) {
    return t`${program.label} looked up [${bracketed}] as a name (ENOTFOUND): an IPv6 address with the brackets of a URL still on. Connect to ${bracketed}, without them.`
  }
  const elsewhere = socketsOf(program.pid)?.find((s) => s.state !== 'listen' && s.remotePort !== port && s.remotePort !== 0)
  let target = elsewhere ? { address: elsewhere.remoteAddress, port: elsewhere.remotePort } : undefined
  if (!target) {
    // A client that gave up has no socket left, but Node's error message names the address.
    const match = /(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)\s+(\[?[0-9a-fA-F.:]+\]?):(\d+)/.exec(output)
    if (match) target = { address: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) }
  }
  if (!target) return undefined
  const where = hostPort(target.address, target.port)
  if (target.port !== port) {
    return t`${program.label} tried ${where}, but the grader's server is at ${hostPort(host, port)}. ${HARD_CODED(target.port)}`
  }
  if (target.address === '::1' && host !== '::1') return t`${program.label} tried ${where}. ${LOCALHOST_V6()}`
  if (target.address !== host) {
    return t`${program.label} tried ${where}, but the grader's server is at ${hostPort(host, port)}. Connect to HOST.`
  }
  return undefined
}

/** For a program that ended before doing its job: the usual reasons, in plain words. */
export function diagnoseEarlyExit(program: Program, port: number): string | undefined {
  const output = [...program.stderr.lines, ...program.stdout.lines].join('\n')
  const inUse = /EADDRINUSE\D*?(\d+)\b/.exec(output)
  if (inUse && Number(inUse[1]) !== port) return t`It found port ${inUse[1]} taken, but the grader gave it PORT=${port}. ${HARD_CODED(Number(inUse[1]))}`
  if (program.exit?.code === 0) {
    return t('A Node program ends as soon as it has nothing left to wait for. A listening server or an open socket is something to wait for: has the code that creates one run?')
  }
  // (A TypeScript file that does not compile never starts, and a node program that crashes is
  // told so by run/ending.ts: what is left is another language's error, on stderr below.)
  if (/SyntaxError|Traceback|Error:/.test(output)) return t('It stopped with an error before it got going: read its first line below, with the line number it names.')
  return undefined
}
