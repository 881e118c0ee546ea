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
  return (p, c) => f(f(f(p / 255) - mean[c]) / std[c]);
}

/**
 * The encoded bytes of every (channel, pixel value) pair: the value depends on nothing else, so a 3×256 table
 * turns encoding into a byte copy. Entry (c, p) starts at (c·256 + p)·bytesPerValue.
 */
function encodingTable(enc: PixelEncoding, spec: InputSpec, presetId: string): { bytesPerValue: number; table: Uint8Array } {
  const mismatch = (need: string): Error => new Error(`preset '${presetId}' feeds ${need} but the model input is ${spec.dtype}; pick the preset for this model`);
  let bytesPerValue = 1;
  let write: (view: DataView, at: number, p: number, c: number) => void;
  switch (enc.kind) {
    case 'int8Offset':
      if (spec.dtype !== 'int8') throw mismatch('int8 (pixel − 128)');
      write = (v, at, p) => v.setInt8(at, p - 128);
      break;
    case 'uint8Raw':
      if (spec.dtype !== 'uint8') throw mismatch('raw uint8 pixels');
      write = (v, at, p) => v.setUint8(at, p);
      break;
    case 'float': {
      const value = floatValue(enc);
      if (spec.dtype === 'float32') {
        bytesPerValue = 4;
        write = (v, at, p, c) => v.setFloat32(at, value(p, c), true);
        break;
      }
      if (spec.dtype !== 'int8' && spec.dtype !== 'uint8') throw mismatch('float32 or quantized int8/uint8');
      const { scale, zeroPoint } = spec;
      if (scale === undefined || zeroPoint === undefined || !(scale > 0)) {
        throw new Error(`preset '${presetId}' must quantize but the ${spec.dtype} input has no valid scale/zero point`);
      }
      const [lo, hi] = spec.dtype === 'int8' ? [-128, 127] : [0, 255];
      const q = (p: number, c: number): number => Math.min(hi, Math.max(lo, roundAway(value(p, c) / scale) + zeroPoint));
      write = spec.dtype === 'int8' ? (v, at, p, c) => v.setInt8(at, q(p, c)) : (v, at, p, c) => v.setUint8(at, q(p, c));
      break;
    }
  }
  const table = new Uint8Array(3 * 256 * bytesPerValue);
  const view = new DataView(table.buffer);
  for (let c = 0; c < 3; c++) for (let p = 0; p < 256; p++) write(view, (c * 256 + p) * bytesPerValue, p, c);
  return { bytesPerValue, table };
}

/** Encodes an image already at the input's H×W (channels matching the preset) into the input tensor's bytes. */
export function encodeTensor(img: RawImage, preset: Preset, spec: InputSpec): Uint8Array {
  const { height, width, channels } = imageGeometry(spec, preset);
  if (img.width !== width || img.height !== height || img.channels !== channels) {
    throw new Error(`image is ${img.width}x${img.height}x${img.channels}, input needs ${width}x${height}x${channels}`);
  }
  const { bytesPerValue: n, table } = encodingTable(preset.pixels, spec, preset.id);
  const out = new Uint8Array(width * height * channels * n);
  const plane = width * height;
  const nchw = preset.layout === 'NCHW';
  const bgr = preset.channelOrder === 'bgr' && channels === 3;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < channels; c++) {
      const index = nchw ? c * plane + i : i * channels + c;
      const from = (c * 256 + img.data[i * channels + (bgr ? 2 - c : c)]) * n;
      for (let b = 0; b < n; b++) out[index * n + b] = table[from + b];
    }
  }
  return out;
}
