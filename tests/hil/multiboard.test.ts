// Several boards in one run (mcubench run --board emu-f746,emu-f746,emu-f412): one sample queue, each board with
// firmware built for it, every sample journalled once with the board instance and firmware that ran it, results
// grouped per kind of board; a board that keeps failing leaves the pool and the others finish the run.
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import type { Transport, Unsubscribe } from '../../harness/link/transport';
import type { Results } from '../../harness/report/results';
import { loadModel } from '../../harness/model';
import { BoardPool, type BoardPoolOptions } from '../../harness/run/board-pool';
import { runEvaluation } from '../../harness/run/pipeline';
import { expectGoldenOutputs, goldenInputs, journalSamples, PERSON_DETECT, removeScratchDirs, scratchDir, type BoardRun } from './hil-support';
import { sharedModel } from '../support/paths';

jest.setTimeout(300_000);
afterAll(removeScratchDirs);

const NAMES = ['no_person', 'person', 'random1', 'random2', 'voc_2007_000027', 'voc_2007_000032', 'voc_2007_000033', 'voc_2007_000039'];
const inputs = goldenInputs(PERSON_DETECT, NAMES);

async function runPool(boards: string[], extra: Partial<BoardPoolOptions> = {}): Promise<{ run: BoardRun; pool: BoardPool; notes: string[] }> {
  const graph = loadModel(sharedModel(PERSON_DETECT.model));
  const notes: string[] = [];
  const pool = await BoardPool.open({
    boards, graph, modelName: PERSON_DETECT.model, schedule: { schedule: 'layer' }, onNote: (n) => notes.push(n), ...extra,
  });
  const outDir = scratchDir('pool');
  try {
    const outcome = await runEvaluation({ graph, model: PERSON_DETECT.model, datasetDir: inputs, outDir, executor: pool, tool: { name: 'mcubench', version: 'test' }, progress: false });
    return { run: { outcome, results: outcome.results, outDir, elfStaticBytes: 0, arenaBufferBytes: 0, restarts: 0, retransmissions: 0 }, pool, notes };
  } finally {
    await pool.close();
  }
}

/** Passes everything through until the first input upload, then hears nothing more: a board gone deaf mid-run. */
class DeafAfterUpload implements Transport {
  private written = 0;
  constructor(private readonly inner: Transport) {}
  get name(): string { return this.inner.name; }
  get isOpen(): boolean { return this.inner.isOpen; }
  open(): Promise<void> { return this.inner.open(); }
  write(data: Uint8Array): Promise<void> { this.written += data.length; return this.inner.write(data); }
  drain(): Promise<void> { return this.inner.drain(); }
  close(): Promise<void> { return this.inner.close(); }
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe { return this.inner.onData((chunk) => { if (this.written < 4096) listener(chunk); }); }
  onClose(listener: (reason?: Error) => void): Unsubscribe { return this.inner.onClose(listener); }
}

test('emu-f746 ×2 + emu-f412: every sample once, bit-exact, grouped per board, with its provenance', async () => {
  const { run, pool } = await runPool(['emu-f746', 'emu-f746', 'emu-f412']);
  expect(pool.lanes).toBe(3);
  expectGoldenOutputs(run, PERSON_DETECT, NAMES);
  const { results } = run;
  expect(results.board).toBe('emu-f412,emu-f746');
  // Two kinds of board: figures per kind, none mixed at the top.
  expect(results.latency).toBeUndefined();
  expect(results.boards!.map((b) => b.board)).toEqual(['emu-f412', 'emu-f746']);
  expect(results.boards!.reduce((n, b) => n + b.count, 0)).toBe(NAMES.length);
  const runs = results.samples.map((s) => s.run!);
  // Each lane took a sample at the start: all three instances ran, each a QEMU of its own.
  const instances = new Set(runs.map((r) => r.instance));
  expect(instances.size).toBe(3);
  expect(results.boards!.find((b) => b.board === 'emu-f746')!.instances).toHaveLength(2);
  for (const group of results.boards!) {
    expect(group.agreement).toBe(1);
    expect(group.latency!.unit).toBe('instructions');
    expect(group.sram!.measuredPeakBytes).toBeGreaterThan(group.sram!.plannedPeakBytes);
  }
  // One firmware per kind of board, the same for both emu-f746 instances.
  const firmware = (board: string) => new Set(runs.filter((r) => r.board === board).map((r) => r.firmwareSha256));
  expect(firmware('emu-f746').size).toBe(1);
  expect(firmware('emu-f412').size).toBe(1);
  expect([...firmware('emu-f746')][0]).not.toBe([...firmware('emu-f412')][0]);
  for (const r of runs) {
    expect(r.instance).toMatch(/^qemu pid \d+$/);
    expect(Date.parse(r.endedAt)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
    expect(r.host).toBe(require('os').hostname());
  }
});

test('a board that keeps failing leaves the pool; the other finishes the run and nothing is counted twice', async () => {
  const { run, pool, notes } = await runPool(['emu-f746', 'emu-f746'], {
    client: { replyTimeoutMs: 1000 }, maxRestarts: 4, maxFailures: 1,
    wrapBoardTransport: (t, label) => (label === 'emu-f746#2' ? new DeafAfterUpload(t) : t),
  });
  expect(pool.retired.map((r) => r.label)).toEqual(['emu-f746#2']);
  expect(notes.some((n) => /emu-f746#2 taken out of the pool/.test(n))).toBe(true);
  expectGoldenOutputs(run, PERSON_DETECT, NAMES);
  expect(journalSamples(run.outDir)).toHaveLength(NAMES.length);
  // Every result came from the board that stayed.
  expect(new Set(run.results.samples.map((s) => s.run!.instance)).size).toBe(1);
  expect(fs.existsSync(path.join(run.outDir, 'results.json'))).toBe(true);
});

test('mcubench run --board emu-f746,emu-f412: one results.json entry per sample, a line per board', async () => {
  const out = path.join(scratchDir('cli'), 'run');
  const printed: string[] = [];
  const so = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { printed.push(String(c)); return true; });
  const se = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let status: number;
  try {
    status = await main(['node', 'mcubench', 'run', '--board', 'emu-f746,emu-f412', '--model', 'person_detect', '--inputs', inputs, '--limit', '4', '--limit-order', 'sorted', '--out', out]);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  expect(status).toBe(0);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as Results;
  const names = results.samples.map((s) => s.name);
  expect(names).toHaveLength(4);
  expect(new Set(names).size).toBe(4);
  for (const name of names) expect(NAMES).toContain(name);
  expect(new Set(results.samples.map((s) => s.run!.board))).toEqual(new Set(['emu-f746', 'emu-f412']));
  const text = printed.join('');
  expect(text).toMatch(/^emu-f412: \d samples on 1 instance, agreement 100\.0 %, latency mean \d+ instructions, measured SRAM peak \d+ B$/m);
  expect(text).toMatch(/^emu-f746: \d samples on 1 instance, agreement 100\.0 %/m);
  // A bad list is a usage error before anything starts.
  await expect(main(['node', 'mcubench', 'run', '--board', 'emu-f746,,emu-f412', '--model', 'person_detect', '--inputs', inputs])).resolves.toBe(1);
});
