// A folder of raw input tensors (`*.bin`, the model input's bytes), optionally labelled by an MLPerf Tiny list
// `<file>.bin,<class count>,<label>[,…]` (benchmark/evaluation/datasets/*/y_labels.csv, e.g. `ic01_y_labels.csv`
// beside the files; ad01 rows carry two more columns). Size is checked against the model at preparation.
import * as path from 'path';
import { readCsv } from './csv';
import { DatasetError } from './errors';
import { BROKEN_LINK_REASON, listEntries } from './files';
import { Dataset, Sample, SkippedSample, recordSkip } from './types';

export interface TensorFolderOptions { labelsFile?: string; }

/** MLPerf Tiny's label list beside the tensors: `*_y_labels.csv` or `y_labels.csv`. */
export function findMlperfLabels(dir: string): string | undefined {
  return listEntries(dir).find((e) => e.kind === 'file' && /(^|_)y_labels\.csv$/i.test(e.name))?.path;
}

interface LabelList { labels: Map<string, number>; classes: Map<string, number>; }

/** Rows that do not parse are skipped with their reason (a bad row must not abort a whole evaluation). */
function readLabelList(file: string, root: string, skipped: SkippedSample[]): LabelList {
  const labels = new Map<string, number>();
  const classes = new Map<string, number>();
  const table = readCsv(file, false);
  for (const [i, row] of table.rows.entries()) {
    const [name, count, label] = [row[0] ?? '', Number(row[1]), Number(row[2])];
    if (row.length < 3 || !name.endsWith('.bin') || !Number.isInteger(count) || count < 1 || !Number.isInteger(label) || label < 0 || label >= count) {
      recordSkip(skipped, { file: path.join(root, name || `${path.basename(file)}:${table.lines[i]}`), reason: `line ${table.lines[i]} of ${path.basename(file)}: expected '<file>.bin,<class count>,<label>', got '${row.join(',')}'` });
      continue;
    }
    labels.set(name, label);
    classes.set(name, count);
  }
  return { labels, classes };
}

export function loadTensorFolder(root: string, options: TensorFolderOptions = {}): Dataset {
  const entries = listEntries(root);
  const bins = entries.filter((d) => d.kind === 'file' && d.name.endsWith('.bin')).map((d) => d.name);
  if (bins.length === 0) throw new DatasetError(root, 'no .bin tensor files found');
  const skipped: SkippedSample[] = [];
  for (const e of entries) if (e.kind === 'broken-link') recordSkip(skipped, { file: e.path, reason: BROKEN_LINK_REASON });
  const labelsFile = options.labelsFile ?? findMlperfLabels(root);
  const list = labelsFile ? readLabelList(labelsFile, root, skipped) : undefined;
  const classCounts = list ? [...new Set(list.classes.values())] : [];
  function* samples(): Generator<Sample> {
    for (const bin of bins) {
      const file = path.join(root, bin);
      if (list && !list.labels.has(bin)) {
        if (!skipped.some((s) => s.file === file)) recordSkip(skipped, { file, reason: `not listed in ${path.basename(labelsFile!)}` });
        continue;
      }
      yield { name: bin.slice(0, -4), file, label: list?.labels.get(bin) };
    }
  }
  return { layout: 'tensor-folder', root, samples, skipped, ...(classCounts.length === 1 ? { classCount: classCounts[0] } : {}) };
}
