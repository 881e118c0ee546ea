// MemoryTransport delivery, disconnect, and the seeded FaultInjector behind it.
import { FaultInjector } from '../../../harness/link/fault-injector';
import { FaultyTransport } from '../../../harness/link/faulty-transport';
import { MemoryTransport } from '../../../harness/link/memory-transport';

const received = (t: { onData(l: (c: Uint8Array) => void): unknown }) => {
  const chunks: number[] = [];
  t.onData((c) => chunks.push(...c));
  return chunks;
};
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('MemoryTransport', () => {
  it('delivers bytes in order to the other end only, after the configured delay', async () => {
    const [a, b] = MemoryTransport.pair({ delayMs: 5 });
    await a.open();
    await b.open();
    const atA = received(a);
    const atB = received(b);
    await a.write(Uint8Array.of(1, 2));
    await a.write(Uint8Array.of(3));
    expect(atB).toEqual([]); // not synchronous
    await settle();
    expect(atB).toEqual([1, 2, 3]);
    expect(atA).toEqual([]);
    expect(a.written.map((c) => [...c])).toEqual([[1, 2], [3]]);
  });

  it('disconnect closes both ends with a reason and later writes fail', async () => {
    const [a, b] = MemoryTransport.pair({ name: 'memory:host' });
    await a.open();
    await b.open();
    const reasons: (Error | undefined)[] = [];
    a.onClose((r) => reasons.push(r));
    b.onClose((r) => reasons.push(r));
    a.disconnect();
    expect(reasons.map((r) => r?.message)).toEqual(['memory:host disconnected', 'memory:host disconnected']);
    await expect(a.write(Uint8Array.of(1))).rejects.toThrow(/not open/);
    await expect(a.open()).rejects.toThrow(/create a new pair/);
  });
});

describe('FaultInjector', () => {
  const data = Uint8Array.from({ length: 20_000 }, (_, i) => i & 0xff);

  it('is reproducible for a seed and differs across seeds', () => {
    const once = (seed: number) => new FaultInjector({ seed, drop: 0.01, flip: 0.01, duplicate: 0.01, garbage: 0.01 }).mangle(data);
    expect(Buffer.from(once(1)).equals(Buffer.from(once(1)))).toBe(true);
    expect(Buffer.from(once(1)).equals(Buffer.from(once(2)))).toBe(false);
  });

  it('applies each kind of fault at about its rate', () => {
    const f = new FaultInjector({ seed: 7, drop: 0.01, flip: 0.02, duplicate: 0.005, garbage: 0.001, garbageMaxBytes: 4 });
    const out = f.mangle(data);
    expect(f.counts.dropped).toBeGreaterThan(140);
    expect(f.counts.dropped).toBeLessThan(260);
    expect(f.counts.flipped).toBeGreaterThan(320);
    expect(f.counts.flipped).toBeLessThan(480);
    expect(f.counts.duplicated).toBeGreaterThan(60);
    expect(f.counts.duplicated).toBeLessThan(140);
    expect(f.counts.garbageBytes).toBeGreaterThan(10);
    expect(out.length).toBe(data.length - f.counts.dropped + f.counts.duplicated + f.counts.garbageBytes);
  });

  it('leaves bytes alone at rate 0 and refuses a rate above 1', () => {
    expect([...new FaultInjector({ seed: 1 }).mangle(data.subarray(0, 50))]).toEqual([...data.subarray(0, 50)]);
    expect(() => new FaultInjector({ seed: 1, drop: 1.5 })).toThrow(/drop=1.5 must be a probability/);
  });
});

describe('FaultyTransport', () => {
  it('damages both directions of a wrapped transport', async () => {
    const [a, b] = MemoryTransport.pair();
    const faulty = new FaultyTransport(a, { tx: { seed: 3, flip: 0.5 }, rx: { seed: 4, drop: 0.5 } });
    await faulty.open();
    await b.open();
    const atB = received(b);
    const atFaulty = received(faulty);
    const clean = Uint8Array.from({ length: 200 }, (_, i) => i);
    await faulty.write(clean);
    await b.write(clean);
    await settle();
    expect(atB).toHaveLength(200);
    expect(atB).not.toEqual([...clean]);
    expect(atFaulty.length).toBeLessThan(150);
    expect(faulty.tx!.counts.flipped).toBeGreaterThan(50);
    expect(faulty.rx!.counts.dropped).toBeGreaterThan(50);
  });
});
