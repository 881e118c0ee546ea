// Journal records → results.json. The final figures are always computed from the journal (never from in-memory
// state), so an interrupted-and-resumed run and an uninterrupted one give the same report.
import { VOC_CLASSES } from '../data/voc';
import { accuracy, ClassificationResult } from '../metrics/classification';
import { ApMethod, evaluateVoc } from '../metrics/detection';
import { summarizeLatency } from '../metrics/latency';
import type { DetectionScores, Environment, Results, SampleResult, SkippedInput, ToolInfo } from '../report/results';
import { validateResults } from '../report/validate-results';
import type { Executor, ExecutorDescription, ExecutorLatencyUnit } from './executor';
import type { Task, TaskRecord } from './pipeline-task';

export interface EvalRecord extends TaskRecord {
  /** Sample name (unique in the dataset); the journal's key. */
  sample: string;
  /** Position in the dataset's order, so results list samples in that order whatever the journal order. */
  index: number;
  outputSha256: string;
  latency?: number;
  unit?: ExecutorLatencyUnit;
  extra?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface ResultsInput {
  model: string;
  dataset: string;
  description: ExecutorDescription;
  task: Task;
  records: readonly EvalRecord[];
  skipped: readonly SkippedInput[];
  tool: ToolInfo;
  createdAt: string;
  summarize?: Executor['summarize'];
  /** Where the results will be written, for validation messages. */
  file: string;
  /** Facts common to every run (model file hash, project commit, host). */
  environment?: Environment;
}

/** top-5 only where the model has more than five classes: with five or fewer it is 100 % by construction. */
function classificationAccuracy(records: readonly EvalRecord[], classes: number): Results['accuracy'] {
  const scored: ClassificationResult[] = records.map((r) => ({
    label: r.label!, predicted: r.predicted!, top5: r.top5!, top1Correct: r.predicted === r.label, top5Correct: r.top5!.includes(r.label!),
  }));
  const a = accuracy(scored);
  return classes > 5 ? { top1: a.top1, top5: a.top5 } : { top1: a.top1 };
}

function detectionMetrics(records: readonly EvalRecord[], vocClasses: readonly number[]): DetectionScores {
  const dets = records.map((r) => ({ image: r.sample, detections: r.detections ?? [] }));
  const truth = records.map((r) => ({ image: r.sample, boxes: r.truth ?? [] }));
  const evaluate = (method: ApMethod) => evaluateVoc(dets, truth, VOC_CLASSES.length, method).classes
    .filter((c) => vocClasses.includes(c.classIndex) && c.positives > 0);
  const mean = (xs: { ap: number }[]): number => (xs.length ? xs.reduce((s, c) => s + c.ap, 0) / xs.length : 0);
  const voc07 = evaluate('voc07-11point');
  const voc12 = evaluate('voc10-allpoint');
  // perClass carries the all-point (VOC2010+) AP, the same method as map12.
  return { map07: mean(voc07), map12: mean(voc12), perClass: Object.fromEntries(voc12.map((c) => [VOC_CLASSES[c.classIndex], c.ap])) };
}

function sampleResult(r: EvalRecord, unit: 'cycles' | 'instructions' | undefined): SampleResult {
  const s: SampleResult = { name: r.sample, outputSha256: r.outputSha256 };
  if (unit && r.unit === unit && r.latency !== undefined) s[unit] = r.latency;
  if (r.label !== undefined) s.label = r.label;
  if (r.predicted !== undefined) s.predicted = r.predicted;
  const extra = r.extra ?? {};
  if (typeof extra.matchesHost === 'boolean') s.matchesHost = extra.matchesHost;
  if (typeof extra.hostPredicted === 'number' || typeof extra.hostPredicted === 'string') s.hostPredicted = extra.hostPredicted;
  if (typeof extra.run === 'object' && extra.run !== null) s.run = extra.run as SampleResult['run'];
  return s;
}

/** Board latency units only: host wall time is machine noise, kept in the journal but not in results. */
function boardUnit(records: readonly EvalRecord[]): 'cycles' | 'instructions' | undefined {
  const unit = records.find((r) => r.latency !== undefined)?.unit;
  return unit === 'cycles' || unit === 'instructions' ? unit : undefined;
}

export function buildResults(input: ResultsInput): Results {
  const records = [...input.records].sort((a, b) => a.index - b.index);
  const { description: d, task } = input;
  const unit = boardUnit(records);
  const results: Results = {
    model: input.model,
    ...(d.board ? { board: d.board } : {}),
    dataset: input.dataset,
    schedule: d.schedule,
    count: records.length,
    skipped: [...input.skipped],
    samples: records.map((r) => sampleResult(r, unit)),
    createdAt: input.createdAt,
    tool: input.tool,
  };
  if (records.length > 0 && task.kind === 'classification') results.accuracy = classificationAccuracy(records, task.classes - task.labelOffset);
  if (records.length > 0 && task.kind === 'detection') results.detection = detectionMetrics(records, task.vocClasses);
  if (d.plannedPeakBytes !== undefined) results.sram = { ...d.sram, plannedPeakBytes: d.plannedPeakBytes };
  if (d.flash) results.flash = d.flash;
  if (d.plan) results.plan = d.plan;
  if (input.environment || d.environment) results.environment = { ...input.environment, ...d.environment };
  const latencies = unit ? records.filter((r) => r.unit === unit && r.latency !== undefined).map((r) => r.latency!) : [];
  if (unit && latencies.length > 0) {
    const s = summarizeLatency(latencies, unit, d.clockHz);
    results.latency = { unit, ...s.counts, ...(s.clockHz ? { clockHz: s.clockHz, ms: s.ms } : {}) };
  }
  Object.assign(results, input.summarize?.(records.map((r) => ({ sample: r.sample, outputSha256: r.outputSha256, latency: r.latency, unit: r.unit, extra: r.extra }))) ?? {});
  // Latency of different kinds of board does not mix: results.boards carries it per board instead.
  if (results.boards) delete results.latency;
  return validateResults(results, input.file);
}
