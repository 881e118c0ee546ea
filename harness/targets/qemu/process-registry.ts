// Every QEMU we start is killed when this Node process ends, whichever way it ends, so none is left orphaned.
import type { ChildProcess } from 'child_process';

const live = new Set<ChildProcess>();
let hooked = false;

export function trackChild(child: ChildProcess): void {
  hook();
  live.add(child);
  child.once('exit', () => live.delete(child));
}

export function liveChildCount(): number {
  return live.size;
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
