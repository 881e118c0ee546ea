// Loaders on the real shared datasets; every expected count is derived independently (directory listings, raw
// XML text, the label files), not from the loader.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHARED_DATASETS, SHARED_MODELS } from '../../support/paths';
import {
  Dataset, DatasetError, Sample, detectDataset, loadClassFolders, loadImagenetFolders, loadTensorFolder, loadVoc,
} from '../../../harness/data';

const IMAGENET = path.join(SHARED_DATASETS, 'imagenet_sample');
const CIFAR = path.join(SHARED_DATASETS, 'cifar10_test_sample');
const VOC = path.join(SHARED_DATASETS, 'pascal_voc2012_sample');
const VWW = path.join(SHARED_DATASETS, 'vww_person_detection_testdata');

const all = (d: Dataset): Sample[] => [...d.samples()];
const lines = (f: string): string[] => fs.readFileSync(f, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-data-'));

describe('ImageNet sample (flat folder + labels.csv)', () => {
  const ds = detectDataset(IMAGENET);
  const samples = all(ds);

  it('is recognised as labelled CSV with one sample per image file', () => {
    expect(ds.layout).toBe('labelled-csv');
    expect(samples.length).toBe(fs.readdirSync(path.join(IMAGENET, 'images')).length);
    expect(samples.length).toBe(334);
    expect(ds.skipped).toEqual([]);
  });

  it('labels every image with the index its synset has in the 1000-class list', () => {
    const index = new Map(lines(path.join(IMAGENET, 'imagenet_1000_synsets_labels.tsv')).slice(1).map((l) => {
      const [i, synset] = l.split('\t');
      return [synset, Number(i)] as const;
    }));
    for (const s of samples) expect(s.label).toBe(index.get(path.basename(s.file).slice(0, 9)));
    expect(samples[0]).toMatchObject({ name: 'n01440764_tench', label: 0 });
    expect(ds.classNames?.[999]).toBe('toilet_tissue'); // from the `name` column, not `synset`
  });
});

describe('ImageNet synset folders', () => {
  it('takes class indices from the synset list, not from folder order', () => {
    const root = tmp();
    const picks = ['n01440764_tench.JPEG', 'n01491361_tiger_shark.JPEG', 'n15075141_toilet_tissue.JPEG'];
    for (const p of picks) {
      const dir = path.join(root, 'val', p.slice(0, 9));
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(IMAGENET, 'images', p), path.join(dir, `ILSVRC_${p}`));
    }
    fs.writeFileSync(path.join(root, 'val', 'n01440764', 'notes.txt'), 'not an image');
    fs.copyFileSync(path.join(IMAGENET, 'imagenet_1000_synsets_labels.tsv'), path.join(root, 'synsets.tsv'));
    const ds = detectDataset(path.join(root, 'val'));
    expect(ds.layout).toBe('imagenet-folders');
    expect(all(ds).map((s) => s.label)).toEqual([0, 3, 999]); // tsv rows: tench 0, tiger shark 3, toilet tissue 999
    expect(ds.classNames?.[999]).toBe('toilet_tissue');
    all(ds); // a second pass must not list the skip twice
    expect(ds.skipped.map((s) => path.basename(s.file))).toEqual(['notes.txt']);
  });

  it('refuses folders without a synset list, saying what to pass', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'n01440764'));
    expect(() => loadImagenetFolders(root)).toThrow(/pass --synsets <file>/);
  });
});

describe('CIFAR-10 sample', () => {
  const cifarNames = lines(path.join(SHARED_MODELS, 'labels', 'cifar10_labels.txt'));
  const expectedFiles = cifarNames.flatMap((c) => fs.readdirSync(path.join(CIFAR, 'test', c)).map((f) => `${c}/${f}`));

  it('as labels.csv: 500 images, label = CIFAR-10 index of the folder', () => {
    const samples = all(detectDataset(CIFAR));
    expect(samples.length).toBe(expectedFiles.length);
    expect(samples.length).toBe(500);
    for (const s of samples) expect(s.label).toBe(cifarNames.indexOf(path.basename(path.dirname(s.file))));
  });

  it('as class folders: same 500 images and labels, 10 classes in CIFAR order', () => {
    const ds = detectDataset(path.join(CIFAR, 'test'));
    expect(ds.layout).toBe('class-folders');
    expect(ds.classNames).toEqual(cifarNames);
    const samples = all(ds);
    expect(samples.map((s) => s.name).sort()).toEqual(expectedFiles.map((f) => f.replace('.jpg', '')).sort());
    for (const s of samples) expect(s.label).toBe(cifarNames.indexOf(s.name.split('/')[0]));
  });

  it('rejects class folders that are not among the given class names', () => {
    expect(() => loadClassFolders(path.join(CIFAR, 'test'), { classNames: ['airplane'] })).toThrow(/not among the class names: automobile/);
  });
});

