// The timers the link runs on. The system clock by default; the link simulator (sim/) passes a virtual clock so a
// transfer over a modelled line is measured exactly and in no wall time.

export interface LinkClock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: LinkClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
