// Small file-system helpers shared by the loaders; all failures become DatasetError naming the path.
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from './errors';

/**
 * A folder entry with symbolic links resolved: users build subsets by symlinking images, so a link counts as what
 * it points to. A dangling link (or one that cannot be followed) is 'broken', so loaders can count it as skipped.
 */
export interface Entry { name: string; path: string; kind: 'file' | 'dir' | 'broken-link' | 'other'; }

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort(byName);
  } catch (e) {
    throw new DatasetError(dir, `cannot list the folder (${(e as Error).message}); pass an existing dataset folder`);
  }
}

/** The folder's entries in name order, symbolic links followed. */
export function listEntries(dir: string): Entry[] {
  return listDir(dir).map((d) => {
    const p = path.join(dir, d.name);
    if (d.isFile()) return { name: d.name, path: p, kind: 'file' };
    if (d.isDirectory()) return { name: d.name, path: p, kind: 'dir' };
    if (!d.isSymbolicLink()) return { name: d.name, path: p, kind: 'other' };
    try {
      const target = fs.statSync(p);
      return { name: d.name, path: p, kind: target.isFile() ? 'file' : target.isDirectory() ? 'dir' : 'other' };
    } catch {
      return { name: d.name, path: p, kind: 'broken-link' };
    }
  });
}

export const BROKEN_LINK_REASON = 'symbolic link whose target is missing or unreadable';

export function subdirs(dir: string): string[] {
  return listEntries(dir).filter((d) => d.kind === 'dir').map((d) => d.name);
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DatasetError(file, `cannot read the file (${(e as Error).message})`);
  }
}

export function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

export function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

/** Lines of a text file without blanks or trailing whitespace. */
export function readLines(file: string): string[] {
  return readText(file).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

export function stem(file: string): string {
  return path.basename(file, path.extname(file));
}

/**
 * Resolves a path a list file names (labels CSV row, VOC image set entry, annotation <filename>) against `base`;
 * undefined when it climbs out of `root` (`../../etc/passwd`, an absolute path elsewhere). The check is on the
 * text, not on symlink targets: a symlinked image inside the root is the user's choice and is followed.
 */
export function insideRoot(root: string, base: string, listed: string): string | undefined {
  const resolved = path.resolve(base, listed);
  const rel = path.relative(path.resolve(root), resolved);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : resolved;
}

export const OUTSIDE_ROOT_REASON = 'listed path lies outside the dataset folder; not read';

/**
 * Sample names for files of one folder: the stem, unless two files share it (`a.JPEG`, `a.png`), then the file
 * name with its extension, so every sample keeps a name (and an outputs file) of its own.
 */
export function sampleNames(files: readonly string[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const f of files) count.set(stem(f), (count.get(stem(f)) ?? 0) + 1);
  return new Map(files.map((f) => [f, count.get(stem(f))! > 1 ? path.basename(f) : stem(f)]));
}
