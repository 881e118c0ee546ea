// Top-1 / top-5 from output score vectors.
// Ranking uses the raw stored values: dequantization is monotonic (scale > 0), so the order is the same and no
// rounding can create or break ties. Ties are broken by the lower class index, like a stable sort (and numpy's
// argmax), so the result never depends on the sort implementation.
import type { DType } from '../model/graph';
import { rawValues } from './tensor-values';

/** Indices of the k highest scores, highest first; equal scores keep ascending index order. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  if (scores.length === 0) throw new Error('cannot rank an empty score vector');
  for (let i = 0; i < scores.length; i++) if (Number.isNaN(scores[i])) throw new Error(`score ${i} is NaN; the output is not a valid score vector`);
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, Math.min(k, scores.length));
}

export interface ClassificationResult { label: number; predicted: number; top5: number[]; top1Correct: boolean; top5Correct: boolean; }

/**
 * Scores one output. `labelOffset` is where class 0 sits in the output (1 for the 1001-class TF-slim models,
 * whose index 0 is "background"); `predicted` and `top5` are in dataset label space.
 */
export function classify(output: Uint8Array, dtype: DType, label: number, labelOffset = 0): ClassificationResult {
  const ranked = topK(rawValues(output, dtype), 5 + labelOffset).map((i) => i - labelOffset).filter((i) => i >= 0).slice(0, 5);
  return { label, predicted: ranked[0], top5: ranked, top1Correct: ranked[0] === label, top5Correct: ranked.includes(label) };
}

export interface AccuracySummary { count: number; top1: number; top5: number; top1Correct: number; top5Correct: number; }

export function accuracy(results: readonly ClassificationResult[]): AccuracySummary {
  const top1Correct = results.filter((r) => r.top1Correct).length;
  const top5Correct = results.filter((r) => r.top5Correct).length;
  const n = results.length;
  return { count: n, top1Correct, top5Correct, top1: n ? top1Correct / n : 0, top5: n ? top5Correct / n : 0 };
}
