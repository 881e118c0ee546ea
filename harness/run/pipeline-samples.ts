// Which samples this session evaluates: the dataset's stable order, cut to the first `limit`, minus the samples a
// resumed journal already holds and the ones the task cannot score (recorded as skipped, like unreadable files).
import { Dataset, LimitOptions, Sample, limitSamples, recordSkip } from '../data';
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

/** The class a sample is drawn for under a stratified `--limit`: its label, or person presence on VOC. */
function stratum(task: Task, sample: Sample): string | number | undefined {
  if (task.kind === 'classification' && task.labels === 'voc-person') return Number((sample.boxes ?? []).some((b) => b.className === 'person'));
  if (task.kind === 'detection') return sample.boxes?.[0]?.classIndex;
  return sample.label;
}

export function selectSamples(dataset: Dataset, task: Task, done: ReadonlySet<string>, limit?: number, limitOptions: LimitOptions = {}): Selection {
  const usable: Sample[] = [];
  for (const sample of dataset.samples()) {
    // Sorted order needs no more than the first N usable samples; a stratified draw needs them all.
    if (limit !== undefined && limitOptions.order === 'sorted' && usable.length >= limit) break;
    const problem = unusableForTask(task, sample);
    if (problem) { recordSkip(dataset.skipped, { file: sample.file, reason: problem }); continue; }
    usable.push(sample);
  }
  const chosen = limitSamples(usable, limit, (s) => stratum(task, s), limitOptions);
  const indexOf = new Map(chosen.map((s, i) => [s.name, i]));
  const pendingSamples = chosen.filter((s) => !done.has(s.name));
  const pending: Dataset = { ...dataset, samples: function* () { yield* pendingSamples; } };
  return { pending, indexOf, total: chosen.length, done: chosen.length - pendingSamples.length };
}
