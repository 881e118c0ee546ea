// A discrete-event clock for the link simulator: timers fire in time order with no wall time passing, and the
// promise callbacks they trigger run before the next timer, so a whole transfer is measured exactly.
import type { LinkClock } from '../clock';

interface Timer {
  at: number;
  id: number;
  callback: () => void;
}

export class VirtualClock implements LinkClock {
  private time = 0;
  private nextId = 1;
  private readonly timers: Timer[] = []; // sorted by (at, id)
  private readonly cancelled = new Set<number>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const timer = { at: this.time + Math.max(0, ms), id: this.nextId++, callback };
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timers[mid].at <= timer.at) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.cancelled.add(handle);
  }

  /** Runs timers until `work` settles; fails if it is still pending when no timer is left or after `limitMs`. */
  async run<T>(work: Promise<T>, limitMs = Number.POSITIVE_INFINITY): Promise<T> {
    let settled = false;
    work.then(() => { settled = true; }, () => { settled = true; });
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve)); // let promise callbacks of the last timer run
      if (settled) return work;
      const timer = this.timers.shift();
      if (!timer) throw new Error(`simulation stalled at ${this.time.toFixed(3)} ms: nothing left to happen`);
      if (this.cancelled.delete(timer.id)) continue;
      if (timer.at > limitMs) throw new Error(`simulation passed its limit of ${limitMs} ms`);
      this.time = timer.at;
      timer.callback();
    }
  }
}
