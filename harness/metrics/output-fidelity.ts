// Fidelity of whole model outputs (every output tensor, concatenated as the pipeline stores them) against a
// reference: per sample, then the results' `fidelity` section. The error figures are in real units after
// dequantization (as STM32Cube.AI's validate reports them); bit-exactness is judged on the stored bytes.
import type { Fidelity, SampleFidelity, TensorFidelity } from '../report/results';
import { topK } from './classification';
import { compareOutput } from './fidelity';
import { OutputQuant, rawValues } from './tensor-values';

/** One output tensor of the model: how to read it and how many bytes it takes in the concatenated output. */
export interface OutputLayout extends OutputQuant { bytes: number; }

export interface SampleComparison {
  bitExact: boolean;
  mismatched: number;
  elements: number;
  /** Per output tensor; L2 relative error left out where the reference is all zero (it would be infinite). */
  outputs: TensorFidelity[];
  /** Same top-1 class on device and reference; only for single-output models with a score vector. */
  top1Agrees?: boolean;
}

export function compareSampleOutputs(device: Uint8Array, reference: Uint8Array, layout: readonly OutputLayout[]): SampleComparison {
  const total = layout.reduce((n, o) => n + o.bytes, 0);
  if (device.length !== total || reference.length !== total) {
    throw new Error(`outputs of ${device.length} and ${reference.length} bytes; the model's outputs add up to ${total}`);
  }
  let at = 0;
  let mismatched = 0;
  let elements = 0;
  const outputs: TensorFidelity[] = layout.map((o, i) => {
    const f = compareOutput(device.subarray(at, at + o.bytes), reference.subarray(at, at + o.bytes), o);
    at += o.bytes;
    mismatched += f.mismatched;
    elements += f.elements;
    return { output: i, maxAbsError: f.maxAbsError, mae: f.mae, rmse: f.rmse, cosine: f.cosine, ...(Number.isFinite(f.l2Relative) ? { l2Relative: f.l2Relative } : {}) };
  });
  const comparison: SampleComparison = { bitExact: mismatched === 0, mismatched, elements, outputs };
  if (layout.length === 1 && layout[0].bytes > 1) {
    comparison.top1Agrees = topK(rawValues(device, layout[0].dtype), 1)[0] === topK(rawValues(reference, layout[0].dtype), 1)[0];
  }
  return comparison;
}

/** Mismatched samples listed in results.json at most; the rest are counted in `samples − bitExactSamples`. */
export const MAX_LISTED_MISMATCHES = 100;

/**
 * The results' `fidelity` section over every compared sample. Error figures summarise the samples that are not
 * bit-exact (worst max abs error, mean MAE and RMSE, lowest cosine, largest finite L2 relative error).
 */
export function fidelitySection(samples: readonly { name: string; comparison: SampleComparison }[], reference: string): Fidelity | undefined {
  if (samples.length === 0) return undefined;
  const inexact = samples.filter((s) => !s.comparison.bitExact);
  const tensors = inexact.flatMap((s) => s.comparison.outputs);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const agreeing = samples.filter((s) => s.comparison.top1Agrees !== undefined);
  const mismatches: SampleFidelity[] = inexact.slice(0, MAX_LISTED_MISMATCHES).map((s) => ({
    name: s.name, mismatched: s.comparison.mismatched, elements: s.comparison.elements, outputs: s.comparison.outputs,
  }));
  return {
    bitExactRate: (samples.length - inexact.length) / samples.length,
    maxAbsError: Math.max(0, ...tensors.map((t) => t.maxAbsError)),
    rmse: mean(tensors.map((t) => t.rmse)),
    cosine: Math.min(1, ...tensors.map((t) => t.cosine)),
    l2Relative: Math.max(0, ...tensors.map((t) => t.l2Relative ?? 0)),
    mae: mean(tensors.map((t) => t.mae)),
    samples: samples.length,
    bitExactSamples: samples.length - inexact.length,
    ...(agreeing.length ? { top1Agreement: agreeing.filter((s) => s.comparison.top1Agrees).length / agreeing.length } : {}),
    reference,
    ...(mismatches.length ? { mismatches } : {}),
  };
}
