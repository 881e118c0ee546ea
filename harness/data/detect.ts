// Recognises which supported layout a folder holds and opens it with the matching loader.
import * as path from 'path';
import { DatasetError } from './errors';
import { isDir, isFile, listEntries } from './files';
import { SYNSET_RE, loadImagenetFolders } from './imagenet';
import { findLabelCsv, loadLabelledCsv } from './labelled-csv';
import { loadClassFolders } from './class-folders';
import { findMlperfLabels, loadTensorFolder } from './tensor-folder';
import { loadVoc, resolveVocRoot } from './voc';
import { Dataset, isImageFile } from './types';

export const EXPECTED_LAYOUTS = [
  'Pascal VOC devkit (Annotations/*.xml + JPEGImages/, or VOCdevkit/VOC20xx/)',
  'images + labels CSV with filename,class_index columns',
  'ImageNet synset folders (nXXXXXXXX/*.JPEG)',
  'class folders (<class>/*.jpg|png)',
  'raw tensor files (*.bin), labelled by an MLPerf Tiny *_y_labels.csv beside them',
];

/** What the user may say about a dataset that its layout alone cannot tell. */
export interface DatasetOptions {
  /** ImageNet class folders: the synset list giving each folder its class index (`--synsets`). */
  synsetFile?: string;
  /** Pascal VOC: the `ImageSets/Main/<name>.txt` list to evaluate (`--image-set`). */
  imageSet?: string;
}

function checkFile(file: string, flag: string): void {
  if (!isFile(file)) throw new DatasetError(file, `${flag}: no such file`);
}

export function detectDataset(dir: string, options: DatasetOptions = {}): Dataset {
  const root = path.resolve(dir);
  if (!isDir(root)) throw new DatasetError(root, 'is not a folder; pass a dataset folder');
  if (options.synsetFile) checkFile(options.synsetFile, '--synsets');
  const voc = resolveVocRoot(root);
  if (options.imageSet && !voc) throw new DatasetError(root, `--image-set ${options.imageSet} applies to Pascal VOC devkits only; this folder is not one`);
  if (voc) return loadVoc(root, { imageSet: options.imageSet });
  if (findLabelCsv(root)) return loadLabelledCsv(root);
  const entries = listEntries(root);
  const dirs = entries.filter((d) => d.kind === 'dir').map((d) => d.name);
  if (dirs.some((d) => SYNSET_RE.test(d))) return loadImagenetFolders(root, { synsetFile: options.synsetFile });
  if (options.synsetFile) throw new DatasetError(root, '--synsets applies to ImageNet synset folders (nXXXXXXXX/); this folder has none');
  const classDirs = dirs.filter((d) => listEntries(path.join(root, d)).some((e) => e.kind === 'file' && isImageFile(e.name)));
  if (classDirs.length > 0) return loadClassFolders(root);
  if (entries.some((e) => e.kind === 'file' && e.name.endsWith('.bin'))) return loadTensorFolder(root);
  const found = entries.slice(0, 8).map((e) => (e.kind === 'dir' ? `${e.name}/` : e.name));
  const mlperf = findMlperfLabels(root) ? ` (${path.basename(findMlperfLabels(root)!)} lists tensors, but none of its .bin files is here: copy the EEMBC/MLPerf Tiny inputs beside it)` : '';
  throw new DatasetError(root,
    `no supported dataset layout${mlperf}. Expected one of: ${EXPECTED_LAYOUTS.join('; ')}. ` +
    `Found: ${found.length === 0 ? 'an empty folder' : found.join(', ') + (entries.length > 8 ? `, … (${entries.length} entries)` : '')}`);
}
