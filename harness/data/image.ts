// Decodes an image file to 8-bit pixels exactly as Pillow's `Image.open(f).convert('RGB'|'L')` would, because the
// model authors' reference pipelines (and shared/golden inputs) were made with Pillow.
//  - JPEG/PNG/WebP/TIFF via sharp (libvips + libjpeg-turbo/mozjpeg decoder: same IDCT and fancy upsampling as
//    Pillow's libjpeg-turbo, checked bit-exact on the CIFAR, VOC and ImageNet golden inputs).
//  - `ignoreIcc`: Pillow ignores embedded ICC profiles; sharp would otherwise convert them to sRGB (73 of the 334
//    ImageNet sample images carry one).
//  - no EXIF auto-rotation (Pillow does not rotate on open either).
//  - `failOn: 'warning'`: a truncated or corrupt JPEG is an error here, so evaluation skips it instead of scoring
//    a half-grey image.
//  - BMP via our own reader (libvips has no BMP loader).
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { RawImage, decodeBmp } from './bmp';
import { UserError } from '../errors';

export type { RawImage } from './bmp';
export type ColorMode = 'rgb' | 'gray';

export interface DecodeOptions {
  /**
   * The pixel bytes are int8 values stored as uint8 (two's complement), as in TFLM's `person.bmp`/`no_person.bmp`:
   * XOR 0x80 recovers the true grey level, so `gray − 128` then reproduces the stored bytes.
   */
  int8Pixels?: boolean;
}

/** Thrown for unreadable or corrupt images; the preparation step records it as a skipped sample. */
export class ImageDecodeError extends UserError {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ImageDecodeError';
  }
}

/** Pillow's ITU-R 601-2 luma in 16-bit fixed point: L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16. */
export function rgbToGray(img: RawImage): RawImage {
  if (img.channels === 1) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) out[i] = (d[3 * i] * 19595 + d[3 * i + 1] * 38470 + d[3 * i + 2] * 7471 + 0x8000) >> 16;
  return { data: out, width: img.width, height: img.height, channels: 1 };
}

export function grayToRgb(img: RawImage): RawImage {
  if (img.channels === 3) return img;
  const out = new Uint8Array(img.data.length * 3);
  for (let i = 0; i < img.data.length; i++) out.fill(img.data[i], 3 * i, 3 * i + 3);
  return { data: out, width: img.width, height: img.height, channels: 3 };
}

async function decodeNative(file: string, bytes: Buffer): Promise<RawImage> {
  if (path.extname(file).toLowerCase() === '.bmp') return decodeBmp(bytes);
  const { data, info } = await sharp(bytes, { failOn: 'warning', ignoreIcc: true, autoOrient: false })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 1 || info.channels === 3) {
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels };
  }
  throw new Error(`${info.channels}-channel images are not supported; convert to RGB first`);
}

export async function decodeImage(file: string, mode: ColorMode, options: DecodeOptions = {}): Promise<RawImage> {
  let img: RawImage;
  try {
    img = await decodeNative(file, await fs.promises.readFile(file));
  } catch (e) {
    throw new ImageDecodeError(file, (e as Error).message.split('\n')[0]);
  }
  if (options.int8Pixels) img = { ...img, data: img.data.map((v) => v ^ 0x80) };
  return mode === 'gray' ? rgbToGray(img) : grayToRgb(img);
}
