// Datasets as careful users hand them over: colliding stems, symlinked subsets, malformed VOC boxes, broken XML,
// bad label rows, list entries that climb out of the dataset folder. Each must be used or skipped with its
// reason, never silently merged, dropped or scored. Built from real shared images and annotations.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHARED_DATASETS } from '../../support/paths';
import { Dataset, Sample, detectDataset, limitSamples } from '../../../harness/data';

const IMAGENET = path.join(SHARED_DATASETS, 'imagenet_sample');
const CIFAR = path.join(SHARED_DATASETS, 'cifar10_test_sample');
const VOC = path.join(SHARED_DATASETS, 'pascal_voc2012_sample');
const all = (d: Dataset): Sample[] => [...d.samples()];
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-hostile-'));
const cifar = (cls: string, i: number): string => path.join(CIFAR, 'test', cls, `${String(i).padStart(4, '0')}.jpg`);

describe('sample names', () => {
  it('keeps the extension where two files of a class folder share a stem', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'cat'));
    fs.copyFileSync(cifar('cat', 0), path.join(root, 'cat', 'a.JPEG'));
    fs.copyFileSync(cifar('cat', 1), path.join(root, 'cat', 'a.png'));
    fs.copyFileSync(cifar('cat', 2), path.join(root, 'cat', 'b.jpg'));
    const samples = all(detectDataset(root));
    expect(samples.map((s) => s.name)).toEqual(['cat/a.JPEG', 'cat/a.png', 'cat/b']);
    expect(new Set(samples.map((s) => s.file)).size).toBe(3);
  });

  it('keeps the extension where two rows of a labels CSV share a stem', () => {
    const root = tmp();
    fs.copyFileSync(cifar('dog', 0), path.join(root, 'a.JPEG'));
    fs.copyFileSync(cifar('dog', 1), path.join(root, 'a.png'));
    fs.writeFileSync(path.join(root, 'labels.csv'), 'filename,class_index\na.JPEG,5\na.png,5\na.png,5\n');
    const ds = detectDataset(root);
    expect(all(ds).map((s) => s.name)).toEqual(['a.JPEG', 'a.png']);
    expect(ds.skipped.map((s) => s.reason)).toEqual(['duplicate entry in labels.csv']);
  });
});

describe('symbolic links', () => {
  it('follows symlinked images and folders and counts dangling links as skipped', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'cat'));
    fs.symlinkSync(cifar('cat', 0), path.join(root, 'cat', 'linked.jpg'));
    fs.symlinkSync(path.join(root, 'nowhere.jpg'), path.join(root, 'cat', 'dangling.jpg'));
    fs.symlinkSync(path.join(CIFAR, 'test', 'dog'), path.join(root, 'dog'));
    const ds = detectDataset(root);
    const samples = all(ds);
    expect(samples.filter((s) => s.name.startsWith('cat/')).map((s) => s.name)).toEqual(['cat/linked']);
    expect(samples.filter((s) => s.name.startsWith('dog/')).length).toBe(fs.readdirSync(path.join(CIFAR, 'test', 'dog')).length);
    expect(ds.skipped).toEqual([{ file: path.join(root, 'cat', 'dangling.jpg'), reason: expect.stringMatching(/symbolic link/) }]);
  });

  it('follows symlinked tensor files', () => {
    const root = tmp();
    const real = path.join(tmp(), 'x.bin');
    fs.writeFileSync(real, Buffer.alloc(12));
    fs.symlinkSync(real, path.join(root, 'x.bin'));
    expect(all(detectDataset(root)).map((s) => s.name)).toEqual(['x']);
  });
});

