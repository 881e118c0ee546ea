// `npm run bench:link`: how fast an input reaches the board.
//  1. Over a modelled serial line (harness/link/sim: the line rate, 1 ms USB frames, the board's 1 KB receive ring),
//     in virtual time: efficiency (line time of the input bytes / upload time) for a 92,928-byte mcunet-in3 input
//     at 115200 and 2 Mbit/s, protocol v1's stop-and-wait against the windowed upload, measured in the same run.
//  2. A line corrupting 1 % of bytes both ways: 16 person_detect-sized samples, how many arrive bit-exact.
//  3. On QEMU's pty (emu-f746, real firmware): wall time for the same input, stop-and-wait against windowed,
//     alternated, median of --repeats runs each.
//  4. The run path of `mcubench run` on emu-f746 (BoardExecutor: bench firmware, QEMU, link, inference):
//     person_detect's golden inputs, wall time per sample with each upload, every output checked against the host.
//   npm run bench:link                    all three
//   npm run bench:link -- --no-qemu       skip the emulator (parts 3 and 4)
//   npm run bench:link -- --repeats 5
import * as fs from 'fs';
import * as path from 'path';
import { BoardClient, type BoardClientOptions } from '../harness/link/protocol-client';
import { loadModel } from '../harness/model';
import { BoardExecutor } from '../harness/run/board-executor';
import { timeoutsFor } from '../harness/link/timeouts';
import { uploadOverLine, type LineBench } from './link-sim';
import { startQemuLink } from './link-qemu';

const MCUNET_IN3_INPUT = 176 * 176 * 3; // 92,928 bytes
const STOP_AND_WAIT = { maxChunksInFlight: 1 }; // protocol version 1's upload: one buffer-sized chunk at a time

const input = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7) & 0xff);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

async function modelledLine(): Promise<boolean> {
  console.log(`\n1. modelled line: ${MCUNET_IN3_INPUT}-byte input, board ring 1024 bytes, 1 ms USB frames (virtual time)`);
  console.log('   baud      upload            time (ms)   line time (ms)   efficiency');
  let ok = true;
  for (const baud of [115200, 2_000_000]) {
    const line: LineBench = { baud, rxRingBytes: 1024, boardBytesPerMs: 5400, probeMaxBaud: 2_000_000 };
    for (const [label, client] of [['v1 stop-and-wait', STOP_AND_WAIT], ['windowed', {}]] as const) {
      const [r] = await uploadOverLine({ ...line, client }, [input(MCUNET_IN3_INPUT, 1)]);
      if (!r.bitExact || r.overrunBytes > 0) throw new Error(`${label} at ${baud}: output not bit-exact or ring overrun`);
      console.log(`   ${String(baud).padEnd(9)} ${label.padEnd(17)} ${r.inputMs.toFixed(1).padStart(9)}   ${r.idealMs.toFixed(1).padStart(14)}   ${pct(r.efficiency).padStart(10)}`);
      if (label === 'windowed' && r.efficiency < 0.9) ok = false;
    }
  }
  return ok;
}

async function noisyLine(): Promise<void> {
  console.log('\n2. modelled line at 115200 baud corrupting 1 % of bytes in each direction: 16 samples of 9216 bytes');
  const inputs = Array.from({ length: 16 }, (_, s) => input(9216, s));
  const faults = { tx: { seed: 5, flip: 0.01 }, rx: { seed: 6, flip: 0.01 } };
  for (const [label, client] of [['v1 stop-and-wait', { ...STOP_AND_WAIT, minChunk: 1 << 20 }], ['adaptive chunks', {}]] as const) {
    const line: LineBench = { baud: 115200, rxRingBytes: 1024, boardBytesPerMs: 5400, probeMaxBaud: 2_000_000, faults, client };
    try {
      const results = await uploadOverLine(line, inputs);
      const total = results.reduce((sum, r) => sum + r.inputMs, 0);
      console.log(`   ${label.padEnd(17)} ${results.filter((r) => r.bitExact).length} of 16 bit-exact; uploads took ${(total / 1000).toFixed(1)} s (clean line: ${((16 * 9216 * 10) / 115200).toFixed(1)} s)`);
    } catch (error) {
      console.log(`   ${label.padEnd(17)} gave up: ${(error as Error).message}`);
    }
  }
}

