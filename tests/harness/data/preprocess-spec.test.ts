// `--preprocess <spec>`: recipes for models outside the presets. A spec that spells out a verified preset must
// give that preset's exact bytes (which are bit-exact with shared/golden); BGR swaps channels; bad specs name
// the bad key.
import * as path from 'path';
import { SHARED_DATASETS } from '../../support/paths';
import { PRESETS, parsePreprocessSpec, preprocessImage } from '../../../harness/data/preprocess';

const IMAGE = path.join(SHARED_DATASETS, 'imagenet_sample', 'images', 'n01440764_tench.JPEG');
const VWW = path.join(SHARED_DATASETS, 'vww_person_detection_testdata', 'mcunet_person_det.jpg');
const int8Input = (h: number, w: number, c: number) => ({ dtype: 'int8' as const, shape: [1, h, w, c], scale: 1, zeroPoint: 0 });

describe('--preprocess spec', () => {
  it('spelling out mcunet-imagenet (short side 201, crop 176, int8) gives its bytes', async () => {
    const spec = int8Input(176, 176, 3);
    const fromSize = await preprocessImage(IMAGE, parsePreprocessSpec('resize=crop,size=201,pixels=int8', 176), spec);
    const preset = await preprocessImage(IMAGE, PRESETS['mcunet-imagenet'], spec);
    expect(Buffer.from(fromSize).equals(Buffer.from(preset))).toBe(true);
  });

  it('spelling out tflm-person-detect (grey, stretch to 96², int8) gives its bytes', async () => {
    const spec = int8Input(96, 96, 1);
    const custom = await preprocessImage(VWW, parsePreprocessSpec('color=gray,pixels=int8'), spec);
    expect(Buffer.from(custom).equals(Buffer.from(await preprocessImage(VWW, PRESETS['tflm-person-detect'], spec)))).toBe(true);
  });

  it('bgr swaps the channels of every pixel; nchw makes planes', async () => {
    const spec = int8Input(32, 32, 3);
    const rgb = await preprocessImage(VWW, parsePreprocessSpec('pixels=int8'), spec);
    const bgr = await preprocessImage(VWW, parsePreprocessSpec('color=bgr,pixels=int8'), spec);
    for (let i = 0; i < 32 * 32; i++) expect([bgr[3 * i], bgr[3 * i + 1], bgr[3 * i + 2]]).toEqual([rgb[3 * i + 2], rgb[3 * i + 1], rgb[3 * i]]);
    const nchw = await preprocessImage(VWW, parsePreprocessSpec('layout=nchw,pixels=int8'), { ...spec, shape: [1, 3, 32, 32] });
    for (let i = 0; i < 32 * 32; i++) expect([nchw[i], nchw[1024 + i], nchw[2048 + i]]).toEqual([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]]);
  });

  it('mean/std in pixel units quantize with the input scale: (p − 127.5) / 127.5 at scale 1/128 is about p − 128', async () => {
    const spec = { dtype: 'int8' as const, shape: [1, 32, 32, 3], scale: 1 / 128, zeroPoint: 0 };
    const norm = await preprocessImage(VWW, parsePreprocessSpec('mean=127.5,std=127.5'), spec);
    const raw = await preprocessImage(VWW, parsePreprocessSpec('pixels=int8'), int8Input(32, 32, 3));
    const diffs = Array.from(norm, (v, i) => Math.abs(((v << 24) >> 24) - ((raw[i] << 24) >> 24)));
    expect(Math.max(...diffs)).toBeLessThanOrEqual(1); // (p − 127.5)·128/127.5 rounds to p − 128 or one step above
    expect(parsePreprocessSpec('mean=127.5,scale=0.0078125').pixels).toEqual(parsePreprocessSpec('mean=127.5,std=128').pixels);
  });

  it.each([
    ['colour=rgb', /'colour=rgb' is not key=value with a key among/],
    ['color=cmyk', /color=cmyk: expected rgb, bgr or gray/],
    ['mean=1/2', /mean=1\/2: expected one number or three/],
    ['from=nope', /from=nope: unknown preset/],
    ['pixels=int8,mean=3', /pixels= or mean\/std\/scale, not both/],
    ['size=100', /centre crop cannot be larger/],
  ])('refuses %s', (text, message) => {
    expect(() => parsePreprocessSpec(text, 176)).toThrow(message);
  });
});
