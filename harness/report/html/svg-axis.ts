// Small helpers shared by the SVG charts: tick placement and number rounding for coordinates.

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `target` intervals over [0, max]. */
export function niceStep(max: number, target = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** Tick values from 0 up to and including the first tick >= max. */
export function niceTicks(max: number, target = 5): number[] {
  const step = niceStep(max, target);
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** Coordinates with two decimals keep the file small and the output stable. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
