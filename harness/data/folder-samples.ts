// The images of one class folder as samples: symlinks followed, non-images and dangling links counted as skipped,
// names unique even where two files share a stem.
import { BROKEN_LINK_REASON, listEntries, sampleNames } from './files';
import { Sample, SkippedSample, isImageFile, recordSkip } from './types';

export function* folderSamples(dir: string, prefix: string, label: number, skipped: SkippedSample[]): Generator<Sample> {
  const images: string[] = [];
  for (const entry of listEntries(dir)) {
    if (entry.kind === 'broken-link') recordSkip(skipped, { file: entry.path, reason: BROKEN_LINK_REASON });
    else if (entry.kind !== 'file') continue;
    else if (!isImageFile(entry.name)) recordSkip(skipped, { file: entry.path, reason: 'not an image file (by extension)' });
    else images.push(entry.path);
  }
  const names = sampleNames(images);
  for (const file of images) yield { name: `${prefix}/${names.get(file)}`, file, label };
}
