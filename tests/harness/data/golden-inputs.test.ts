// Every golden input in shared/golden that was made from a shared dataset image must be reproduced byte-for-byte
// by the model's preset. The input spec is parsed from the manifest's own tensor description, not from our code.
import * as fs from 'fs';
import * as path from 'path';
import { SHARED_DATASETS, SHARED_GOLDEN } from '../../support/paths';
import { InputSpec, preprocessImage, presetForModel } from '../../../harness/data/preprocess';
import type { DType } from '../../../harness/model/graph';

interface ManifestModel { vectors: string[]; tensors: string[]; }
const manifest = JSON.parse(fs.readFileSync(path.join(SHARED_GOLDEN, 'manifest.json'), 'utf8')) as { models: Record<string, ManifestModel> };

function specFromManifest(line: string): InputSpec {
  const m = /shape \[([\d,]+)\] dtype (\w+) bytes \d+(?: scale ([\d.e-]+) zero_point (-?\d+))?/.exec(line);
  if (!m) throw new Error(`cannot parse manifest tensor line: ${line}`);
  return { shape: m[1].split(',').map(Number), dtype: m[2] as DType, scale: m[3] ? Number(m[3]) : undefined, zeroPoint: m[4] ? Number(m[4]) : undefined };
}

/** Golden vector name → the dataset image it was made from (naming convention of shared/golden). */
function sourceImage(vector: string): { file: string; int8Pixels: boolean } | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^in_(n\d{8}_.+)$/.exec(vector))) return { file: path.join(SHARED_DATASETS, 'imagenet_sample', 'images', `${m[1]}.JPEG`), int8Pixels: false };
  if ((m = /^voc_(\d{4}_\d{6})$/.exec(vector))) return { file: path.join(SHARED_DATASETS, 'pascal_voc2012_sample', 'JPEGImages', `${m[1]}.jpg`), int8Pixels: false };
  if ((m = /^cifar_([a-z]+)_(\d{4})$/.exec(vector))) return { file: path.join(SHARED_DATASETS, 'cifar10_test_sample', 'test', m[1], `${m[2]}.jpg`), int8Pixels: false };
  if (vector === 'person' || vector === 'no_person') return { file: path.join(SHARED_DATASETS, 'vww_person_detection_testdata', `${vector}.bmp`), int8Pixels: true };
  return undefined; // random*: not made from an image
}

const cases = Object.entries(manifest.models).flatMap(([model, entry]) =>
  entry.vectors.map((v) => ({ model, vector: v, source: sourceImage(v), spec: specFromManifest(entry.tensors[0]) }))
    .filter((c) => c.source !== undefined));

describe('presets reproduce the golden input tensors', () => {
  it('covers every image-derived golden vector (34 of them, over 8 models)', () => {
    expect(cases.length).toBe(34);
    expect(new Set(cases.map((c) => c.model)).size).toBe(8);
  });

  it.each(cases.map((c) => [c.model, c.vector, c] as const))('%s / %s is bit-exact', async (_m, _v, c) => {
    const golden = fs.readFileSync(path.join(SHARED_GOLDEN, c.model, `${c.vector}.bin`));
    const tensor = await preprocessImage(c.source!.file, presetForModel(c.model), c.spec, { int8Pixels: c.source!.int8Pixels });
    expect(tensor.length).toBe(golden.length);
    let differing = 0;
    for (let i = 0; i < golden.length; i++) if (tensor[i] !== golden[i]) differing++;
    expect(differing).toBe(0);
  });
});
