// Rectangle arithmetic for patch planning: grid tiles and receptive-field propagation, all analytic.
import { Window } from './op-analysis';
import { EdgePadding, Region } from './types';

export function regionArea(r: Region): number {
  return Math.max(0, r.y1 - r.y0) * Math.max(0, r.x1 - r.x0);
}

export function regionsEqual(a: Region, b: Region): boolean {
  return a.y0 === b.y0 && a.y1 === b.y1 && a.x0 === b.x0 && a.x1 === b.x1;
}

export function boundingBox(a: Region | undefined, b: Region): Region {
  if (!a) return { ...b };
  return { y0: Math.min(a.y0, b.y0), y1: Math.max(a.y1, b.y1), x0: Math.min(a.x0, b.x0), x1: Math.max(a.x1, b.x1) };
}

/** Boundaries floor(k·size/p), k = 0..p: p intervals covering [0, size) exactly once, also when p ∤ size. */
export function splitPoints(size: number, p: number): number[] {
  return Array.from({ length: p + 1 }, (_, k) => Math.floor((k * size) / p));
}

/** The p×p tiles of an H×W map, row-major. */
export function gridTiles(height: number, width: number, p: number): { row: number; col: number; tile: Region }[] {
  const ys = splitPoints(height, p);
  const xs = splitPoints(width, p);
  const tiles: { row: number; col: number; tile: Region }[] = [];
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) tiles.push({ row: r, col: c, tile: { y0: ys[r], y1: ys[r + 1], x0: xs[c], x1: xs[c + 1] } });
  }
  return tiles;
}

/** Input interval [lo, hi) that output interval [o0, o1) of a window reads, before clipping. */
function receptive(o0: number, o1: number, k: number, s: number, d: number, pad: number): [number, number] {
  return [o0 * s - pad, (o1 - 1) * s - pad + (k - 1) * d + 1];
}

/**
 * The input rectangle an output rectangle needs through a window, clipped to the H×W input; the clipped part
 * is reported as edge padding (it is the op's zero padding and only appears where the region meets the edge).
 */
export function inputRegionFor(win: Window, out: Region, height: number, width: number): { view: Region; padding: EdgePadding } {
  const [ry0, ry1] = receptive(out.y0, out.y1, win.kh, win.sh, win.dh, win.padTop);
  const [rx0, rx1] = receptive(out.x0, out.x1, win.kw, win.sw, win.dw, win.padLeft);
  const view = { y0: Math.max(0, ry0), y1: Math.min(height, ry1), x0: Math.max(0, rx0), x1: Math.min(width, rx1) };
  const padding = { top: view.y0 - ry0, bottom: ry1 - view.y1, left: view.x0 - rx0, right: rx1 - view.x1 };
  return { view, padding };
}
