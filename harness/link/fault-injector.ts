// Deterministic byte-level damage for link tests: drop, flip, duplicate and insert garbage, driven by a seeded
// PRNG so a failing seed can be replayed.
import { seededRandom } from '../seeded-random';

/** Per-byte probabilities (0..1). */
export interface FaultRates {
  drop?: number;
  /** Flip one random bit of the byte. */
  flip?: number;
  duplicate?: number;
  /** Insert a burst of 1..garbageMaxBytes random bytes before the byte. */
  garbage?: number;
  garbageMaxBytes?: number;
}

export interface FaultOptions extends FaultRates {
  seed: number;
}

export interface FaultCounts {
  dropped: number;
  flipped: number;
  duplicated: number;
  garbageBytes: number;
}

export class FaultInjector {
  readonly counts: FaultCounts = { dropped: 0, flipped: 0, duplicated: 0, garbageBytes: 0 };
  private readonly random: () => number;
  private readonly rates: Required<FaultRates>;

  constructor(options: FaultOptions) {
    this.random = seededRandom(options.seed);
    this.rates = {
      drop: options.drop ?? 0,
      flip: options.flip ?? 0,
      duplicate: options.duplicate ?? 0,
      garbage: options.garbage ?? 0,
      garbageMaxBytes: options.garbageMaxBytes ?? 8,
    };
    for (const [key, value] of Object.entries(this.rates)) {
      if (!(value >= 0) || (key !== 'garbageMaxBytes' && value > 1)) {
        throw new RangeError(`fault rate ${key}=${value} must be a probability between 0 and 1`);
      }
    }
  }

  get total(): number {
    const c = this.counts;
    return c.dropped + c.flipped + c.duplicated + c.garbageBytes;
  }

  /** Returns the damaged copy of bytes (the input is not modified). */
  mangle(bytes: Uint8Array): Uint8Array {
    const r = this.rates;
    const out: number[] = [];
    for (const byte of bytes) {
      if (this.random() < r.garbage) {
        const n = 1 + Math.floor(this.random() * r.garbageMaxBytes);
        for (let i = 0; i < n; i++) out.push(Math.floor(this.random() * 256));
        this.counts.garbageBytes += n;
      }
      if (this.random() < r.drop) {
        this.counts.dropped++;
        continue;
      }
      let value = byte;
      if (this.random() < r.flip) {
        value ^= 1 << Math.floor(this.random() * 8);
        this.counts.flipped++;
      }
      out.push(value);
      if (this.random() < r.duplicate) {
        out.push(value);
        this.counts.duplicated++;
      }
    }
    return Uint8Array.from(out);
  }
}
