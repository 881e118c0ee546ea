// End to end without hardware: the C board endpoint (firmware/core/link.c, built for the host with ASan/UBSan)
// serves the link on a pseudo-terminal as QEMU's "-serial pty" would; BoardClient drives it through
// SerialTransport, with seeded faults injected in both directions by FaultyTransport.
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { FaultyTransport } from '../../../harness/link/faulty-transport';
import { crc32Of } from '../../../harness/link/frame-codec';
import { BoardResetError, LinkError } from '../../../harness/link/link-errors';
import { BoardClient, type BoardClientOptions } from '../../../harness/link/protocol-client';
import { SerialTransport } from '../../../harness/link/serial-transport';
import type { Transport } from '../../../harness/link/transport';
import { REPO_ROOT } from '../../support/paths';
import { buildHostProgram, removeBuildDirs } from '../../firmware/protocol-build';
import { fakeOutput } from './support/fake-board';

let endpointExe: string;
afterAll(removeBuildDirs);
beforeAll(() => {
  endpointExe = buildHostProgram('protocol_host_endpoint', [path.join(REPO_ROOT, 'tests/firmware/protocol_host_endpoint.c')]);
});

interface Endpoint {
  proc: ChildProcess;
  ptyPath: string;
  /** stderr lines so far: "run sample=N bytes=M", "reboot", sanitizer reports. */
  log: string[];
  runsOf(sample: number): number;
}

const running: { proc: ChildProcess; transport?: Transport }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.transport?.close();
    if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGTERM');
  }
});

/** Starts the endpoint and waits for its pty line. */
function startEndpoint(opts: { inputCap?: number; outputCap?: number; rxBuffer?: number; runDelayMs?: number; exe?: string } = {}): Promise<Endpoint> {
  const args = [opts.inputCap ?? 16384, opts.outputCap ?? 16384, opts.rxBuffer ?? 0, opts.runDelayMs ?? 0].map(String);
  const proc = spawn(opts.exe ?? endpointExe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push({ proc });
  const log: string[] = [];
  let partial = '';
  proc.stderr!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    log.push(...lines);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`endpoint printed no pty line in 5 s; stderr: ${log.join('\n')}`)), 5000);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /char device redirected to (\S+) \(label serial0\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const runsOf = (sample: number) => log.filter((l) => l.startsWith(`run sample=${sample} `)).length;
        resolve({ proc, ptyPath: m[1], log, runsOf });
      }
    });
    proc.on('exit', (code) => reject(new Error(`endpoint exited (${code}) before printing its pty; stderr: ${log.join('\n')}`)));
  });
}

async function connect(ep: Endpoint, options: BoardClientOptions, faults?: ConstructorParameters<typeof FaultyTransport>[1]) {
  const serial = new SerialTransport({ path: ep.ptyPath });
  running.push({ proc: ep.proc, transport: serial });
  const transport: Transport = faults ? new FaultyTransport(serial, faults) : serial;
  await transport.open();
  return { client: new BoardClient(transport, options), transport };
}

const input = (sample: number, length: number) => Uint8Array.from({ length }, (_, i) => (i * 13 + sample * 101) & 0xff);

async function runAndCheck(client: BoardClient, sample: number, length: number) {
  const data = input(sample, length);
  const { output, stats } = await client.runSample(sample, data);
  const expected = fakeOutput(data);
  expect(Buffer.from(output).equals(Buffer.from(expected))).toBe(true);
  expect(stats).toMatchObject({ sample, outputLength: expected.length, outputCrc: crc32Of(expected), latencyTotal: 2 ** 32 + length, timeUnit: 'instructions', arenaHighWater: length, opLatency: [length, 2 * length, 3 * length] });
}

