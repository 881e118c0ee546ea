// A content hash over everything a firmware build reads, so an unchanged build is served from the cache.
import { createHash, type Hash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export class ContentHasher {
  private readonly hash: Hash = createHash('sha256');

  /** A labelled value (options, tool versions); the label keeps fields from running into each other. */
  addValue(label: string, value: unknown): this {
    this.hash.update(`${label}\0${JSON.stringify(value)}\0`);
    return this;
  }

  addFile(file: string, label = file): this {
    this.hash.update(`file\0${label}\0`);
    this.hash.update(fs.readFileSync(file));
    this.hash.update('\0');
    return this;
  }

  /** Every file below dir (recursive, sorted), labelled by its path relative to dir. */
  addTree(dir: string, label = dir): this {
    for (const file of listFiles(dir)) this.addFile(path.join(dir, file), `${label}/${file}`);
    return this;
  }

  digest(): string {
    return this.hash.digest('hex').slice(0, 24);
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}
