// Label CSVs in this bench are simple (no quoted commas); a header row names the columns.
import { DatasetError } from './errors';
import { readLines } from './files';

export interface CsvTable { header: string[]; rows: string[][]; }

export function readCsv(file: string, hasHeader = true): CsvTable {
  const lines = readLines(file);
  const split = (l: string): string[] => l.split(',').map((c) => c.trim());
  if (lines.some((l) => l.includes('"'))) {
    throw new DatasetError(file, 'quoted CSV fields are not supported; write plain `filename,class_index` rows');
  }
  if (!hasHeader) return { header: [], rows: lines.map(split) };
  if (lines.length === 0) throw new DatasetError(file, 'the CSV is empty; expected a header row such as `filename,class_index`');
  return { header: split(lines[0]).map((h) => h.toLowerCase()), rows: lines.slice(1).map(split) };
}

/** Index of the first header name present, or -1. */
export function column(table: CsvTable, names: string[]): number {
  for (const n of names) {
    const i = table.header.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}
