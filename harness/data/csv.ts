// Label CSVs read with csv-parse (RFC 4180: quoted fields with commas, quotes and line breaks, a BOM, CRLF); an
// optional header row names the columns.
import { parse } from 'csv-parse/sync';
import { DatasetError } from './errors';
import { readText } from './files';

export interface CsvTable {
  /** Lower-cased column names; [] without a header row. */
  header: string[];
  rows: string[][];
  /** The file line each row starts on (1-based), for error messages. */
  lines: number[];
}

export function readCsv(file: string, hasHeader = true): CsvTable {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(readText(file), { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (err) {
    throw new DatasetError(file, `not a readable CSV (${(err as Error).message})`);
  }
  const rows = records.map((r) => r.record);
  const lines = records.map((r) => r.info.lines);
  if (!hasHeader) return { header: [], rows, lines };
  if (rows.length === 0) throw new DatasetError(file, 'the CSV is empty; expected a header row such as `filename,class_index`');
  return { header: rows[0].map((h) => h.toLowerCase()), rows: rows.slice(1), lines: lines.slice(1) };
}

/** Index of the first header name present, or -1. */
export function column(table: Pick<CsvTable, 'header'>, names: string[]): number {
  for (const n of names) {
    const i = table.header.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}