async function qemuPty(repeats: number): Promise<void> {
  console.log(`\n3. emu-f746 in QEMU, pty: ${MCUNET_IN3_INPUT}-byte input, median of ${repeats} (wall time)`);
  const link = await startQemuLink('emu-f746', MCUNET_IN3_INPUT);
  try {
    const times: Record<string, number[]> = { 'v1 stop-and-wait': [], windowed: [] };
    const timeouts = timeoutsFor({ emulated: true, inferenceMs: 1000 });
    for (let i = 0; i < repeats; i++) {
      for (const [label, options] of [['v1 stop-and-wait', STOP_AND_WAIT], ['windowed', { flowControlled: true }]] as const) {
        const client = new BoardClient(link.serial, { ...timeouts, ...options });
        await client.hello();
        await client.runSample(i, input(MCUNET_IN3_INPUT, i));
        times[label].push(client.lastTimings!.inputMs);
        client.dispose();
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const before = median(times['v1 stop-and-wait']);
    const after = median(times.windowed);
    console.log(`   v1 stop-and-wait  ${before.toFixed(0)} ms (${((MCUNET_IN3_INPUT / before)).toFixed(1)} KB/s)`);
    console.log(`   windowed          ${after.toFixed(0)} ms (${((MCUNET_IN3_INPUT / after)).toFixed(1)} KB/s); ${(before / after).toFixed(2)}× v1`);
  } finally {
    await link.stop();
  }
}

const SHARED = process.env.MCUBENCH_SHARED ?? path.resolve(__dirname, '..', '..', 'shared');

async function runPath(repeats: number): Promise<void> {
  console.log(`\n4. mcubench run path on emu-f746 (QEMU): person_detect, 3 golden inputs × ${repeats}, wall time per sample`);
  const graph = loadModel(path.join(SHARED, 'models', 'person_detect.tflite'));
  const golden = path.join(SHARED, 'golden', 'person_detect');
  const names = ['no_person', 'person', 'random1'].filter((n) => fs.existsSync(path.join(golden, `${n}.bin`)));
  const modes = [['v1 stop-and-wait', STOP_AND_WAIT], ['windowed', { flowControlled: true }]] as [string, BoardClientOptions][];
  const executors = [];
  for (const [label, client] of modes) {
    const executor = await BoardExecutor.open({ board: 'emu-f746', graph, modelName: 'person_detect', schedule: { schedule: 'layer' }, client });
    await executor.run('warm-up', fs.readFileSync(path.join(golden, `${names[0]}.bin`)));
    executors.push({ label, executor, ms: 0 });
  }
  try {
    for (let i = 0; i < repeats; i++) {
      for (const name of names) {
        for (const entry of executors) { // alternated, so host load falls on both alike
          const started = Date.now();
          const run = await entry.executor.run(name, fs.readFileSync(path.join(golden, `${name}.bin`)));
          entry.ms += Date.now() - started;
          if (!run.extra?.matchesHost) throw new Error(`${entry.label}: ${name} differs from the host reference`);
        }
      }
    }
  } finally {
    for (const { executor } of executors) await executor.close();
  }
  const perSample: Record<string, number> = {};
  for (const { label, ms } of executors) {
    perSample[label] = ms / (repeats * names.length);
    console.log(`   ${label.padEnd(17)} ${perSample[label].toFixed(0)} ms per sample`);
  }
  const ratio = perSample['v1 stop-and-wait'] / perSample.windowed;
  console.log(`   windowed / v1: ${ratio.toFixed(2)}× as fast${ratio < 0.95 ? '  (SLOWER)' : ''}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const repeatsAt = argv.indexOf('--repeats');
  const repeats = repeatsAt >= 0 ? Number(argv[repeatsAt + 1]) : 3;
  const ok = await modelledLine();
  await noisyLine();
  if (!argv.includes('--no-qemu')) {
    await qemuPty(repeats);
    await runPath(repeats);
  }
  if (!ok) {
    console.log('\nFAIL: the windowed upload is below 90 % of the line rate');
    process.exitCode = 1;
  }
}

void main();
