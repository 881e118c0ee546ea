// Every long-lived child the bench starts (QEMU, socat, flasher tools) dies with the bench, however the bench ends:
//  - on Linux the child is started through util-linux's `setpriv --pdeathsig SIGKILL`, so the kernel kills it the
//    moment its parent dies, even by `kill -9` (no handler runs then);
//  - on a normal exit or SIGINT/SIGTERM/SIGHUP the parent kills its live children itself;
//  - each child is recorded in a registry folder; reapOrphans() (called before launching boards and when an agent
//    starts) kills children whose parent is gone, which covers the instant between fork and setpriv's prctl.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const live = new Set<ChildProcess>();
let hooked = false;

/** Where children are recorded, one JSON file per child pid; $MCUBENCH_CHILDREN overrides (tests). */
export function registryDir(): string {
  return process.env.MCUBENCH_CHILDREN ?? path.join(os.tmpdir(), `mcubench-children-${os.userInfo().uid}`);
}

interface ChildRecord {
  pid: number;
  parentPid: number;
  /** The executable, checked against /proc/<pid>/cmdline so a recycled pid is never killed. */
  command: string;
  /** Field 22 of /proc/<pid>/stat: the process's start time, the other half of its identity. */
  startTicks: string;
  parentStartTicks: string;
}

let setprivAvailable: boolean | undefined;
function hasSetpriv(): boolean {
  if (setprivAvailable === undefined) {
    setprivAvailable = process.platform === 'linux' && spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;
  }
  return setprivAvailable;
}

/** Spawns `command` tied to this process: it is killed when this process ends, whichever way. */
export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const tied = hasSetpriv();
  const child = tied ? spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', command, ...args], options) : spawn(command, [...args], options);
  trackChild(child, command);
  return child;
}

/** Kills the child when this process ends normally or by SIGINT/SIGTERM/SIGHUP, and records it for reapOrphans(). */
export function trackChild(child: ChildProcess, command?: string): void {
  hook();
  live.add(child);
  const pid = child.pid;
  const file = pid === undefined ? undefined : path.join(registryDir(), `${pid}.json`);
  if (file && command) {
    try {
      fs.mkdirSync(registryDir(), { recursive: true });
      const record: ChildRecord = { pid: pid!, parentPid: process.pid, command: path.basename(command), startTicks: startTicks(pid!) ?? '', parentStartTicks: startTicks(process.pid) ?? '' };
      fs.writeFileSync(file, JSON.stringify(record));
    } catch {
      // The registry is a second line of defence; the child is still tied by pdeathsig and the exit hooks.
    }
  }
  child.once('exit', () => {
    live.delete(child);
    if (file) fs.rmSync(file, { force: true });
  });
}

export function liveChildCount(): number {
  return live.size;
}

/** Field 22 (starttime) of /proc/<pid>/stat, or undefined when the process does not exist. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function runsCommand(pid: number, command: string): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((arg) => path.basename(arg) === command);
  } catch {
    return false;
  }
}

/**
 * Kills recorded children whose parent has died (a bench killed before it could clean up) and forgets records of
 * children that are gone. Returns the pids it killed.
 */
export function reapOrphans(): number[] {
  const dir = registryDir();
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    let record: ChildRecord;
    try {
      record = JSON.parse(fs.readFileSync(file, 'utf8')) as ChildRecord;
    } catch {
      fs.rmSync(file, { force: true });
      continue;
    }
    // Ours, or a live bench's: not an orphan. (A recycled parent pid shows as another start time.)
    if (record.parentPid === process.pid) continue;
    if (isAlive(record.parentPid) && startTicks(record.parentPid) === record.parentStartTicks) continue;
    const same = startTicks(record.pid) === record.startTicks && runsCommand(record.pid, record.command);
    if (same) {
      try {
        process.kill(record.pid, 'SIGKILL');
        killed.push(record.pid);
      } catch {
        // Gone meanwhile.
      }
    }
    fs.rmSync(file, { force: true });
  }
  return killed;
}

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Kill the children, then let the signal do what it would have done without this handler.
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}
