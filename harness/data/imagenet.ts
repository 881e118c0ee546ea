// ImageNet validation set laid out as synset folders: `<root>/nXXXXXXXX/*.JPEG`.
// Class indices come from a synset list, because folder order alone cannot tell which of the 1000 classes a
// partial set holds.
import * as path from 'path';
import { DatasetError } from './errors';
import { listEntries, readLines, subdirs } from './files';
import { folderSamples } from './folder-samples';
import { Dataset, Sample, SkippedSample } from './types';

export const SYNSET_RE = /^n\d{8}$/;

export interface SynsetIndex { indexOf: Map<string, number>; names: string[]; }

/**
 * Reads a synset list in any of the usual forms: one synset per line (`n01440764` or `n01440764 tench`), or a
 * table whose rows hold `index<TAB|,>synset<TAB|,>name` (header optional), like imagenet_1000_synsets_labels.tsv.
 */
export function readSynsetList(file: string): SynsetIndex {
  const indexOf = new Map<string, number>();
  const names: string[] = [];
  let position = 0;
  for (const line of readLines(file)) {
    const cells = line.split(/[\t,]|\s+/).filter((c) => c.length > 0);
    const synsetAt = cells.findIndex((c) => SYNSET_RE.test(c));
    if (synsetAt < 0) continue; // header or comment
    const explicit = synsetAt > 0 && /^\d+$/.test(cells[0]) ? Number(cells[0]) : position;
    indexOf.set(cells[synsetAt], explicit);
    names[explicit] = cells.slice(synsetAt + 1).join(' ') || cells[synsetAt];
    position++;
  }
  if (indexOf.size === 0) throw new DatasetError(file, 'no synset ids (nXXXXXXXX) found; expected one synset per line or index,synset,name rows');
  return { indexOf, names };
}

/** Looks for a synset list beside or above the folders, so the common layouts work without options. */
function findSynsetFile(root: string): string | undefined {
  for (const dir of [root, path.dirname(root)]) {
    const hit = listEntries(dir).find((d) => d.kind === 'file' && /synset/i.test(d.name) && /\.(txt|tsv|csv)$/i.test(d.name));
    if (hit) return hit.path;
  }
  return undefined;
}

export interface ImagenetFolderOptions { synsetFile?: string; }

export function loadImagenetFolders(root: string, options: ImagenetFolderOptions = {}): Dataset {
  const synsetDirs = subdirs(root).filter((d) => SYNSET_RE.test(d));
  if (synsetDirs.length === 0) throw new DatasetError(root, 'no nXXXXXXXX synset folders found; expected <root>/n01440764/*.JPEG');
  const synsetFile = options.synsetFile ?? findSynsetFile(root);
  if (!synsetFile) {
    throw new DatasetError(root, 'no synset list found beside the folders; pass --synsets <file> (e.g. imagenet_1000_synsets_labels.tsv) so class indices are the model\'s');
  }
  const synsets = readSynsetList(synsetFile);
  const unknown = synsetDirs.filter((s) => !synsets.indexOf.has(s));
  if (unknown.length > 0) {
    throw new DatasetError(root, `synset folders not in ${synsetFile}: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`);
  }
  const skipped: SkippedSample[] = [];
  function* samples(): Generator<Sample> {
    for (const synset of synsetDirs) yield* folderSamples(path.join(root, synset), synset, synsets.indexOf.get(synset)!, skipped);
  }
  return { layout: 'imagenet-folders', root, classNames: synsets.names, samples, skipped };
}
