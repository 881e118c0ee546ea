// Reading output tensors: raw element values and dequantized reals, for int8 / uint8 / float32 outputs.
import type { DType } from '../model/graph';

/** How to read one output tensor's bytes; scale/zeroPoint are required for int8/uint8. */
export interface OutputQuant { dtype: DType; scale?: number; zeroPoint?: number; }

export function rawValues(bytes: Uint8Array, dtype: DType): ArrayLike<number> {
  switch (dtype) {
    case 'int8': return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    case 'uint8': return bytes;
    case 'float32': {
      if (bytes.length % 4 !== 0) throw new Error(`float32 output of ${bytes.length} bytes is not a whole number of elements`);
      const out = new Float32Array(bytes.length / 4);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    default: throw new Error(`output dtype ${dtype} is not supported by the metrics (int8, uint8, float32)`);
  }
}

/** real = scale · (q − zeroPoint) for quantized outputs; float32 values as stored. */
export function dequantize(bytes: Uint8Array, q: OutputQuant): Float64Array {
  const raw = rawValues(bytes, q.dtype);
  if (q.dtype === 'float32') return Float64Array.from(raw);
  if (q.scale === undefined || q.zeroPoint === undefined) throw new Error(`${q.dtype} output needs scale and zeroPoint to dequantize`);
  const { scale, zeroPoint } = q;
  return Float64Array.from(raw, (v) => scale * (v - zeroPoint));
}
