// harness/link/timeouts.ts: per-board timeouts.
import { perByteMsForBaud, timeoutsFor } from '../../../harness/link/timeouts';

describe('timeoutsFor', () => {
  it('gives a 115200-baud board twice the wire time of a byte (10 bits = 86.8 us)', () => {
    expect(perByteMsForBaud(115_200)).toBeCloseTo(0.1736, 4);
    const t = timeoutsFor({ baudRate: 115_200, inferenceMs: 800 });
    expect(t).toEqual({ replyTimeoutMs: 250, perByteMs: perByteMsForBaud(115_200), runTimeoutMs: 2400 });
    // A full 1038-byte frame takes 90 ms on the wire at 115200; the allowance must exceed it.
    expect(1038 * t.perByteMs).toBeGreaterThan((1038 * 10 * 1000) / 115_200);
  });

  it('gives an emulated board pty rates and at least a second for RUN', () => {
    expect(timeoutsFor({ inferenceMs: 20, emulated: true })).toEqual({ replyTimeoutMs: 500, perByteMs: 0.1, runTimeoutMs: 1000 });
  });

  it('rejects nonsense', () => {
    expect(() => perByteMsForBaud(0)).toThrow(/baud rate 0 must be a positive number/);
    expect(() => timeoutsFor({ inferenceMs: Number.NaN })).toThrow(/inferenceMs NaN/);
  });
});
