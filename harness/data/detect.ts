// Recognises which supported layout a folder holds and opens it with the matching loader.
import * as path from 'path';
import { DatasetError } from './errors';
import { isDir, listDir } from './files';
import { SYNSET_RE, loadImagenetFolders } from './imagenet';
import { findLabelCsv, loadLabelledCsv } from './labelled-csv';
import { loadClassFolders } from './class-folders';
import { loadTensorFolder } from './tensor-folder';
import { loadVoc, resolveVocRoot } from './voc';
import { Dataset, isImageFile } from './types';

export const EXPECTED_LAYOUTS = [
  'Pascal VOC devkit (Annotations/*.xml + JPEGImages/, or VOCdevkit/VOC20xx/)',
  'images + labels CSV with filename,class_index columns',
  'ImageNet synset folders (nXXXXXXXX/*.JPEG)',
  'class folders (<class>/*.jpg|png)',
  'raw tensor files (*.bin)',
];

export function detectDataset(dir: string): Dataset {
  const root = path.resolve(dir);
  if (!isDir(root)) throw new DatasetError(root, 'is not a folder; pass a dataset folder');
  if (resolveVocRoot(root)) return loadVoc(root);
  if (findLabelCsv(root)) return loadLabelledCsv(root);
  const entries = listDir(root);
  const dirs = entries.filter((d) => d.isDirectory()).map((d) => d.name);
  if (dirs.some((d) => SYNSET_RE.test(d))) return loadImagenetFolders(root);
  const classDirs = dirs.filter((d) => listDir(path.join(root, d)).some((e) => e.isFile() && isImageFile(e.name)));
  if (classDirs.length > 0) return loadClassFolders(root);
  if (entries.some((e) => e.isFile() && e.name.endsWith('.bin'))) return loadTensorFolder(root);
  const found = entries.slice(0, 8).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
  throw new DatasetError(root,
    `no supported dataset layout. Expected one of: ${EXPECTED_LAYOUTS.join('; ')}. ` +
    `Found: ${found.length === 0 ? 'an empty folder' : found.join(', ') + (entries.length > 8 ? `, … (${entries.length} entries)` : '')}`);
}