describe('Pascal VOC 2012 sample', () => {
  const xmlDir = path.join(VOC, 'Annotations');
  const xmls = fs.readdirSync(xmlDir).map((f) => fs.readFileSync(path.join(xmlDir, f), 'utf8'));
  const count = (re: RegExp): number => xmls.reduce((n, x) => n + (x.match(re) ?? []).length, 0);
  const ds = detectDataset(VOC);
  const samples = all(ds);
  const boxes = samples.flatMap((s) => s.boxes ?? []);

  it('has one sample per annotation, each with its JPEG', () => {
    expect(ds.layout).toBe('voc');
    expect(samples.length).toBe(fs.readdirSync(path.join(VOC, 'JPEGImages')).length);
    expect(samples.length).toBe(100);
    for (const s of samples) expect(path.basename(s.file)).toBe(`${s.name}.jpg`);
  });

  it('reads every object with its difficult flag (273 boxes, 38 difficult)', () => {
    expect(boxes.length).toBe(count(/<object>/g));
    expect(boxes.length).toBe(273);
    expect(boxes.filter((b) => b.difficult).length).toBe(count(/<difficult>1<\/difficult>/g));
    expect(boxes.filter((b) => b.difficult).length).toBe(38);
    expect(boxes.filter((b) => b.truncated).length).toBe(count(/<truncated>1<\/truncated>/g));
  });

  it('covers all 20 classes; person appears in 41 images', () => {
    expect(new Set(boxes.map((b) => b.className)).size).toBe(20);
    expect(samples.filter((s) => s.boxes!.some((b) => b.className === 'person')).length).toBe(xmls.filter((x) => x.includes('<name>person</name>')).length);
    expect(samples.filter((s) => s.boxes!.some((b) => b.className === 'person')).length).toBe(41);
  });

  it('parses coordinates and sizes of 2007_000027 (one person, 486×500)', () => {
    expect(samples[0]).toMatchObject({ name: '2007_000027', width: 486, height: 500 });
    expect(samples[0].boxes).toEqual([{ className: 'person', classIndex: 14, xmin: 174, ymin: 101, xmax: 349, ymax: 351, difficult: false, truncated: false }]);
  });

  it('follows ImageSets/Main/<set>.txt and records broken annotations as skipped', () => {
    const root = tmp();
    for (const d of ['Annotations', 'JPEGImages', path.join('ImageSets', 'Main')]) fs.mkdirSync(path.join(root, 'VOCdevkit', 'VOC2012', d), { recursive: true });
    const voc = path.join(root, 'VOCdevkit', 'VOC2012');
    for (const id of ['2007_000027', '2007_000032']) {
      fs.copyFileSync(path.join(VOC, 'Annotations', `${id}.xml`), path.join(voc, 'Annotations', `${id}.xml`));
      fs.copyFileSync(path.join(VOC, 'JPEGImages', `${id}.jpg`), path.join(voc, 'JPEGImages', `${id}.jpg`));
    }
    fs.writeFileSync(path.join(voc, 'Annotations', 'broken.xml'), '<annotation><object><name>unicorn</name></object></annotation>');
    fs.writeFileSync(path.join(voc, 'ImageSets', 'Main', 'val.txt'), '2007_000032\nbroken\n');
    const ds = loadVoc(path.join(root, 'VOCdevkit'), { imageSet: 'val' });
    expect(all(ds).map((s) => s.name)).toEqual(['2007_000032']);
    expect(ds.skipped).toEqual([{ file: path.join(voc, 'Annotations', 'broken.xml'), reason: expect.stringContaining("'unicorn'") }]);
    expect(() => loadVoc(voc, { imageSet: 'test' })).toThrow(/image set 'test' not found/);
  });
});

describe('VWW person test data and tensor folders', () => {
  it('reads the three labelled VWW images', () => {
    const samples = all(detectDataset(VWW));
    const csv = lines(path.join(VWW, 'labels.csv')).slice(1).map((l) => l.split(','));
    expect(samples.map((s) => [path.basename(s.file), s.label])).toEqual(csv.map(([f, l]) => [f, Number(l)]));
  });

  it('reads .bin tensors with an MLPerf-style label list, skipping unlisted files', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'emu_s_002009.bin'), Buffer.alloc(3072));
    fs.writeFileSync(path.join(root, 'taxi_s_001241.bin'), Buffer.alloc(3072));
    fs.writeFileSync(path.join(root, 'extra.bin'), Buffer.alloc(3072));
    const list = path.join(SHARED_DATASETS, 'mlperf_tiny_perf_lists', 'ic01_y_labels.csv'); // emu → 2, taxi → 1
    expect(detectDataset(root).layout).toBe('tensor-folder');
    const ds = loadTensorFolder(root, { labelsFile: list });
    expect(all(ds).map((s) => [s.name, s.label])).toEqual([['emu_s_002009', 2], ['taxi_s_001241', 1]]);
    expect(ds.skipped.map((s) => path.basename(s.file))).toEqual(['extra.bin']);
  });
});

describe('detectDataset on folders it cannot read', () => {
  it('names the expected layouts and what it found (MLPerf list folder)', () => {
    const dir = path.join(SHARED_DATASETS, 'mlperf_tiny_perf_lists');
    let error: unknown;
    try { detectDataset(dir); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).name).toBe('DatasetError');
    expect((error as Error).message).toMatch(/Expected one of: Pascal VOC devkit.*raw tensor files/);
    expect((error as Error).message).toContain('Found: ad01_y_labels.csv, ic01_perf_samples_idxs.npy');
  });

  it('rejects a missing path and an empty folder', () => {
    expect(() => detectDataset(path.join(tmp(), 'nope'))).toThrow(/is not a folder/);
    expect(() => detectDataset(tmp())).toThrow(/Found: an empty folder/);
  });
});
