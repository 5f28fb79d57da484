// Under --isolate every learner program runs in a bubblewrap sandbox of its own: an unprivileged
// user in a user namespace with no capabilities, its own PID namespace (its descendants end with
// it, and it cannot see or signal the grader), a new session (no terminal to write to), only the
// system read-only, its own compiled file, an empty work folder and a small private /tmp, and an
// environment of only what the exercise passes. It keeps the grader's network namespace, which
// --isolate has already cut down to loopback: the peers live there.

import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Set by `check --isolate` in the grader it runs inside the loopback-only network namespace. */
export const sandboxed = (): boolean => process.env.NETLINGS_ISOLATED === '1'

export const sandboxLimits = {
  /** Per file: lesson 4 saves 200 MiB, the most any exercise asks for. */
  fileBytes: 512 * 1024 * 1024,
  /** A program's private /tmp. */
  tmpBytes: 64 * 1024 * 1024,
  cpuSeconds: 120,
  /** cgroup limits, where the machine lets the grader make cgroups. */
  memoryBytes: 1024 * 1024 * 1024,
  processes: 128,
}

let bwrapPath: string | null | undefined

/** Where bwrap is, or undefined when it is not installed. */
export function findBwrap(): string | undefined {
  if (bwrapPath === undefined) {
    bwrapPath = null
    for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
      if (dir && existsSync(`${dir}/bwrap`)) {
        bwrapPath = `${dir}/bwrap`
        break
      }
    }
  }
  return bwrapPath ?? undefined
}

/** Does bwrap run here (user namespaces allowed)? Asked once, by `check --isolate`. */
export function bwrapWorks(): boolean {
  const bwrap = findBwrap()
  if (!bwrap) return false
  try {
    execFileSync(bwrap, ['--unshare-user', '--unshare-pid', '--ro-bind', '/', '/', '--', 'true'], { stdio: 'ignore', timeout: 10_000 })
    return true
  } catch {
    return false
  }
}

/** The system, read-only: /usr, and the top-level links (or folders) into it. */
function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr']
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    let stat
    try {
      stat = lstatSync(top)
    } catch {
      continue
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top)
    else if (stat.isDirectory()) args.push('--ro-bind', top, top)
  }
  // Only what programs need from /etc: names of loopback hosts and users, the time zone, the
  // dynamic linker's cache, certificates. Never shadow files or the teacher's configuration.
  for (const file of ['hosts', 'nsswitch.conf', 'passwd', 'group', 'localtime', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'alternatives', 'ssl', 'ca-certificates']) {
    args.push('--ro-bind-try', `/etc/${file}`, `/etc/${file}`)
  }
  return args
}

export interface SandboxRequest {
  /** The program and its arguments, as run outside. */
  command: string[]
  /** Only these variables reach the program (PATH and LANG are added). */
  env: Record<string, string>
  /** Writable at the same paths inside: the program's temp folder. */
  writable: string[]
  /** [outside, inside] pairs bound read-only, over the writable ones. */
  readOnly: Array<[string, string]>
  cwd: string
}

/**
 * The command line that runs `request.command` sandboxed. `setsid` inside makes the program the
 * leader of a process group of its own (bwrap's own init leads the first one), so that the
 * grader finds its sockets and memory by group from outside, as it does without a sandbox.
 * prlimit sets what rlimits can hold on their own: file size and CPU time.
 */
export function sandboxCommand(request: SandboxRequest): string[] {
  const bwrap = findBwrap()
  if (!bwrap) throw new Error('bubblewrap (bwrap) is not installed')
  const args = [
    bwrap,
    '--unshare-user',
    '--disable-userns', // no namespaces of its own inside: less of the kernel within reach
    '--uid', '65534',
    '--gid', '65534',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--hostname', 'sandbox',
    '--unshare-cgroup-try',
    '--new-session',
    '--die-with-parent',
    '--cap-drop', 'ALL',
    '--clearenv',
    ...systemMounts(),
    '--proc', '/proc',
    '--dev', '/dev',
    '--size', String(sandboxLimits.tmpBytes),
    '--tmpfs', '/tmp',
  ]
  // The Node runtime's own folder: the Node 24 pass runs one from inside the project.
  const node = dirname(realpathSync(process.execPath))
  if (!node.startsWith('/usr/')) args.push('--ro-bind', node, node)
  // Writable first, so that a read-only folder inside a writable one stays read-only.
  for (const path of request.writable) args.push('--bind', path, path)
  for (const [outside, inside] of request.readOnly) args.push('--ro-bind', outside, inside)
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: process.env.LANG ?? 'C.UTF-8', ...request.env }
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value)
  args.push('--chdir', request.cwd, '--remount-ro', '/', '--')
  args.push('setsid', 'prlimit', `--fsize=${sandboxLimits.fileBytes}`, `--cpu=${sandboxLimits.cpuSeconds}`, `--core=0`, '--', ...request.command)
  return args
}

