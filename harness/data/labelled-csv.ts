// A flat folder of images plus a CSV `filename,class_index[,…]` (ImageNet sample, CIFAR sample, VWW test data).
// File names are resolved against the CSV's folder, then its `images/` subfolder.
import * as path from 'path';
import { column, readCsv } from './csv';
import { DatasetError } from './errors';
import { isFile, listDir } from './files';
import { Dataset, Sample, SkippedSample, recordSkip } from './types';

const FILE_COLUMNS = ['filename', 'file', 'image', 'path'];
const LABEL_COLUMNS = ['class_index', 'label_index', 'label', 'class'];
const NAME_COLUMNS = ['name', 'class_name', 'label', 'synset'];

/** The first CSV in `dir` whose header has a file and a class-index column, or undefined. */
export function findLabelCsv(dir: string): string | undefined {
  const csvs = listDir(dir).filter((d) => d.isFile() && d.name.toLowerCase().endsWith('.csv')).map((d) => path.join(dir, d.name));
  const preferred = csvs.sort((a, b) => Number(path.basename(b) === 'labels.csv') - Number(path.basename(a) === 'labels.csv'));
  return preferred.find((f) => {
    try {
      const t = readCsv(f);
      return column(t, FILE_COLUMNS) >= 0 && column(t, LABEL_COLUMNS) >= 0;
    } catch { return false; }
  });
}

export interface LabelledCsvOptions { csvFile?: string; }

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
  const classNames: string[] = [];
  const skipped: SkippedSample[] = [];
  const rows = table.rows.map((cells, i) => {
    const label = Number(cells[labelCol]);
    if (!Number.isInteger(label) || label < 0) throw new DatasetError(csvFile, `line ${table.lines[i]}: class index '${cells[labelCol]}' is not a non-negative integer`);
    if (nameCol >= 0 && cells[nameCol]) classNames[label] ??= cells[nameCol];
    return { rel: cells[fileCol], label };
  });
  function* samples(): Generator<Sample> {
    const seen = new Set<string>();
    for (const { rel, label } of rows) {
      const file = [path.join(base, rel), path.join(base, 'images', rel)].find(isFile);
      if (!file) { recordSkip(skipped, { file: path.join(base, rel), reason: `listed in ${path.basename(csvFile!)} but missing` }); continue; }
      const name = rel.replace(/\.[^./]+$/, '');
      if (seen.has(name)) { recordSkip(skipped, { file, reason: `duplicate entry in ${path.basename(csvFile!)}` }); continue; }
      seen.add(name);
      yield { name, file, label };
    }
  }
  return { layout: 'labelled-csv', root, classNames: classNames.length > 0 ? Array.from(classNames, (n) => n ?? '') : undefined, samples, skipped };
}
