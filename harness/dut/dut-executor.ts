// A DUT speaking the MLPerf Tiny protocol as an Executor: each sample is loaded (db load / db <hex>), run (infer 1 0)
// and its printed results turned back into output bytes with the model's output quantization, so the evaluation
// pipeline journals, scores and compares them with the host reference exactly as for our own protocol.
import type { NativeModel } from '../native';
import { DTYPE_CODES } from '../pack/image-ids';
import type { ImageRecords } from '../pack/read-image';
import type { Results } from '../report/results';
import type { Executor, ExecutorDescription, ExecutorRun, JournalledRun } from '../run/executor';
import { DutProtocolError, type MlperfDut } from './mlperf-tiny';

/** How the printed values map back to bytes: one entry per output, in output order. */
interface OutputCodec { dtype: number; elements: number; scale: number; zeroPoint: number }

export function outputCodecs(image: ImageRecords): OutputCodec[] {
  return image.io.filter((io) => io.direction === 'output').map((io) => {
    const tensor = image.tensors[io.tensor];
    const copy = io.convert === 0;
    const width = io.externalDtype === DTYPE_CODES.float32 ? 4 : 1;
    return { dtype: io.externalDtype, elements: io.externalSize / width, scale: copy ? tensor.scale : io.scale, zeroPoint: copy ? tensor.zeroPoint : io.zeroPoint };
  });
}

/** Printed values → the output bytes the model produced (int8/uint8 re-quantized, float32 as is). */
export function valuesToBytes(values: readonly number[], codecs: readonly OutputCodec[]): Uint8Array {
  const expected = codecs.reduce((n, c) => n + c.elements, 0);
  if (values.length !== expected) throw new DutProtocolError(`DUT printed ${values.length} result values; the model has ${expected} output elements`);
  const bytes: number[] = [];
  let at = 0;
  for (const c of codecs) {
    for (let k = 0; k < c.elements; k++) {
      const v = values[at++];
      if (c.dtype === DTYPE_CODES.float32) {
        bytes.push(...new Uint8Array(new Float32Array([v]).buffer));
      } else {
        const [lo, hi] = c.dtype === DTYPE_CODES.uint8 ? [0, 255] : [-128, 127];
        const q = Math.min(hi, Math.max(lo, Math.round(v / c.scale) + c.zeroPoint));
        bytes.push(q & 0xff);
      }
    }
  }
  return new Uint8Array(bytes);
}

export class DutExecutor implements Executor {
  constructor(
    private readonly dut: MlperfDut,
    private readonly codecs: OutputCodec[],
    private readonly description: ExecutorDescription,
    /** The host reference for the same model and schedule, to compare each output with. */
    private readonly host: NativeModel,
    private readonly onClose: () => Promise<void>,
  ) {}

  describe(): ExecutorDescription {
    return this.description;
  }

  async run(_name: string, input: Uint8Array): Promise<ExecutorRun> {
    await this.dut.load(input);
    const inference = await this.dut.infer(1, 0);
    const output = valuesToBytes(inference.results, this.codecs);
    const reference = await this.host.runAsync(input);
    return { output, extra: { matchesHost: Buffer.from(output).equals(reference.output), dutMicros: inference.micros } };
  }

  summarize(runs: readonly JournalledRun[]): Partial<Results> {
    const compared = runs.map((r) => r.extra?.matchesHost).filter((m): m is boolean => typeof m === 'boolean');
    return compared.length ? { agreement: compared.filter(Boolean).length / compared.length } : {};
  }

  async close(): Promise<void> {
    this.dut.dispose();
    await this.onClose();
  }
}
