// Dataset samples → input tensors, lazily; unreadable files are recorded in `dataset.skipped`, never thrown.
import * as fs from 'fs';
import { DTYPE_BYTES } from '../model/graph';
import { DecodeOptions, ImageDecodeError } from './image';
import { InputSpec, Preset, preprocessImage } from './preprocess';
import { Dataset, Sample, recordSkip } from './types';

export interface PreparedSample { sample: Sample; tensor: Uint8Array; }

export function inputBytes(spec: InputSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[spec.dtype];
}

/**
 * Yields each usable sample with its input tensor. Images go through the preset; `.bin` samples (tensor folders)
 * are taken verbatim after a size check. `decodeOptions` applies to every image (e.g. int8Pixels for TFLM BMPs).
 */
export async function* prepareSamples(dataset: Dataset, preset: Preset | undefined, spec: InputSpec, decodeOptions: DecodeOptions = {}): AsyncGenerator<PreparedSample> {
  const expected = inputBytes(spec);
  for (const sample of dataset.samples()) {
    if (dataset.layout === 'tensor-folder') {
      let tensor: Buffer;
      try {
        tensor = await fs.promises.readFile(sample.file);
      } catch (e) {
        recordSkip(dataset.skipped, { file: sample.file, reason: `unreadable: ${(e as Error).message}` });
        continue;
      }
      if (tensor.length !== expected) {
        recordSkip(dataset.skipped, { file: sample.file, reason: `${tensor.length} bytes, the model input needs ${expected}` });
        continue;
      }
      yield { sample, tensor: new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.length) };
      continue;
    }
    if (!preset) throw new Error(`dataset ${dataset.root} holds images; a preprocessing preset is required`);
    try {
      yield { sample, tensor: await preprocessImage(sample.file, preset, spec, decodeOptions) };
    } catch (e) {
      if (!(e instanceof ImageDecodeError)) throw e; // a preset/spec mismatch is a usage error, not a bad sample
      recordSkip(dataset.skipped, { file: sample.file, reason: `cannot decode image: ${e.message.slice(sample.file.length + 2)}` });
    }
  }
}
