// `--preprocess <spec>`: a preprocessing recipe for a model outside the presets, written as comma-separated
// key=value pairs, e.g. `color=bgr,size=256,mean=103.94/116.78/123.68,std=1,layout=nhwc`.
//   from=<preset>            start from a preset and change only what follows
//   resize=stretch|crop      stretch the whole image to the input's H×W (default), or short side then centre crop
//   size=<N>                 with crop: resize the short side to N first (torchvision Resize(N) + CenterCrop)
//   crop=<fraction>          with crop: short side = input size / fraction (0.875 = ImageNet's 224 of 256)
//   interp=bilinear|nearest  resampling of a stretch (Pillow semantics)
//   color=rgb|bgr|gray       channel order of the input tensor (gray: Pillow's L)
//   layout=nhwc|nchw
//   pixels=int8|uint8        feed pixel − 128 (int8) or the raw pixel (uint8), no normalisation
//   mean=<m>[/<m>/<m>]       normalise: (pixel − mean) / std, in pixel units (0..255), one value or one per channel;
//   std=<s>[/<s>/<s>]        then quantized with the input's scale and zero point (or written as float32)
//   scale=<k>                instead of std: (pixel − mean) · k
import type { Preset } from './types';
import { PRESETS } from './presets';
import { UserError } from '../../errors';

export class PreprocessSpecError extends UserError {
  constructor(spec: string, problem: string) {
    super(`--preprocess '${spec}': ${problem}`);
    this.name = 'PreprocessSpecError';
  }
}

const KEYS = ['from', 'resize', 'size', 'crop', 'interp', 'color', 'layout', 'pixels', 'mean', 'std', 'scale'];

function triple(spec: string, key: string, text: string): [number, number, number] {
  const values = text.split('/').map((v) => Number(v.trim()));
  if (!(values.length === 1 || values.length === 3) || values.some((v) => !Number.isFinite(v))) {
    throw new PreprocessSpecError(spec, `${key}=${text}: expected one number or three separated by '/' (e.g. 127.5 or 123.68/116.78/103.94)`);
  }
  return values.length === 1 ? [values[0], values[0], values[0]] : (values as [number, number, number]);
}

function positive(spec: string, key: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new PreprocessSpecError(spec, `${key}=${text}: expected a positive number`);
  return n;
}

/** `inputSize` is the model input's height (square inputs for centre crops); needed only for `size=`. */
export function parsePreprocessSpec(spec: string, inputSize?: number): Preset {
  const pairs = new Map<string, string>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    const key = at < 0 ? part : part.slice(0, at).trim().toLowerCase();
    if (at < 0 || !KEYS.includes(key)) throw new PreprocessSpecError(spec, `'${part}' is not key=value with a key among ${KEYS.join(', ')}`);
    pairs.set(key, part.slice(at + 1).trim());
  }
  const base = pairs.has('from') ? PRESETS[pairs.get('from')!] : undefined;
  if (pairs.has('from') && !base) throw new PreprocessSpecError(spec, `from=${pairs.get('from')}: unknown preset; choose one of ${Object.keys(PRESETS).join(', ')}`);
  const preset: Preset = {
    ...(base ?? { color: 'rgb', layout: 'NHWC', resize: { kind: 'stretch', interpolation: 'bilinear' }, pixels: { kind: 'int8Offset' }, labelOffset: 0 }),
    id: `custom:${spec}`, description: `--preprocess ${spec}`, source: 'given on the command line',
  };
  const color = pairs.get('color');
  if (color !== undefined) {
    if (!['rgb', 'bgr', 'gray'].includes(color)) throw new PreprocessSpecError(spec, `color=${color}: expected rgb, bgr or gray`);
    preset.color = color === 'gray' ? 'gray' : 'rgb';
    preset.channelOrder = color === 'bgr' ? 'bgr' : 'rgb';
  }
  const layout = pairs.get('layout');
  if (layout !== undefined) {
    if (!['nhwc', 'nchw'].includes(layout.toLowerCase())) throw new PreprocessSpecError(spec, `layout=${layout}: expected nhwc or nchw`);
    preset.layout = layout.toUpperCase() as Preset['layout'];
  }
  const resize = pairs.get('resize') ?? (pairs.has('size') || pairs.has('crop') ? 'crop' : undefined);
  if (resize === 'crop') {
    let fraction = pairs.has('crop') ? positive(spec, 'crop', pairs.get('crop')!) : 224 / 256;
    if (pairs.has('size')) {
      if (inputSize === undefined) throw new PreprocessSpecError(spec, 'size= needs the model input size');
      fraction = inputSize / positive(spec, 'size', pairs.get('size')!);
    }
    if (fraction > 1) throw new PreprocessSpecError(spec, 'the centre crop cannot be larger than the resized image (size must be at least the input size, crop at most 1)');
    preset.resize = { kind: 'shortSideCenterCrop', cropFraction: fraction };
  } else if (resize === 'stretch' || (resize === undefined && pairs.has('interp'))) {
    const interp = pairs.get('interp') ?? 'bilinear';
    if (interp !== 'bilinear' && interp !== 'nearest') throw new PreprocessSpecError(spec, `interp=${interp}: expected bilinear or nearest`);
    preset.resize = { kind: 'stretch', interpolation: interp };
  } else if (resize !== undefined) {
    throw new PreprocessSpecError(spec, `resize=${resize}: expected stretch or crop`);
  }
  const pixels = pairs.get('pixels');
  if (pixels !== undefined && (pairs.has('mean') || pairs.has('std') || pairs.has('scale'))) throw new PreprocessSpecError(spec, 'give pixels= or mean/std/scale, not both');
  if (pixels !== undefined) {
    if (pixels !== 'int8' && pixels !== 'uint8') throw new PreprocessSpecError(spec, `pixels=${pixels}: expected int8 or uint8`);
    preset.pixels = { kind: pixels === 'int8' ? 'int8Offset' : 'uint8Raw' };
  } else if (pairs.has('mean') || pairs.has('std') || pairs.has('scale')) {
    if (pairs.has('std') && pairs.has('scale')) throw new PreprocessSpecError(spec, 'give std= or scale=, not both');
    const mean = triple(spec, 'mean', pairs.get('mean') ?? '0');
    const std = pairs.has('scale') ? triple(spec, 'scale', pairs.get('scale')!).map((k) => 1 / k) : triple(spec, 'std', pairs.get('std') ?? '1');
    if (std.some((v) => !(v > 0) || !Number.isFinite(v))) throw new PreprocessSpecError(spec, 'std and scale must be positive');
    // The encoder works on pixel / 255: express mean and std in that unit.
    preset.pixels = { kind: 'float', mean: mean.map((m) => m / 255) as [number, number, number], std: std.map((v) => v / 255) as [number, number, number] };
  }
  return preset;
}