describe('C endpoint over a pty with SerialTransport', () => {
  it('handshakes and runs samples of many sizes, each exactly once', async () => {
    const ep = await startEndpoint({ inputCap: 9000, outputCap: 5000 });
    const { client } = await connect(ep, { replyTimeoutMs: 3000 }); // generous: no retransmission expected on a loaded machine either
    const ack = await client.hello();
    expect(ack).toMatchObject({ boardId: 'host-test', firmwareVersion: '1.2.3', coreClockHz: 25_000_000, modelHash: '0102030405060708', schedule: 'patch', split: 5, patches: 16, timeUnit: 'instructions', inputCapacity: 9000, outputCapacity: 5000, maxPayload: 1024, rxBufferSize: 1038 });
    const sizes = [0, 1, 1016, 1017, 5000, 9000];
    for (const [i, size] of sizes.entries()) await runAndCheck(client, i, size);
    expect(sizes.map((_, i) => ep.runsOf(i))).toEqual(sizes.map(() => 1));
    expect(client.counters.retransmissions).toBe(0);
    expect(ep.log.filter((l) => /Sanitizer|runtime error/.test(l))).toEqual([]);
  });

  it.each([
    ['light', 11, 0.0002],
    ['medium', 12, 0.0008],
    ['heavy', 13, 0.002],
  ])('delivers correct outputs under %s damage (seed %i), never running a sample twice', async (_label, seed, rate) => {
    const ep = await startEndpoint({ rxBuffer: 300 }); // a small receive buffer, as on a board: chunks shrink to fit
    const faults = (s: number) => ({ seed: s, drop: rate, flip: rate, duplicate: rate, garbage: rate / 2, garbageMaxBytes: 16 });
    // Rates are per byte and per fault kind. With 64-byte chunks an exchange crosses ~100 bytes, so the heavy rate
    // (0.7 % of bytes damaged) spoils about half of them; 20 retries make a give-up vanishingly unlikely.
    const options = { replyTimeoutMs: 30, perByteMs: 0, runTimeoutMs: 100, retries: 20, maxChunk: 64 };
    const { client, transport } = await connect(ep, options, { tx: faults(seed), rx: faults(seed + 1000) });
    await client.hello();
    for (let sample = 0; sample < 6; sample++) await runAndCheck(client, sample, 200 + 150 * sample);
    expect([0, 1, 2, 3, 4, 5].map((s) => ep.runsOf(s))).toEqual([1, 1, 1, 1, 1, 1]);
    const faulty = transport as FaultyTransport;
    expect(faulty.tx!.total + faulty.rx!.total).toBeGreaterThan(0);
    expect(ep.log.filter((l) => /Sanitizer|runtime error/.test(l))).toEqual([]);
  });

  it('finishes every sample bit-exact on a line corrupting 1 % of bytes both ways, only slower', async () => {
    const ep = await startEndpoint({ rxBuffer: 1024 }); // the bench firmware's receive ring
    const options = { replyTimeoutMs: 100, perByteMs: 0.01, runTimeoutMs: 200 };
    const { client, transport } = await connect(ep, options, { tx: { seed: 41, flip: 0.01 }, rx: { seed: 42, flip: 0.01 } });
    await client.hello();
    for (let sample = 0; sample < 2; sample++) await runAndCheck(client, sample, 1500);
    expect([0, 1].map((s) => ep.runsOf(s))).toEqual([1, 1]);
    const faulty = transport as FaultyTransport;
    expect(faulty.tx!.counts.flipped + faulty.rx!.counts.flipped).toBeGreaterThan(30);
    expect(client.counters.chunkShrinks).toBeGreaterThan(0);
    expect(ep.log.filter((l) => /Sanitizer|runtime error/.test(l))).toEqual([]);
  }, 120_000);

  it('adapts to a board built with 128-byte payloads', async () => {
    const exe = buildHostProgram('protocol_host_endpoint_small', [path.join(REPO_ROOT, 'tests/firmware/protocol_host_endpoint.c')], [
      '-DMCB_LINK_MAX_PAYLOAD=128', '-DMCB_LINK_MAX_OPS=16',
    ]);
    const ep = await startEndpoint({ exe });
    const { client } = await connect(ep, { replyTimeoutMs: 300 });
    expect(await client.hello()).toMatchObject({ maxPayload: 128, rxBufferSize: 142, maxOps: 16 });
    await runAndCheck(client, 3, 2000); // 41 input chunks of 49 bytes (two 71-byte frames fill the 142-byte buffer), 9 output reads
    expect(client.counters.requests).toBe(1 + 1 + 41 + 1 + 1 + 9);
    expect(ep.runsOf(3)).toBe(1);
  });

  it('retransmits RUN while the board is still computing and gets the one result', async () => {
    const ep = await startEndpoint({ runDelayMs: 250 });
    const { client } = await connect(ep, { replyTimeoutMs: 80, perByteMs: 0, runTimeoutMs: 0, retries: 8 });
    await client.hello();
    await runAndCheck(client, 42, 700);
    expect(client.counters.retransmissions).toBeGreaterThanOrEqual(1);
    expect(ep.runsOf(42)).toBe(1);
  });

  it('surfaces a board reboot as BoardResetError and recovers with hello()', async () => {
    const ep = await startEndpoint({ runDelayMs: 200 });
    const { client } = await connect(ep, { replyTimeoutMs: 100, perByteMs: 0, runTimeoutMs: 1000 });
    await client.hello();
    await runAndCheck(client, 1, 100);
    const pending = client.runSample(2, input(2, 100)).catch((e: Error) => e);
    setTimeout(() => ep.proc.kill('SIGUSR1'), 100); // during the inference; the reboot follows it
    const error = await pending;
    // The reboot lands after the inference: the RESET notice arrives before or instead of STATS.
    expect(error).toBeInstanceOf(BoardResetError);
    expect((error as Error).message).toMatch(/^board reset during sample 2 \(/);
    await client.hello();
    await runAndCheck(client, 2, 100);
  });

  it('gives a LinkError, not a hang, when the board process dies mid-sample', async () => {
    const ep = await startEndpoint({ runDelayMs: 400 });
    const { client } = await connect(ep, { replyTimeoutMs: 100, perByteMs: 0, runTimeoutMs: 200, retries: 3 });
    await client.hello();
    const started = Date.now();
    const pending = client.runSample(7, input(7, 2000)).catch((e: Error) => e);
    setTimeout(() => ep.proc.kill('SIGKILL'), 150);
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(LinkError);
    expect((error as LinkError).name).toBe('LinkError');
    expect((error as Error).message).toMatch(/during sample 7 \((INPUT_CHUNK|INPUT_END|RUN) seq \d+\)/);
  });
});
