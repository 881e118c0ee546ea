// Image file → model input tensor bytes, following a preset (see presets.ts for the table and sources).
import { DecodeOptions, RawImage, decodeImage } from '../image';
import { centerCrop, resizeBilinear, resizeNearest, shortSideSize } from './resample';
import { encodeTensor, imageGeometry } from './tensor';
import { InputSpec, Preset } from './types';

export * from './types';
export { PRESETS, MODEL_PRESETS, presetForModel } from './presets';
export { parsePreprocessSpec, PreprocessSpecError } from './spec';
export { inputSpecFromIo, encodeTensor } from './tensor';
export { resizeBilinear, resizeNearest, centerCrop, shortSideSize, roundHalfEven } from './resample';

/** Applies the preset's geometric steps to decoded pixels, giving exactly width × height. */
export function resizeForPreset(img: RawImage, preset: Preset, width: number, height: number): RawImage {
  const r = preset.resize;
  if (r.kind === 'stretch') {
    if (img.width === width && img.height === height) return img;
    return r.interpolation === 'nearest' ? resizeNearest(img, width, height) : resizeBilinear(img, width, height);
  }
  if (width !== height) throw new Error(`preset '${preset.id}' centre-crops squares but the input is ${width}x${height}`);
  const short = Math.trunc(width / r.cropFraction);
  const size = shortSideSize(img.width, img.height, short);
  return centerCrop(resizeBilinear(img, size.width, size.height), width, height);
}

/** Decodes, resizes and encodes one image; throws ImageDecodeError for unreadable files, Error for spec mismatches. */
export async function preprocessImage(file: string, preset: Preset, spec: InputSpec, options: DecodeOptions = {}): Promise<Uint8Array> {
  const { width, height } = imageGeometry(spec, preset);
  const img = await decodeImage(file, preset.color, options);
  return encodeTensor(resizeForPreset(img, preset, width, height), preset, spec);
}
