// Starts QEMU for an emulated board, finds its serial pty, and stops it cleanly (QMP quit, SIGTERM, SIGKILL).
import type { ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoardError, type ResolvedBoard } from '../../boards';
import { reapOrphans, spawnChild } from '../../process/children';
import { checkElfPlacement } from './elf-placement';
import { QmpClient } from './qmp-client';
import { QEMU_BINARY, formatCommand, qemuArgs } from './qemu-args';

export interface QemuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchOptions {
  /** Keep the CPU stopped until resume(); default true. */
  paused?: boolean;
  /** How long QEMU may take to report its pty and accept QMP; default 10 s. */
  startTimeoutMs?: number;
}

const PTY_LINE = /char device redirected to (\/dev\/pts\/\d+) \(label (\S+)\)/;
const STOP_GRACE_MS = 2000;

export class QemuInstance {
  private exitInfo: QemuExit | undefined;
  readonly exited: Promise<QemuExit>;

  private constructor(
    readonly board: ResolvedBoard,
    readonly command: string,
    readonly ptyPath: string,
    private readonly child: ChildProcess,
    private readonly qmp: QmpClient,
    private readonly qmpSocket: string,
    exited: Promise<QemuExit>,
    private readonly stderrSoFar: () => string,
  ) {
    this.exited = exited.then((info) => (this.exitInfo = info));
  }

  /** Launches QEMU with the ELF; resolves once the pty is known and QMP answers. */
  static async launch(board: ResolvedBoard, elf: string, options: LaunchOptions = {}): Promise<QemuInstance> {
    if (!fs.existsSync(elf)) throw new BoardError(`firmware ${elf} does not exist; build it first (mcubench build --board ${board.board.id})`);
    checkElfPlacement(elf, board);
    const qmpSocket = path.join(os.tmpdir(), `mcb-qmp-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
    const args = qemuArgs(board, { elf, qmpSocket, paused: options.paused ?? true });
    const command = formatCommand(args);
    // A QEMU left behind by a bench that was killed would hold CPU for nothing: end it before starting another.
    reapOrphans();
    const child = spawnChild(QEMU_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    // 'close' (not 'exit') so stderr is complete when an early exit is reported.
    const exited = new Promise<QemuExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    let startError: Error | undefined;
    child.once('error', (err: NodeJS.ErrnoException) => {
      startError = new BoardError(err.code === 'ENOENT' ? `${QEMU_BINARY} is not installed; run scripts/setup.sh` : `cannot start ${QEMU_BINARY}: ${err.message}`);
    });
    let exitInfo: QemuExit | undefined;
    void exited.then((info) => { exitInfo = info; });
    const timeoutMs = options.startTimeoutMs ?? 10000;
    const failIfGone = (): void => {
      if (startError) throw startError;
      if (exitInfo) throw earlyExit(board, command, exitInfo, stderr);
    };
    try {
      // QEMU prints the pty line on stdout (pitfall 19); an early exit means a bad command line or a bad ELF.
      const ptyPath = await waitFor(() => { failIfGone(); return PTY_LINE.exec(stdout)?.[1]; }, timeoutMs, `no pty line from QEMU within ${timeoutMs} ms`);
      const qmp = await QmpClient.connect(qmpSocket, timeoutMs, () => exitInfo === undefined).catch((err: Error) => {
        failIfGone();
        throw err;
      });
      return new QemuInstance(board, command, ptyPath, child, qmp, qmpSocket, exited, () => stderr);
    } catch (err) {
      child.kill('SIGKILL');
      fs.rmSync(qmpSocket, { force: true });
      throw err instanceof BoardError ? err : new BoardError(`QEMU for board '${board.board.id}' did not start: ${(err as Error).message}\ncommand: ${command}\n${stderr}`);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** QEMU's stderr so far (guest errors, lockup register dumps). */
  get stderr(): string {
    return this.stderrSoFar();
  }

  /** Exit status once QEMU has ended, else undefined. */
  get exit(): QemuExit | undefined {
    return this.exitInfo;
  }

  /** Starts (or continues) the CPU. */
  async resume(): Promise<void> {
    try {
      await this.qmp.execute('cont');
    } catch (err) {
      // A firmware that locks up at once can take QEMU down before `cont` is answered: the guest did run, and
      // its end is QEMU's exit (see exited / describeExit), not a failure to resume.
      if (await this.exitedWithin(STOP_GRACE_MS)) return;
      throw err;
    }
  }

  /** Restarts the guest from its reset vector (QMP system_reset). */
  async systemReset(): Promise<void> {
    await this.qmp.execute('system_reset');
  }

  /** Ends QEMU: QMP quit, then SIGTERM, then SIGKILL, each after a grace period. Safe to call twice. */
  async stop(): Promise<QemuExit> {
    if (!this.exitInfo) {
      // A wedged QEMU may never answer `quit`: do not wait on the reply, wait on the process exit.
      this.qmp.execute('quit').catch(() => undefined);
      if (!(await this.exitedWithin(STOP_GRACE_MS))) {
        this.child.kill('SIGTERM');
        if (!(await this.exitedWithin(STOP_GRACE_MS))) this.child.kill('SIGKILL');
      }
    }
    this.qmp.close();
    const info = await this.exited;
    fs.rmSync(this.qmpSocket, { force: true });
    return info;
  }

  /** A BoardError describing an unexpected end of QEMU, for callers that notice the serial link went quiet. */
  describeExit(info: QemuExit): BoardError {
    return earlyExit(this.board, this.command, info, this.stderr);
  }

  private async exitedWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
    const done = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }
}

function earlyExit(board: ResolvedBoard, command: string, info: QemuExit, stderr: string): BoardError {
  const status = info.signal ? `signal ${info.signal}` : `status ${info.code}`;
  // QEMU aborts (134) when the guest faults inside its fault handler: the firmware's fault path ends in a lockup.
  const meaning = info.code === 134 || /Lockup/.test(stderr) ? ' — the firmware locked up (a fault)' : '';
  // QEMU's one-line reason ("qemu: fatal: Lockup: ...") comes before a long register dump: keep it in view.
  const lines = stderr.trimEnd().split('\n');
  const fatal = lines.filter((line) => /fatal:/.test(line)).slice(0, 1);
  const tail = [...fatal, ...lines.slice(-12).filter((line) => !fatal.includes(line))].join('\n').trim();
  return new BoardError(`QEMU for board '${board.board.id}' exited with ${status}${meaning}\ncommand: ${command}${tail ? `\nstderr:\n${tail}` : ''}`);
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
