// The report's only stylesheet, inlined so the HTML file stands alone (no fonts, scripts or images fetched).
export const PAGE_STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto; max-width: 1180px; color: #1d2430; padding: 0 16px; }
h1 { font-size: 1.5em; margin-bottom: 4px; }
h2 { font-size: 1.15em; margin-top: 28px; border-bottom: 1px solid #d8dde6; padding-bottom: 4px; }
p.subtitle { color: #5a6475; margin-top: 0; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.92em; }
th, td { border: 1px solid #d8dde6; padding: 4px 10px; text-align: left; vertical-align: top; }
thead th { background: #f1f4f8; }
tr.alert td { background: #fde8e8; color: #8a1c1c; font-weight: 600; }
td.agree { background: #dff3e4; } td.disagree { background: #fde8e8; font-weight: 600; } td.zero { color: #b6bcc6; }
table.matrix td { text-align: right; min-width: 2.2em; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.chart-column { display: flex; flex-direction: column; gap: 6px; }
.legend { font-size: 0.85em; color: #5a6475; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
svg.chart { background: #fff; border: 1px solid #e3e7ee; font-family: system-ui, sans-serif; }
svg .chart-title { font-size: 13px; font-weight: 600; fill: #1d2430; }
svg .tick { font-size: 10px; fill: #5a6475; }
svg .axis-label { font-size: 11px; fill: #5a6475; }
svg .grid { stroke: #eef1f5; stroke-width: 1; }
svg .axis { stroke: #8a93a3; stroke-width: 1; }
svg .bar { fill: #4e79a7; }
svg .bar.patch-stage { fill: #f28e2b; }
svg .bar.peak { fill: #d62728; }
svg .peak-label { font-size: 11px; font-weight: 600; fill: #d62728; }
svg .board-line { stroke: #1d2430; stroke-width: 1.2; stroke-dasharray: 6 4; }
svg .board-label { font-size: 10px; fill: #1d2430; }
svg .measured-line { stroke: #2ca02c; stroke-width: 2; }
svg .measured-label { font-size: 10px; font-weight: 600; fill: #2ca02c; }
p.units { color: #5a6475; font-size: 0.85em; }
svg .marker { stroke: #d62728; stroke-width: 1.2; stroke-dasharray: 3 3; }
svg .marker-label { font-size: 10px; fill: #d62728; }
`;

/** A whole self-contained page: the stylesheet inline, nothing fetched (the CSP forbids it). */
export function htmlPage(escapedTitle: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapedTitle}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