/** A VOC devkit of three real annotations; `edit` rewrites the XML text of 2007_000027 (one person, 486×500). */
function vocWith(edit: (xml: string) => string, imageSet?: string): string {
  const root = tmp();
  for (const d of ['Annotations', 'JPEGImages', path.join('ImageSets', 'Main')]) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const id of ['2007_000027', '2007_000032', '2007_000033']) {
    const xml = fs.readFileSync(path.join(VOC, 'Annotations', `${id}.xml`), 'utf8');
    fs.writeFileSync(path.join(root, 'Annotations', `${id}.xml`), id === '2007_000027' ? edit(xml) : xml);
    fs.copyFileSync(path.join(VOC, 'JPEGImages', `${id}.jpg`), path.join(root, 'JPEGImages', `${id}.jpg`));
  }
  if (imageSet) fs.writeFileSync(path.join(root, 'ImageSets', 'Main', 'val.txt'), imageSet);
  return root;
}

describe('malformed VOC annotations are skipped with their reason, never scored', () => {
  const cases: [string, (xml: string) => string, RegExp][] = [
    ['an inverted box (xmin > xmax)', (x) => x.replace('<xmin>174</xmin>', '<xmin>400</xmin>'), /inverted/],
    ['a box far outside the 486×500 image', (x) => x.replace('<xmin>174</xmin>', '<xmin>-5000</xmin>').replace('<xmax>349</xmax>', '<xmax>99999</xmax>'), /outside the image|outside the 486×500 image/],
    ['non-well-formed XML', (x) => x.replace('</size>', ''), /not well-formed XML/],
  ];
  it.each(cases)('%s', (_what, edit, reason) => {
    const ds = detectDataset(vocWith(edit));
    expect(all(ds).map((s) => s.name)).toEqual(['2007_000032', '2007_000033']);
    expect(ds.skipped).toHaveLength(1);
    expect(ds.skipped[0].file).toMatch(/2007_000027\.xml$/);
    expect(ds.skipped[0].reason).toMatch(reason);
    expect(ds.skipped[0].reason).not.toMatch(/<size>/);
  });
});

describe('list entries outside the dataset folder are not read', () => {
  it('labels CSV rows climbing out are skipped even though the file exists', () => {
    const outer = tmp();
    const root = path.join(outer, 'set');
    fs.mkdirSync(root);
    fs.copyFileSync(cifar('cat', 0), path.join(outer, 'secret.jpg'));
    fs.copyFileSync(cifar('cat', 0), path.join(outer, 'secret2.jpg'));
    fs.copyFileSync(cifar('cat', 1), path.join(root, 'ok.jpg'));
    fs.writeFileSync(path.join(root, 'labels.csv'), `filename,class_index\nok.jpg,3\n../secret.jpg,3\n${path.join(outer, 'secret2.jpg')},3\n`);
    const ds = detectDataset(root);
    expect(all(ds).map((s) => s.name)).toEqual(['ok']);
    expect(ds.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/outside the dataset folder/), expect.stringMatching(/outside the dataset folder/)]);
  });

  it('VOC image set entries climbing out are skipped; --image-set picks the list', () => {
    const root = vocWith((x) => x, '2007_000032\n../../../etc/passwd\n2007_000033\n');
    const ds = detectDataset(root, { imageSet: 'val' });
    expect(all(ds).map((s) => s.name)).toEqual(['2007_000032', '2007_000033']);
    expect(ds.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/outside the dataset folder/)]);
    expect(() => detectDataset(root, { imageSet: 'test' })).toThrow(/image set 'test' not found; ImageSets\/Main\/ holds: val/);
    expect(() => detectDataset(path.join(CIFAR, 'test'), { imageSet: 'val' })).toThrow(/Pascal VOC devkits only/);
  });
});

