// No child outlives the bench: a real `mcubench run` on emu-f746 is killed with SIGKILL (no handler can run) while
// its QEMU is up, and that QEMU must be gone right after; and the registry reaper ends what a dead bench left.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { reapOrphans } from '../../../harness/process/children';
import { REPO_ROOT, SHARED_GOLDEN } from '../../support/paths';

const CLI = path.join(REPO_ROOT, 'bin', 'mcubench.js');
const dirs: string[] = [];
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mcb-orphans-${tag}-`));
  dirs.push(dir);
  return dir;
}

function stat(pid: number): { comm: string; ppid: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(text.slice(close + 2).split(' ')[1]) };
  } catch {
    return undefined;
  }
}


function childrenOf(pid: number, comm: string): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
    const s = stat(p);
    return s !== undefined && s.ppid === pid && s.comm === comm;
  });
}

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('kill -9 of a running `mcubench run` takes its qemu-system-arm with it', async () => {
  const inputs = tempDir('in');
  const golden = path.join(SHARED_GOLDEN, 'person_detect');
  // Enough samples that QEMU is still busy when the kill comes.
  for (let i = 0; i < 30; i++) fs.copyFileSync(path.join(golden, i % 2 ? 'person.bin' : 'no_person.bin'), path.join(inputs, `s${i}.bin`));
  const registry = tempDir('registry');
  const bench = spawn('node', [CLI, 'run', '--board', 'emu-f746', '--model', 'person_detect', '--inputs', inputs, '--out', path.join(tempDir('out'), 'run')], {
    cwd: REPO_ROOT, stdio: 'ignore', env: { ...process.env, MCUBENCH_CHILDREN: registry },
  });
  started.push(bench);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => bench.once('exit', (_code, signal) => resolve(signal)));
  const qemu = await until(() => childrenOf(bench.pid!, 'qemu-system-arm')[0], 120_000, 'the bench to start QEMU');
  // The child is recorded while it runs.
  expect(fs.readdirSync(registry)).toContain(`${qemu}.json`);

  process.kill(bench.pid!, 'SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // The kernel delivers the parent-death signal at once; allow for a loaded machine.
  await until(() => (stat(qemu) === undefined ? true : undefined), 5000, `QEMU ${qemu} to end after its parent was killed`);
}, 180_000);

describe('reapOrphans', () => {
  let registry: string;
  const saved = process.env.MCUBENCH_CHILDREN;
  beforeEach(() => {
    registry = tempDir('reap');
    process.env.MCUBENCH_CHILDREN = registry;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.MCUBENCH_CHILDREN;
    else process.env.MCUBENCH_CHILDREN = saved;
  });

  const ticks = (pid: number): string => {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
  };
  function sleeper(): ChildProcess {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    started.push(child);
    return child;
  }
  const record = (pid: number, fields: Record<string, unknown>): void =>
    fs.writeFileSync(path.join(registry, `${pid}.json`), JSON.stringify({ pid, command: 'sleep', startTicks: ticks(pid), ...fields }));

  it('kills a recorded child whose parent is dead, spares one whose parent lives or whose pid was reused', async () => {
    // A parent that has exited: its pid is free (or reused, with another start time).
    const gone = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    const deadParent = Number(gone.stdout.trim());
    const orphan = sleeper();
    record(orphan.pid!, { parentPid: deadParent, parentStartTicks: '1' });

    const adopted = sleeper(); // its recorded parent (the sleeper `keeper`) is alive
    const keeper = sleeper();
    record(adopted.pid!, { parentPid: keeper.pid, parentStartTicks: ticks(keeper.pid!) });

    const recycled = sleeper(); // the record names this pid, but with another start time: a different process
    record(recycled.pid!, { parentPid: deadParent, parentStartTicks: '1', startTicks: '1' });

    const orphanExit = new Promise((resolve) => orphan.once('exit', resolve));
    expect(reapOrphans()).toEqual([orphan.pid]);
    await orphanExit;
    expect(orphan.signalCode).toBe('SIGKILL');
    expect(adopted.exitCode === null && adopted.signalCode === null).toBe(true);
    expect(recycled.exitCode === null && recycled.signalCode === null).toBe(true);
    // Records of reaped or foreign processes are dropped; the live bench's record stays.
    expect(fs.readdirSync(registry)).toEqual([`${adopted.pid}.json`]);
  });
});
