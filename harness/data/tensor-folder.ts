// A folder of raw input tensors (`*.bin`, the model input's bytes), optionally labelled by an MLPerf Tiny style
// list `file.bin,<class count>,<label>` (e.g. ic01_y_labels.csv). Size is checked against the model at preparation.
import * as path from 'path';
import { readCsv } from './csv';
import { DatasetError } from './errors';
import { listDir } from './files';
import { Dataset, Sample, SkippedSample, recordSkip } from './types';

export interface TensorFolderOptions { labelsFile?: string; }

export function loadTensorFolder(root: string, options: TensorFolderOptions = {}): Dataset {
  const bins = listDir(root).filter((d) => d.isFile() && d.name.endsWith('.bin')).map((d) => d.name);
  if (bins.length === 0) throw new DatasetError(root, 'no .bin tensor files found');
  const labels = new Map<string, number>();
  if (options.labelsFile) {
    const table = readCsv(options.labelsFile, false);
    for (const [i, row] of table.rows.entries()) {
      const label = Number(row[row.length - 1]);
      if (row.length < 2 || !Number.isInteger(label)) throw new DatasetError(options.labelsFile, `line ${table.lines[i]}: expected 'file.bin,...,label'`);
      labels.set(row[0], label);
    }
  }
  const skipped: SkippedSample[] = [];
  function* samples(): Generator<Sample> {
    for (const bin of bins) {
      const file = path.join(root, bin);
      if (options.labelsFile && !labels.has(bin)) { recordSkip(skipped, { file, reason: `not listed in ${path.basename(options.labelsFile)}` }); continue; }
      yield { name: bin.slice(0, -4), file, label: labels.get(bin) };
    }
  }
  return { layout: 'tensor-folder', root, samples, skipped };
}
