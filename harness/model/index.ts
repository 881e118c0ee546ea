// Public entry to model loading: `.tflite` bytes → normalised graph IR.
import * as fs from 'fs';
import { Graph, ModelError } from './graph';
import { parseTflite } from './tflite-reader';
import { normaliseGraph } from './normalise';

export * from './graph';
export { normaliseGraph } from './normalise';

export interface LoadOptions {
  /** Fold PADs, turn boundary QUANTIZE/DEQUANTIZE into I/O descriptors, drop RESHAPE shape operands (default true). */
  normalise?: boolean;
}

export function parseModel(bytes: Uint8Array, source: string, opts: LoadOptions = {}): Graph {
  const graph = parseTflite(bytes, source);
  return opts.normalise === false ? graph : normaliseGraph(graph);
}

export function loadModel(path: string, opts: LoadOptions = {}): Graph {
  let bytes: Uint8Array;
  try {
    const file = fs.readFileSync(path);
    bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ModelError(path, `cannot read model: ${reason}; pass the path of a .tflite file`);
  }
  return parseModel(bytes, path, opts);
}
