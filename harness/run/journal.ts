// Append-only JSON-lines journal of per-sample results, so an interrupted evaluation can resume.
// Durability: each record is one `write` of a complete line followed by fsync, so after a crash the file holds
// every acknowledged record plus at most one torn (unterminated) last line. Reading drops that torn tail;
// opening for append truncates it first, so the next record never gets glued onto garbage. Only
// newline-terminated lines count. Duplicate sample names are ignored on read (first wins): a resumed run that
// repeats a sample can never count it twice.
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../errors';

export interface JournalRecord { sample: string; [field: string]: unknown; }

export interface JournalContents<T extends JournalRecord> {
  records: T[];
  /** Names of the recorded samples, for skipping them on resume. */
  done: Set<string>;
  /** An unterminated last line was dropped (the writer was killed mid-write). */
  torn: boolean;
  /** Lines ignored because their sample was already recorded earlier in the file. */
  duplicates: number;
}

export class JournalError extends UserError {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'JournalError';
  }
}

function parseLines<T extends JournalRecord>(file: string, text: string): JournalContents<T> {
  const lastNewline = text.lastIndexOf('\n');
  const complete = lastNewline < 0 ? '' : text.slice(0, lastNewline);
  const torn = text.length > lastNewline + 1;
  const records: T[] = [];
  const done = new Set<string>();
  let duplicates = 0;
  const lines = complete === '' ? [] : complete.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new JournalError(file, `line ${i + 1} is not valid JSON although later lines follow; the journal is corrupt (move it away to start over)`);
    }
    if (typeof value !== 'object' || value === null || typeof (value as JournalRecord).sample !== 'string') {
      throw new JournalError(file, `line ${i + 1} has no string "sample" field`);
    }
    const record = value as T;
    if (done.has(record.sample)) { duplicates++; return; }
    done.add(record.sample);
    records.push(record);
  });
  return { records, done, torn, duplicates };
}

/** Reads a journal; a missing file is an empty journal. */
export function readJournal<T extends JournalRecord = JournalRecord>(file: string): JournalContents<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], done: new Set(), torn: false, duplicates: 0 };
    throw new JournalError(file, `cannot read (${(e as Error).message})`);
  }
  return parseLines<T>(file, text);
}

export class Journal<T extends JournalRecord = JournalRecord> {
  private constructor(readonly file: string, private fd: number | undefined, readonly existing: JournalContents<T>) {}

  /** Opens (creating if needed) for appending; drops a torn last line left by a killed writer. */
  static open<T extends JournalRecord = JournalRecord>(file: string): Journal<T> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const existing = readJournal<T>(file);
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT);
    if (existing.torn) {
      const text = fs.readFileSync(fd, 'utf8');
      fs.ftruncateSync(fd, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
      fs.fsyncSync(fd);
    }
    return new Journal<T>(file, fd, existing);
  }

  /** Writes one record as one line and fsyncs before returning. */
  append(record: T): void {
    if (this.fd === undefined) throw new JournalError(this.file, 'append after close');
    if (typeof record.sample !== 'string' || record.sample === '') throw new JournalError(this.file, 'every record needs a non-empty "sample" name');
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    const end = fs.fstatSync(this.fd).size; // explicit position: O_APPEND is not portable with positional writes
    let written = 0;
    while (written < line.length) written += fs.writeSync(this.fd, line, written, line.length - written, end + written);
    fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