describe('bad label rows are skipped and counted, never fatal', () => {
  it('labels CSV with a non-numeric, a negative and an empty class index', () => {
    const root = tmp();
    for (const f of ['a', 'b', 'c', 'd']) fs.copyFileSync(cifar('cat', 0), path.join(root, `${f}.jpg`));
    fs.writeFileSync(path.join(root, 'labels.csv'), 'filename,class_index\na.jpg,3\nb.jpg,cat\nc.jpg,-1\nd.jpg,\nmissing.jpg,3\n');
    const ds = detectDataset(root);
    expect(all(ds).map((s) => [s.name, s.label])).toEqual([['a', 3]]);
    expect(ds.skipped.map((s) => [path.basename(s.file), s.reason.replace(/^line \d+ of labels\.csv: /, '')])).toEqual([
      ['b.jpg', "class index 'cat' is not a non-negative integer"],
      ['c.jpg', "class index '-1' is not a non-negative integer"],
      ['d.jpg', "class index '' is not a non-negative integer"],
      ['missing.jpg', 'listed in labels.csv but missing'],
    ]);
  });
});

describe('MLPerf Tiny tensor folders', () => {
  it('are recognised with their *_y_labels.csv beside the tensors (real list rows), bad rows skipped', () => {
    const root = tmp();
    const rows = fs.readFileSync(path.join(SHARED_DATASETS, 'mlperf_tiny_perf_lists', 'ic01_y_labels.csv'), 'utf8').trim().split('\n').slice(0, 4);
    for (const r of rows) fs.writeFileSync(path.join(root, r.split(',')[0]), Buffer.alloc(32 * 32 * 3));
    fs.writeFileSync(path.join(root, 'ic01_y_labels.csv'), `${rows.join('\n')}\nbroken.bin,10\n`);
    const ds = detectDataset(root);
    expect(ds.layout).toBe('tensor-folder');
    expect(ds.classCount).toBe(10);
    expect(all(ds).map((s) => [`${s.name}.bin`, s.label]).sort()).toEqual(rows.map((r) => [r.split(',')[0], Number(r.split(',')[2])]).sort());
    expect(ds.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/line 5 of ic01_y_labels\.csv/)]);
  });
});

describe('--synsets names the synset list of ImageNet class folders', () => {
  it('uses the given file where none lies beside the folders', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'n01491361'));
    fs.copyFileSync(path.join(IMAGENET, 'images', 'n01491361_tiger_shark.JPEG'), path.join(root, 'n01491361', 'x.JPEG'));
    expect(() => detectDataset(root)).toThrow(/pass --synsets/);
    const ds = detectDataset(root, { synsetFile: path.join(IMAGENET, 'imagenet_1000_synsets_labels.tsv') });
    expect(all(ds).map((s) => s.label)).toEqual([3]);
    expect(() => detectDataset(root, { synsetFile: path.join(root, 'nope.tsv') })).toThrow(/--synsets: no such file/);
  });
});

describe('--limit draws a stratified, seeded sample', () => {
  const ds = detectDataset(path.join(CIFAR, 'test'));
  const samples = all(ds).filter((s) => s.label! <= 1); // airplane, automobile: a 2-class set in sorted class order
  it('takes every class (sorted order gave only the first)', () => {
    const picked = limitSamples(samples, 10, (s) => s.label);
    expect(picked.filter((s) => s.label === 0)).toHaveLength(5);
    expect(picked.filter((s) => s.label === 1)).toHaveLength(5);
    expect(new Set(limitSamples(samples, 10, (s) => s.label, { order: 'sorted' }).map((s) => s.label))).toEqual(new Set([0]));
  });
  it('is the same draw for the same seed, another for another, and in dataset order', () => {
    const a = limitSamples(samples, 6, (s) => s.label, { seed: 7 }).map((s) => s.name);
    expect(limitSamples(samples, 6, (s) => s.label, { seed: 7 }).map((s) => s.name)).toEqual(a);
    expect(limitSamples(samples, 6, (s) => s.label, { seed: 8 }).map((s) => s.name)).not.toEqual(a);
    expect(a).toEqual([...a].sort((x, y) => samples.findIndex((s) => s.name === x) - samples.findIndex((s) => s.name === y)));
  });
});
