// A flat folder of images plus a CSV `filename,class_index[,…]` (ImageNet sample, CIFAR sample, VWW test data).
// File names are resolved against the CSV's folder, then its `images/` subfolder. A row that cannot be used (bad
// class index, missing file, a path outside the dataset folder, a repeated file) is skipped with its reason.
import * as path from 'path';
import { column, readCsv } from './csv';
import { DatasetError } from './errors';
import { OUTSIDE_ROOT_REASON, insideRoot, isFile, listEntries } from './files';
import { Dataset, Sample, SkippedSample, recordSkip } from './types';

const FILE_COLUMNS = ['filename', 'file', 'image', 'path'];
const LABEL_COLUMNS = ['class_index', 'label_index', 'label', 'class'];
const NAME_COLUMNS = ['name', 'class_name', 'label', 'synset'];

/** The first CSV in `dir` whose header has a file and a class-index column, or undefined. */
export function findLabelCsv(dir: string): string | undefined {
  const csvs = listEntries(dir).filter((d) => d.kind === 'file' && d.name.toLowerCase().endsWith('.csv')).map((d) => d.path);
  const preferred = csvs.sort((a, b) => Number(path.basename(b) === 'labels.csv') - Number(path.basename(a) === 'labels.csv'));
  return preferred.find((f) => {
    try {
      const t = readCsv(f);
      return column(t, FILE_COLUMNS) >= 0 && column(t, LABEL_COLUMNS) >= 0;
    } catch { return false; }
  });
}

export interface LabelledCsvOptions { csvFile?: string; }

interface Row { rel: string; label: number; }

/** Sample name: the listed path without extension, unless another row has the same one (`a.JPEG`, `a.png`). */
function rowNames(rows: readonly Row[]): Map<string, string> {
  const bare = (rel: string): string => rel.replace(/\.[^./]+$/, '');
  const count = new Map<string, number>();
  for (const r of new Set(rows.map((r) => r.rel))) count.set(bare(r), (count.get(bare(r)) ?? 0) + 1);
  return new Map(rows.map((r) => [r.rel, count.get(bare(r.rel))! > 1 ? r.rel : bare(r.rel)]));
}

export function loadLabelledCsv(root: string, options: LabelledCsvOptions = {}): Dataset {
  const csvFile = options.csvFile ?? findLabelCsv(root);
  if (!csvFile) throw new DatasetError(root, 'no CSV with `filename` and `class_index` columns found');
  const table = readCsv(csvFile);
  const fileCol = column(table, FILE_COLUMNS);
  const labelCol = column(table, LABEL_COLUMNS);
  if (fileCol < 0 || labelCol < 0) {
    throw new DatasetError(csvFile, `header [${table.header.join(', ')}] lacks a file column (${FILE_COLUMNS.join('/')}) or a class index column (${LABEL_COLUMNS.join('/')})`);
  }
  const nameCol = column({ header: table.header.map((h, i) => (i === fileCol || i === labelCol ? '' : h)) }, NAME_COLUMNS); // by name priority
  const base = path.dirname(csvFile);
  const csvName = path.basename(csvFile);
  const classNames: string[] = [];
  const skipped: SkippedSample[] = [];
  const rows: Row[] = [];
  table.rows.forEach((cells, i) => {
    const rel = cells[fileCol] ?? '';
    if (rel === '') { recordSkip(skipped, { file: `${csvFile}:${table.lines[i]}`, reason: `line ${table.lines[i]} of ${csvName} names no file` }); return; }
    const label = Number(cells[labelCol]);
    if (cells[labelCol] === undefined || cells[labelCol] === '' || !Number.isInteger(label) || label < 0) {
      recordSkip(skipped, { file: path.join(base, rel), reason: `line ${table.lines[i]} of ${csvName}: class index '${cells[labelCol] ?? ''}' is not a non-negative integer` });
      return;
    }
    if (nameCol >= 0 && cells[nameCol]) classNames[label] ??= cells[nameCol];
    rows.push({ rel, label });
  });
  const names = rowNames(rows);
  function* samples(): Generator<Sample> {
    const seen = new Set<string>();
    for (const { rel, label } of rows) {
      const inside = [insideRoot(root, base, rel), insideRoot(root, path.join(base, 'images'), rel)];
      if (inside[0] === undefined) { recordSkip(skipped, { file: path.resolve(base, rel), reason: OUTSIDE_ROOT_REASON }); continue; }
      const file = inside.filter((f): f is string => f !== undefined).find(isFile);
      if (!file) { recordSkip(skipped, { file: inside[0], reason: `listed in ${csvName} but missing` }); continue; }
      if (seen.has(rel)) { recordSkip(skipped, { file: `${file} (again)`, reason: `duplicate entry in ${csvName}` }); continue; }
      seen.add(rel);
      yield { name: names.get(rel)!, file, label };
    }
  }
  return { layout: 'labelled-csv', root, classNames: classNames.length > 0 ? Array.from(classNames, (n) => n ?? '') : undefined, samples, skipped };
}
