// Which samples this session evaluates: the dataset's stable order, cut to the first `limit`, minus the samples a
// resumed journal already holds and the ones the task cannot score (recorded as skipped, like unreadable files).
import { Dataset, Sample, recordSkip } from '../data';
import { Task, unusableForTask } from './pipeline-task';

export interface Selection {
  /** A view of the dataset yielding only the samples still to run; shares `skipped` with the original. */
  pending: Dataset;
  /** Position of every selected sample in the dataset order (done ones included). */
  indexOf: Map<string, number>;
  /** Samples selected in total (done + pending), before decoding. */
  total: number;
  /** Of those, already in the journal. */
  done: number;
}

export function selectSamples(dataset: Dataset, task: Task, done: ReadonlySet<string>, limit?: number): Selection {
  const chosen: Sample[] = [];
  for (const sample of dataset.samples()) {
    if (limit !== undefined && chosen.length >= limit) break;
    const problem = unusableForTask(task, sample);
    if (problem) { recordSkip(dataset.skipped, { file: sample.file, reason: problem }); continue; }
    chosen.push(sample);
  }
  const indexOf = new Map(chosen.map((s, i) => [s.name, i]));
  const pendingSamples = chosen.filter((s) => !done.has(s.name));
  const pending: Dataset = { ...dataset, samples: function* () { yield* pendingSamples; } };
  return { pending, indexOf, total: chosen.length, done: chosen.length - pendingSamples.length };
}
