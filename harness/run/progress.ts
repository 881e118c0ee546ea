// Evaluation progress on stderr: a live cli-progress bar on a terminal, plain periodic lines otherwise (CI logs,
// pipes), so a long run never looks hung and a log never fills with carriage-return noise.
import { SingleBar } from 'cli-progress';

export interface Progress {
  /** `done` samples finished in this session (resumed ones are not counted into the rate). */
  update(done: number): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  /** Samples already done before this session (a resumed run). */
  already?: number;
  stream?: NodeJS.WriteStream;
  /** What the bar counts: 'eval' (host) or 'run' (board); default 'eval'. */
  phase?: string;
  /** Plain mode: at most one line per this many ms (default 5000). */
  intervalMs?: number;
  now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "120/334 samples, 3.1/s, ETA 1m09s" */
export function progressLine(done: number, total: number, elapsedMs: number, already = 0): string {
  const fresh = done - already;
  const rate = elapsedMs > 0 ? fresh / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return `${done}/${total} samples, ${rate.toFixed(rate < 10 ? 1 : 0)}/s, ETA ${done >= total ? '0s' : formatDuration(eta)}`;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const { total } = options;
  const already = options.already ?? 0;
  const started = now();
  const phase = options.phase ?? 'eval';
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream, format: `${phase} [{bar}] {value}/{total} samples | {rate}/s | ETA {eta_formatted}`, hideCursor: true, etaBuffer: 50,
    });
    bar.start(total, already, { rate: '0.0' });
    return {
      update(done) {
        const secs = (now() - started) / 1000;
        bar.update(done, { rate: secs > 0 ? ((done - already) / secs).toFixed(1) : '0.0' });
      },
      stop() { bar.stop(); },
    };
  }
  const interval = options.intervalMs ?? 5000;
  let lastLine = started;
  let last = already;
  let printed = -1;
  const print = (done: number): void => {
    lastLine = now();
    printed = done;
    stream.write(`${phase}: ${progressLine(done, total, lastLine - started, already)}\n`);
  };
  return {
    update(done) {
      last = done;
      if (now() - lastLine >= interval) print(done);
    },
    stop() {
      if (printed !== last) print(last);
    },
  };
}
