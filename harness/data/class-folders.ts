// CIFAR-style class folders: `<root>/<class name>/*.{jpg,png}`; class index = position in `classNames`
// (default: folder names sorted, which is CIFAR-10's own order).
import * as path from 'path';
import { DatasetError } from './errors';
import { subdirs } from './files';
import { folderSamples } from './folder-samples';
import { Dataset, Sample, SkippedSample } from './types';

export interface ClassFolderOptions { classNames?: readonly string[]; }

export function loadClassFolders(root: string, options: ClassFolderOptions = {}): Dataset {
  const folders = subdirs(root);
  if (folders.length === 0) throw new DatasetError(root, 'no class folders found; expected <root>/<class>/*.jpg');
  const classNames = [...(options.classNames ?? folders)];
  const stray = folders.filter((f) => !classNames.includes(f));
  if (stray.length > 0) throw new DatasetError(root, `folders not among the class names: ${stray.slice(0, 5).join(', ')}`);
  const skipped: SkippedSample[] = [];
  function* samples(): Generator<Sample> {
    for (const cls of classNames) {
      if (!folders.includes(cls)) continue;
      yield* folderSamples(path.join(root, cls), cls, classNames.indexOf(cls), skipped);
    }
  }
  return { layout: 'class-folders', root, classNames, samples, skipped };
}
