// CIFAR-style class folders: `<root>/<class name>/*.{jpg,png}`; class index = position in `classNames`
// (default: folder names sorted, which is CIFAR-10's own order).
import * as path from 'path';
import { DatasetError } from './errors';
import { listDir, subdirs } from './files';
import { Dataset, Sample, SkippedSample, isImageFile, recordSkip } from './types';

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
      for (const entry of listDir(path.join(root, cls))) {
        const file = path.join(root, cls, entry.name);
        if (!entry.isFile()) continue;
        if (!isImageFile(entry.name)) { recordSkip(skipped, { file, reason: 'not an image file (by extension)' }); continue; }
        yield { name: `${cls}/${path.basename(entry.name, path.extname(entry.name))}`, file, label: classNames.indexOf(cls) };
      }
    }
  }
  return { layout: 'class-folders', root, classNames, samples, skipped };
}