/** Existing regular files named by absolute paths in the exercise's variables (IMAGE: a picture
 * the grader wrote for the program to serve), to be bound read-only. */
export function filesNamedIn(env: Record<string, string>): string[] {
  return Object.values(env).filter((value) => {
    if (!value.startsWith('/')) return false
    try {
      return statSync(value).isFile()
    } catch {
      return false
    }
  })
}

/**
 * The host pid of the sandboxed program: bwrap's child is the namespace's init, and the init's
 * child is the program (setsid and prlimit exec into it). Undefined until it has started.
 */
export function innerPid(bwrapPid: number): number | undefined {
  const init = sandboxInit(bwrapPid)
  return init === undefined ? undefined : childrenOf(init)[0]
}

/** The namespace's init (its pid 1): when it ends, the kernel ends every process inside. */
export function sandboxInit(bwrapPid: number): number | undefined {
  return childrenOf(bwrapPid)[0]
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .map(Number),
    )
  } catch {
    return []
  }
}

/**
 * A cgroup per program for what rlimits cannot hold: the process count (RLIMIT_NPROC counts per
 * real user and never applies to root) and memory. Made where the grader may write cgroups
 * (root, or a delegated cgroup v2 subtree); elsewhere none, and the PID namespace and the
 * other limits stand alone.
 */
export class ProgramCgroup {
  private readonly dirs: string[] = []

  constructor(name: string) {
    for (const [controller, limits] of cgroupPlaces()) {
      const dir = `${controller}/${name}`
      try {
        mkdirSync(dir)
        this.dirs.push(dir)
      } catch {
        continue // not ours to make here
      }
      for (const [file, value] of limits) {
        try {
          writeFileSync(`${dir}/${file}`, value)
        } catch {
          // This machine does not account for it (swap), or does not let us set it.
        }
      }
    }
  }

  /** A shell line that moves the shell into the cgroups before it execs the sandbox. */
  get enter(): string {
    return this.dirs.map((dir) => `echo $$ > '${dir}/cgroup.procs' 2>/dev/null;`).join(' ')
  }

  get active(): boolean {
    return this.dirs.length > 0
  }

  /** Kills whatever is left in it (cgroup v2) and removes it: true once all are gone. */
  remove(): boolean {
    for (const dir of [...this.dirs]) {
      try {
        if (existsSync(`${dir}/cgroup.kill`)) writeFileSync(`${dir}/cgroup.kill`, '1')
        rmdirSync(dir)
        this.dirs.splice(this.dirs.indexOf(dir), 1)
      } catch {
        // Still emptying; asked again.
      }
    }
    return this.dirs.length === 0
  }
}

let places: Array<[string, Array<[string, string]>]> | undefined

/** The cgroup folders the grader can make children in, with the limits each holds. */
function cgroupPlaces(): Array<[string, Array<[string, string]>]> {
  if (places) return places
  places = []
  if (process.platform !== 'linux') return places
  const memory = String(sandboxLimits.memoryBytes)
  const pids = String(sandboxLimits.processes)
  let own: Array<[string, string]> = []
  try {
    own = readFileSync('/proc/self/cgroup', 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [, controllers = '', path = '/'] = line.split(':')
        return [controllers, path] as [string, string]
      })
  } catch {
    return places
  }
  const v1 = (controller: string) => own.find(([controllers]) => controllers.split(',').includes(controller))
  const writable = (dir: string) => {
    try {
      const probe = `${dir}/netlings-probe-${process.pid}`
      mkdirSync(probe)
      rmdirSync(probe)
      return true
    } catch {
      return false
    }
  }
  const pidsV1 = v1('pids')
  const memoryV1 = v1('memory')
  if (pidsV1 || memoryV1) {
    for (const [controller, entry, limits] of [
      ['pids', pidsV1, [['pids.max', pids]]],
      ['memory', memoryV1, [['memory.limit_in_bytes', memory], ['memory.memsw.limit_in_bytes', memory]]],
    ] as const) {
      if (!entry) continue
      const dir = [`/sys/fs/cgroup/${controller}${entry[1] === '/' ? '' : entry[1]}`, `/sys/fs/cgroup/${controller}`].find(
        (candidate) => existsSync(candidate) && writable(candidate),
      )
      if (dir) places.push([dir, limits.map(([file, value]) => [file, value] as [string, string])])
    }
    return places
  }
  const unified = own.find(([controllers]) => controllers === '')
  if (unified) {
    const dir = `/sys/fs/cgroup${unified[1] === '/' ? '' : unified[1]}`
    if (existsSync(`${dir}/cgroup.controllers`) && writable(dir)) {
      places.push([dir, [['pids.max', pids], ['memory.max', memory], ['memory.swap.max', '0']]])
    }
  }
  return places
}
