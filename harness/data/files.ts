// Small file-system helpers shared by the loaders; all failures become DatasetError naming the path.
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from './errors';

export function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    throw new DatasetError(dir, `cannot list the folder (${(e as Error).message}); pass an existing dataset folder`);
  }
}

export function subdirs(dir: string): string[] {
  return listDir(dir).filter((d) => d.isDirectory()).map((d) => d.name);
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
