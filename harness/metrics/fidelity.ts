// Device-vs-host output fidelity. Bit-exactness is judged on the raw bytes; the error measures use dequantized
// values, so outputs with different scales (or float outputs) are compared in real units.
import { OutputQuant, dequantize } from './tensor-values';

export interface OutputFidelity {
  bitExact: boolean;
  /** Elements whose stored values differ. */
  mismatched: number;
  elements: number;
  maxAbsError: number;
  /** Mean absolute error. */
  mae: number;
  rmse: number;
  /** 1 for identical direction; defined as 1 when both vectors are all zero and 0 when only one is. */
  cosine: number;
  /** ‖device − host‖₂ / ‖host‖₂; 0 when equal, Infinity when host is all zero and device is not. */
  l2Relative: number;
}

export function compareOutput(device: Uint8Array, host: Uint8Array, q: OutputQuant): OutputFidelity {
  if (device.length !== host.length) throw new Error(`device output has ${device.length} bytes, host output ${host.length}; they must be the same tensor`);
  const d = dequantize(device, q);
  const h = dequantize(host, q);
  let maxAbs = 0, abs = 0, sq = 0, dot = 0, dd = 0, hh = 0, mismatched = 0;
  const bytesPer = device.length / d.length;
  for (let i = 0; i < d.length; i++) {
    for (let b = 0; b < bytesPer; b++) {
      if (device[i * bytesPer + b] !== host[i * bytesPer + b]) { mismatched++; break; }
    }
    const e = d[i] - h[i];
    maxAbs = Math.max(maxAbs, Math.abs(e));
    abs += Math.abs(e);
    sq += e * e; dot += d[i] * h[i]; dd += d[i] * d[i]; hh += h[i] * h[i];
  }
  const cosine = dd === 0 && hh === 0 ? 1 : dd === 0 || hh === 0 ? 0 : dot / Math.sqrt(dd * hh);
  const l2Relative = sq === 0 ? 0 : hh === 0 ? Infinity : Math.sqrt(sq) / Math.sqrt(hh);
  return { bitExact: mismatched === 0, mismatched, elements: d.length, maxAbsError: maxAbs, mae: d.length ? abs / d.length : 0, rmse: Math.sqrt(sq / d.length), cosine, l2Relative };
}

export interface FidelitySummary {
  samples: number;
  bitExactSamples: number;
  bitExactRate: number;
  /** Over the samples that are not bit-exact (all zero / 1 when every sample is bit-exact). */
  worstMaxAbsError: number;
  meanRmse: number;
  minCosine: number;
  maxL2Relative: number;
}

export function summarizeFidelity(results: readonly OutputFidelity[]): FidelitySummary {
  const inexact = results.filter((r) => !r.bitExact);
  return {
    samples: results.length,
    bitExactSamples: results.length - inexact.length,
    bitExactRate: results.length ? (results.length - inexact.length) / results.length : 0,
    worstMaxAbsError: Math.max(0, ...inexact.map((r) => r.maxAbsError)),
    meanRmse: inexact.length ? inexact.reduce((s, r) => s + r.rmse, 0) / inexact.length : 0,
    minCosine: Math.min(1, ...inexact.map((r) => r.cosine)),
    maxL2Relative: Math.max(0, ...inexact.map((r) => r.l2Relative)),
  };
}
