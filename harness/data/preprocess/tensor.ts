// Turns resized 8-bit pixels into the model input's raw bytes: pixel encoding, quantization, NHWC/NCHW layout.
import type { IoDescriptor } from '../../model/graph';
import type { RawImage } from '../image';
import { InputSpec, PixelEncoding, Preset } from './types';

/** The spec of a normalised graph input, as the IR describes what the caller must feed. */
export function inputSpecFromIo(io: IoDescriptor): InputSpec {
  return { dtype: io.external.dtype, shape: io.shape, scale: io.external.scale, zeroPoint: io.external.zeroPoint };
}

/** Height, width and channels the spec asks for under the preset's layout; throws if it is not an image input. */
export function imageGeometry(spec: InputSpec, preset: Preset): { height: number; width: number; channels: number } {
  const s = spec.shape;
  if (s.length !== 4 || s[0] !== 1) throw new Error(`input shape [${s.join(',')}] is not a single image (expected [1,H,W,C] or [1,C,H,W])`);
  const [height, width, channels] = preset.layout === 'NHWC' ? [s[1], s[2], s[3]] : [s[2], s[3], s[1]];
  const want = preset.color === 'gray' ? 1 : 3;
  if (channels !== want) {
    throw new Error(`preset '${preset.id}' makes ${want}-channel ${preset.layout} tensors but the input shape is [${s.join(',')}]; pick the preset for this model`);
  }
  return { height, width, channels };
}

/** Round half away from zero, as TFLite's reference QUANTIZE (std::round). */
function roundAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

type ValueOf = (pixel: number, channel: number) => number;

function floatValue(enc: Extract<PixelEncoding, { kind: 'float' }>): ValueOf {
  const f = Math.fround;
  const mean = enc.mean.map(f), std = enc.std.map(f);
  // float32 at every step, like ToTensor().div(255) and Normalize on float32 tensors / numpy float32 arrays.
  const table = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, p) => f(f(f(p / 255) - mean[c]) / std[c])));
  return (p, c) => table[c][p];
}

function encoder(enc: PixelEncoding, spec: InputSpec, presetId: string): { bytesPerValue: number; write: (view: DataView, at: number, pixel: number, channel: number) => void } {
  const mismatch = (need: string): Error => new Error(`preset '${presetId}' feeds ${need} but the model input is ${spec.dtype}; pick the preset for this model`);
  switch (enc.kind) {
    case 'int8Offset':
      if (spec.dtype !== 'int8') throw mismatch('int8 (pixel − 128)');
      return { bytesPerValue: 1, write: (v, at, p) => v.setInt8(at, p - 128) };
    case 'uint8Raw':
      if (spec.dtype !== 'uint8') throw mismatch('raw uint8 pixels');
      return { bytesPerValue: 1, write: (v, at, p) => v.setUint8(at, p) };
    case 'float': {
      const value = floatValue(enc);
      if (spec.dtype === 'float32') return { bytesPerValue: 4, write: (v, at, p, c) => v.setFloat32(at, value(p, c), true) };
      if (spec.dtype !== 'int8' && spec.dtype !== 'uint8') throw mismatch('float32 or quantized int8/uint8');
      const { scale, zeroPoint } = spec;
      if (scale === undefined || zeroPoint === undefined || !(scale > 0)) {
        throw new Error(`preset '${presetId}' must quantize but the ${spec.dtype} input has no valid scale/zero point`);
      }
      const [lo, hi] = spec.dtype === 'int8' ? [-128, 127] : [0, 255];
      const q = (p: number, c: number): number => Math.min(hi, Math.max(lo, roundAway(value(p, c) / scale) + zeroPoint));
      return spec.dtype === 'int8'
        ? { bytesPerValue: 1, write: (v, at, p, c) => v.setInt8(at, q(p, c)) }
        : { bytesPerValue: 1, write: (v, at, p, c) => v.setUint8(at, q(p, c)) };
    }
  }
}

/** Encodes an image already at the input's H×W (channels matching the preset) into the input tensor's bytes. */
export function encodeTensor(img: RawImage, preset: Preset, spec: InputSpec): Uint8Array {
  const { height, width, channels } = imageGeometry(spec, preset);
  if (img.width !== width || img.height !== height || img.channels !== channels) {
    throw new Error(`image is ${img.width}x${img.height}x${img.channels}, input needs ${width}x${height}x${channels}`);
  }
  const { bytesPerValue, write } = encoder(preset.pixels, spec, preset.id);
  const out = new Uint8Array(width * height * channels * bytesPerValue);
  const view = new DataView(out.buffer);
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < channels; c++) {
      const index = preset.layout === 'NHWC' ? i * channels + c : c * plane + i;
      write(view, index * bytesPerValue, img.data[i * channels + c], c);
    }
  }
  return out;
}
