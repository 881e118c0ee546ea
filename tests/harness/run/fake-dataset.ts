// A small labelled image set and a fake executor whose scores are known by construction, so pipeline tests can
// state their expected accuracy without running a model.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import type { Graph } from '../../../harness/model/graph';
import type { Executor, ExecutorDescription, ExecutorRun, ExecutorSample } from '../../../harness/run/executor';

export const CLASSES = 10;
export const IMAGES = 12;
/** Image i shows class i % 8 (its red level encodes it). */
export const trueClass = (i: number): number => i % 8;
/** i%4 ∈ {0,1}: right label; 2: off by one (second in the ranking); 3: off by five (outside the top five). */
export const labelOf = (i: number): number => [trueClass(i), trueClass(i), trueClass(i) + 1, (trueClass(i) + 5) % 10][i % 4];

/** Labels CSV + 12 solid 6×5 PNGs + one corrupt PNG + one listed-but-missing file. */
export async function makeDataset(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-evalds-'));
  const rows = ['filename,class_index'];
  for (let i = 0; i < IMAGES; i++) {
    const name = `img${String(i).padStart(2, '0')}.png`;
    await sharp({ create: { width: 6, height: 5, channels: 3, background: { r: trueClass(i) * 20 + 10, g: 50, b: 60 } } }).png().toFile(path.join(dir, name));
    rows.push(`${name},${labelOf(i)}`);
    if (i === 5) {
      fs.writeFileSync(path.join(dir, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\nnot really a png'));
      rows.push('broken.png,1');
      rows.push('missing.png,2');
    }
  }
  fs.writeFileSync(path.join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
  return dir;
}

/** Graph stub: 1×4×4×3 int8 input, 1×10 int8 scores; the pipeline reads only `io` and `source`. */
export function fakeGraph(): Graph {
  return {
    source: 'fake.tflite', tensors: [], operators: [], inputs: [0], outputs: [1],
    io: {
      inputs: [{ tensor: 0, name: 'in', shape: [1, 4, 4, 3], external: { dtype: 'int8', scale: 1, zeroPoint: -128 } }],
      outputs: [{ tensor: 1, name: 'out', shape: [1, CLASSES], external: { dtype: 'int8', scale: 0.1, zeroPoint: 0 } }],
    },
  } as unknown as Graph;
}

/** Scores 100 − 10·|c − t| where t is decoded from the red level of the first pixel. */
export function fakeScores(input: Uint8Array): Uint8Array {
  const red = ((input[0] << 24) >> 24) + 128;
  const t = Math.round((red - 10) / 20);
  return new Uint8Array(Int8Array.from({ length: CLASSES }, (_, c) => 100 - 10 * Math.abs(c - t)).buffer);
}

export class FakeExecutor implements Executor {
  runs: string[] = [];
  constructor(private readonly failAfter = Infinity, batching = false) {
    if (batching) this.runBatch = async (samples: readonly ExecutorSample[]) => Promise.all(samples.map((s) => this.run(s.name, s.input)));
  }
  runBatch?: (samples: readonly ExecutorSample[]) => Promise<ExecutorRun[]>;
  describe(): ExecutorDescription {
    return { target: 'fake', schedule: { kind: 'layer' }, plannedPeakBytes: 1234, fingerprint: 'fake-1' };
  }
  async run(name: string, input: Uint8Array): Promise<ExecutorRun> {
    if (this.runs.length >= this.failAfter) throw new Error('simulated crash');
    this.runs.push(name);
    return { output: fakeScores(input), latency: 1000 + input[0], unit: 'cycles' };
  }
  async close(): Promise<void> {}
}
