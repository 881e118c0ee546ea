// Preprocessing building blocks on hand-computed cases, plus corrupt-image handling on real files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHARED_DATASETS } from '../../support/paths';
import { detectDataset, prepareSamples, rgbToGray, PreparedSample } from '../../../harness/data';
import { decodeBmp } from '../../../harness/data/bmp';
import {
  PRESETS, centerCrop, encodeTensor, inputSpecFromIo, presetForModel, resizeBilinear, resizeNearest, roundHalfEven, shortSideSize,
} from '../../../harness/data/preprocess';
import type { RawImage } from '../../../harness/data/image';

const row = (values: number[]): RawImage => ({ data: Uint8Array.from(values), width: values.length, height: 1, channels: 1 });

describe('Pillow-compatible bilinear resampling', () => {
  it('downscales 4→2 with the widened (antialiasing) triangle filter', () => {
    // out 0: centre 1.0, support 2 → taps x=0,1,2 with weights tri(−.25)=.75, tri(.25)=.75, tri(.75)=.25 (sum 1.75)
    //        (0·.75 + 100·.75 + 200·.25) / 1.75 = 125 / 1.75 = 71.43 → 71
    // out 1: centre 3.0 → taps x=1,2,3 weights .25, .75, .75: (100·.25 + 200·.75 + 255·.75) / 1.75 = 366.25/1.75 = 209.29 → 209
    expect(Array.from(resizeBilinear(row([0, 100, 200, 255]), 2, 1).data)).toEqual([71, 209]);
  });

  it('upscales 2→4 with support 1 (edge taps clipped, renormalised)', () => {
    // centres .25, .75, 1.25, 1.75 → [0], [0:.75, 1:.25], [0:.25, 1:.75], [1] → 0, 25, 75, 100
    expect(Array.from(resizeBilinear(row([0, 100]), 4, 1).data)).toEqual([0, 25, 75, 100]);
  });

  it('is the identity at the same size and keeps channels interleaved', () => {
    const img: RawImage = { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 2, height: 1, channels: 3 };
    expect(Array.from(resizeBilinear(img, 2, 1).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(resizeBilinear(img, 1, 1).data)).toEqual([3, 4, 5]); // (1+4)/2 = 2.5 → 3 (fixed point rounds half up)
  });

  it('nearest samples pixel centres: 4→2 takes x = floor(0.5·2)=1 and floor(1.5·2)=3', () => {
    expect(Array.from(resizeNearest(row([10, 20, 30, 40]), 2, 1).data)).toEqual([20, 40]);
  });
});

describe('torchvision geometry', () => {
  it('rounds half to even like Python round()', () => {
    expect([0.5, 1.5, 2.5, 12.5, 58.5, 3.2, 3.7].map(roundHalfEven)).toEqual([0, 2, 2, 12, 58, 3, 4]);
  });
  it('sizes the short side and truncates the long side', () => {
    expect(shortSideSize(500, 375, 201)).toEqual({ width: 268, height: 201 }); // 201·500/375 = 268.0
    expect(shortSideSize(332, 500, 201)).toEqual({ width: 201, height: 302 }); // 201·500/332 = 302.7 → 302
  });
  it('centre-crops at round-half-even offsets', () => {
    // 5 wide → 2: offset (5−2)/2 = 1.5 → 2; so columns 2,3
    expect(Array.from(centerCrop(row([0, 1, 2, 3, 4]), 2, 1).data)).toEqual([2, 3]);
    expect(() => centerCrop(row([1]), 2, 1)).toThrow(/larger than/);
  });
});

describe('pixel conversion and tensor encoding', () => {
  it('converts to grey with Pillow\'s fixed-point ITU-R 601 weights', () => {
    const img: RawImage = { data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), width: 4, height: 1, channels: 3 };
    // (255·19595 + 32768) >> 16 = 76; (255·38470 + 32768) >> 16 = 150; (255·7471 + 32768) >> 16 = 29; white stays 255
    expect(Array.from(rgbToGray(img).data)).toEqual([76, 150, 29, 255]);
  });

  const twoPixels: RawImage = { data: Uint8Array.from([0, 128, 255, 10, 20, 30]), width: 2, height: 1, channels: 3 };

  it('int8 offset and uint8 raw feed pixels directly, NHWC', () => {
    expect(Array.from(new Int8Array(encodeTensor(twoPixels, PRESETS['mlperf-vww'], { dtype: 'int8', shape: [1, 1, 2, 3] }).buffer)))
      .toEqual([-128, 0, 127, -118, -108, -98]);
    expect(Array.from(encodeTensor(twoPixels, PRESETS['tf-imagenet-uint8'], { dtype: 'uint8', shape: [1, 1, 2, 3] }))).toEqual([0, 128, 255, 10, 20, 30]);
  });

  it('normalises, quantizes (round half away from zero, clamped) and lays out NCHW', () => {
    const preset = { ...PRESETS['tinyengine-float'], layout: 'NCHW' as const };
    // f = (p/255 − .5)/.5: p=0 → −1, p=255 → 1, p=128 → 0.0039216; q = round(f / 0.02) − 14:
    // 0 → −50−14 = −64; 128 → round(0.196)−14 = −14; 255 → 50−14 = 36; 10 → round(−46.08)−14 = −60; 20 → round(−42.16)−14 = −56; 30 → round(−38.24)−14 = −52
    const q = encodeTensor(twoPixels, preset, { dtype: 'int8', shape: [1, 3, 1, 2], scale: 0.02, zeroPoint: -14 });
    expect(Array.from(new Int8Array(q.buffer))).toEqual([-64, -60, -14, -56, 36, -52]); // R plane, G plane, B plane
    const f = encodeTensor(twoPixels, PRESETS['tinyengine-float'], { dtype: 'float32', shape: [1, 1, 2, 3] });
    expect(Array.from(new Float32Array(f.buffer)).slice(0, 3)).toEqual([-1, Math.fround(Math.fround(128 / 255) * 2 - 1), 1]);
  });

  it('refuses a preset whose dtype or channels do not fit the input', () => {
    expect(() => encodeTensor(twoPixels, PRESETS['mlperf-vww'], { dtype: 'uint8', shape: [1, 1, 2, 3] })).toThrow(/feeds int8.*input is uint8/);
    expect(() => encodeTensor(twoPixels, PRESETS['tflm-person-detect'], { dtype: 'int8', shape: [1, 1, 2, 3] })).toThrow(/1-channel/);
    expect(() => encodeTensor(twoPixels, PRESETS['torchvision-imagenet-nchw'], { dtype: 'int8', shape: [1, 3, 1, 2] })).toThrow(/no valid scale/);
  });

  it('maps shared models to presets and reads the IR IoDescriptor', () => {
    expect(presetForModel('/x/mcunet-in3_320kb-1mb_imagenet.tflite').id).toBe('mcunet-imagenet');
    expect(presetForModel('mobilenet_v1_0.25_128_quant').labelOffset).toBe(1);
    expect(() => presetForModel('mlperf_tiny_kws_ref_model')).toThrow(/no preprocessing preset/);
    expect(inputSpecFromIo({ tensor: 0, name: 'in', shape: [1, 96, 96, 1], external: { dtype: 'int8', scale: 0.5, zeroPoint: -1 } }))
      .toEqual({ dtype: 'int8', shape: [1, 96, 96, 1], scale: 0.5, zeroPoint: -1 });
  });
});

