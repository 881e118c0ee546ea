// Number formatting shared by every writer, so markdown, HTML, JUnit and compare print the same figures.

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 0.705 → "70.50 %". */
export function formatPercent(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** 12345678 → "12,345,678". */
export function formatInteger(value: number): string {
  return GROUPED.format(Math.round(value));
}

/** 175616 → "175,616 B (171.5 KiB)". */
export function formatBytes(bytes: number): string {
  return `${formatInteger(bytes)} B (${(bytes / 1024).toFixed(1)} KiB)`;
}

/** 175616 → "171.5 KiB"; for chart labels where space is short. */
export function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Signed difference: +1,024 B / -512 B / ±0 B. */
export function formatByteDelta(delta: number): string {
  if (delta === 0) return '±0 B';
  return `${delta > 0 ? '+' : '-'}${formatInteger(Math.abs(delta))} B`;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms >= 100 ? 1 : 3)} ms`;
}

/** Plain decimal for error metrics: up to 6 significant digits, no exponent for ordinary values. */
export function formatDecimal(value: number): string {
  if (value === 0) return '0';
  return Math.abs(value) >= 1e-4 && Math.abs(value) < 1e9 ? String(Number(value.toPrecision(6))) : value.toExponential(4);
}
