// Progress output: plain periodic lines when stderr is not a terminal, with rate and ETA from this session only.
import { createProgress, formatDuration, progressLine } from '../../../harness/run/progress';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('evaluation progress', () => {
  it('formats durations and the done/total/rate/ETA line', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(69)).toBe('1m09s');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3h05m');
    expect(formatDuration(Infinity)).toBe('?');
    // 20 new samples in 10 s = 2/s; 80 left → 40 s.
    expect(progressLine(30, 110, 10000, 10)).toBe('30/110 samples, 2.0/s, ETA 40s');
    expect(progressLine(110, 110, 10000, 10)).toBe('110/110 samples, 10/s, ETA 0s');
  });

  it('without a terminal prints at most one line per interval, and a final line', () => {
    let t = 0;
    const stream = fakeStream(false);
    const p = createProgress({ total: 10, stream, intervalMs: 1000, now: () => t });
    t = 500; p.update(2);   // too soon: nothing
    t = 1000; p.update(4);  // one line
    t = 1500; p.update(6);  // too soon
    t = 2000; p.update(10); // one line
    p.stop();               // already printed 10/10: nothing more
    expect(stream.text).toBe('eval: 4/10 samples, 4.0/s, ETA 2s\neval: 10/10 samples, 5.0/s, ETA 0s\n');
  });

  it('names the phase: a board run counts samples as run, not eval', () => {
    let t = 0;
    const stream = fakeStream(false);
    const p = createProgress({ total: 2, stream, intervalMs: 1000, now: () => t, phase: 'run' });
    t = 1000; p.update(2);
    p.stop();
    expect(stream.text).toBe('run: 2/2 samples, 2.0/s, ETA 0s\n');
  });
});
