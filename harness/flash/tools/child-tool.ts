// Runs a trusted flasher (openocd, st-flash) as a child process: every output line (split on \r too, where st-flash
// draws its progress) goes to a callback, the run is bounded in time, and a missing binary is named with its package.
import { spawnChild } from '../../process/children';
import { FlashError } from '../probe';

export interface ChildRun {
  code: number | null;
  /** stdout and stderr interleaved, as lines. */
  lines: string[];
}

export interface ChildOptions {
  onLine?: (line: string) => void;
  timeoutMs?: number;
  /** Debian package that provides the command, for the "not installed" message. */
  debianPackage: string;
}

export function runChild(command: string, args: string[], options: ChildOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    // Tied to the bench (killed if it dies), like every child it starts.
    const child = spawnChild(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const notInstalled = (): FlashError => new FlashError(`'${command}' is not installed or not on PATH; install the Debian package ${options.debianPackage} (scripts/setup.sh does)`);
    const lines: string[] = [];
    const pending = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
      const parts = (pending[stream] + chunk.toString('utf8')).split(/\r\n|\r|\n/);
      pending[stream] = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        options.onLine?.(line);
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => take('stdout', chunk));
    child.stderr!.on('data', (chunk: Buffer) => take('stderr', chunk));
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new FlashError(`${command} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped; last output: ${lines.slice(-3).join(' | ') || 'none'}`));
    }, timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? notInstalled() : new FlashError(`cannot start ${command}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      for (const stream of ['stdout', 'stderr'] as const) {
        if (pending[stream]) {
          lines.push(pending[stream]);
          options.onLine?.(pending[stream]);
        }
      }
      // Under setpriv a missing command is setpriv's exit 127, not a spawn error.
      if (code === 127 && lines.some((l) => /failed to execute .*No such file/.test(l))) reject(notInstalled());
      else resolve({ code, lines });
    });
  });
}

/** Quotes one argument for an error message that shows the command line to rerun by hand. */
export function shellLine(command: string, args: string[]): string {
  return [command, ...args].map((a) => (/^[\w./:=@-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