describe('BMP reader', () => {
  it('reads a bottom-up 24-bit BMP with padded rows', () => {
    // 2×2, rows padded to 8 bytes; stored bottom row first, pixels as B,G,R
    const header = Buffer.alloc(54);
    header.write('BM', 0); header.writeUInt32LE(54 + 16, 2); header.writeUInt32LE(54, 10); header.writeUInt32LE(40, 14);
    header.writeInt32LE(2, 18); header.writeInt32LE(2, 22); header.writeUInt16LE(1, 26); header.writeUInt16LE(24, 28);
    const pixels = Buffer.from([3, 2, 1, 6, 5, 4, 0, 0, /* top row: */ 9, 8, 7, 12, 11, 10, 0, 0]);
    const img = decodeBmp(Buffer.concat([header, pixels]));
    expect(img).toMatchObject({ width: 2, height: 2, channels: 3 });
    expect(Array.from(img.data)).toEqual([7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]);
    expect(() => decodeBmp(Buffer.concat([header, pixels.subarray(0, 10)]))).toThrow(/truncated/);
  });
});

describe('corrupt and unreadable images', () => {
  const cifarAirplanes = path.join(SHARED_DATASETS, 'cifar10_test_sample', 'test', 'airplane');

  it('skips a truncated JPEG and a non-image with the reason recorded, and keeps going', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-corrupt-'));
    fs.mkdirSync(path.join(root, 'airplane'));
    for (const f of ['0000.jpg', '0001.jpg', '0002.jpg']) fs.copyFileSync(path.join(cifarAirplanes, f), path.join(root, 'airplane', f));
    const whole = fs.readFileSync(path.join(cifarAirplanes, '0003.jpg'));
    fs.writeFileSync(path.join(root, 'airplane', '0003.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    fs.writeFileSync(path.join(root, 'airplane', '0004.jpg'), 'this is not a JPEG');
    const ds = detectDataset(root);
    const prepared: PreparedSample[] = [];
    for await (const p of prepareSamples(ds, PRESETS['mlperf-ic-cifar'], { dtype: 'int8', shape: [1, 32, 32, 3], scale: 1, zeroPoint: -128 })) prepared.push(p);
    expect(prepared.map((p) => p.sample.name)).toEqual(['airplane/0000', 'airplane/0001', 'airplane/0002']);
    expect(prepared.every((p) => p.tensor.length === 3072)).toBe(true);
    expect(ds.skipped.map((s) => path.basename(s.file))).toEqual(['0003.jpg', '0004.jpg']);
    for (const s of ds.skipped) expect(s.reason).toMatch(/^cannot decode image: \S/);
  });

  it('takes .bin tensors verbatim and skips those of the wrong size', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-bins-'));
    fs.writeFileSync(path.join(root, 'a.bin'), Buffer.from([1, 2, 3, 4]));
    fs.writeFileSync(path.join(root, 'b.bin'), Buffer.from([1, 2, 3]));
    const ds = detectDataset(root);
    const prepared: PreparedSample[] = [];
    for await (const p of prepareSamples(ds, undefined, { dtype: 'int8', shape: [1, 4] })) prepared.push(p);
    expect(prepared.map((p) => [p.sample.name, Array.from(p.tensor)])).toEqual([['a', [1, 2, 3, 4]]]);
    expect(ds.skipped).toEqual([{ file: path.join(root, 'b.bin'), reason: '3 bytes, the model input needs 4' }]);
  });
});
