// The report's content as plain tables, rendered by both the markdown and the HTML writer so the two
// never disagree on a figure.
import { evaluateChecks } from './checks';
import { formatByteDelta, formatBytes, formatDecimal, formatInteger, formatMs, formatPercent } from './format';
import { opRunNote } from './op-run-kind';
import { predictionAgreement } from './predictions';
import { flashTotalBytes, type Results } from './results';

export interface ReportTable {
  /** Section heading. */
  title: string;
  header: string[];
  rows: string[][];
  /** One line shown under the table. */
  note?: string;
  /** Rows that should stand out (failed checks); indices into `rows`. */
  alertRows?: number[];
}

export function describeSchedule(results: Results): string {
  const s = results.schedule;
  if (s.kind === 'layer') return 'layer-based';
  if (s.kind === 'stream') return `row-streamed (ops before ${s.split} from the input${s.segments.length > (s.split > 0 ? 1 : 0) ? `, ${s.segments.length - (s.split > 0 ? 1 : 0)} later blocks` : ''}; no recomputation)`;
  return `patch-based (${s.patches}×${s.patches} patches, split before op ${s.split})`;
}

export function summaryTable(r: Results): ReportTable {
  const rows: string[][] = [['model', r.model]];
  if (r.board) rows.push(['board', r.board]);
  if (r.dataset) rows.push(['dataset', r.dataset]);
  rows.push(['schedule', describeSchedule(r)], ['samples', formatInteger(r.count)], ['skipped inputs', formatInteger(r.skipped.length)]);
  if (r.agreement !== undefined) rows.push(['bit-exact with host', formatPercent(r.agreement)]);
  else if (r.fidelity) rows.push([`bit-exact with ${r.fidelity.reference ?? 'reference'}`, formatPercent(r.fidelity.bitExactRate)]);
  rows.push(['created', r.createdAt], ['tool', `${r.tool.name} ${r.tool.version}`]);
  return { title: 'Summary', header: ['', ''], rows };
}

export function accuracyTables(r: Results): ReportTable[] {
  const tables: ReportTable[] = [];
  if (r.accuracy) {
    const rows = [['top-1', formatPercent(r.accuracy.top1)]];
    if (r.accuracy.top5 !== undefined) rows.push(['top-5', formatPercent(r.accuracy.top5)]);
    tables.push({ title: 'Accuracy', header: ['metric', 'value'], rows });
  }
  if (r.detection) {
    const d = r.detection;
    tables.push({ title: 'Detection', header: ['metric', 'value'], rows: [['mAP (VOC07 11-point)', formatPercent(d.map07)], ['mAP (VOC12 all-point)', formatPercent(d.map12)]] });
    const classes = Object.keys(d.perClass).sort();
    if (classes.length) tables.push({ title: 'Average precision per class', header: ['class', 'AP'], rows: classes.map((c) => [c, formatPercent(d.perClass[c])]) });
  }
  const agreement = predictionAgreement(r);
  if (agreement) {
    tables.push({
      title: 'Device vs host predictions', header: ['compared', 'same class', 'different class', 'agreement'],
      rows: [[formatInteger(agreement.compared), formatInteger(agreement.agree), formatInteger(agreement.compared - agreement.agree), formatPercent(agreement.agree / agreement.compared)]],
    });
  }
  return tables;
}

export function fidelityTable(r: Results): ReportTable | undefined {
  const f = r.fidelity;
  if (!f) return undefined;
  const against = f.reference === undefined || f.reference === 'host' ? 'host reference' : `run ${f.reference}`;
  const rows: string[][] = [['bit-exact rate', `${formatPercent(f.bitExactRate)}${f.samples !== undefined ? ` (${formatInteger(f.bitExactSamples ?? 0)} of ${formatInteger(f.samples)} samples)` : ''}`]];
  if (f.top1Agreement !== undefined) rows.push(['top-1 agreement', formatPercent(f.top1Agreement)]);
  rows.push(['max abs error', formatDecimal(f.maxAbsError)]);
  if (f.mae !== undefined) rows.push(['MAE', formatDecimal(f.mae)]);
  rows.push(['RMSE', formatDecimal(f.rmse)], ['cosine similarity', formatDecimal(f.cosine)], ['relative L2 error', formatDecimal(f.l2Relative)]);
  return {
    title: `Fidelity (device vs ${against})`, header: ['metric', 'value'], rows, alertRows: f.bitExactRate < 1 ? [0] : undefined,
    note: f.bitExactRate < 1 ? 'Errors are in real units after dequantization, over the samples that are not bit-exact.' : undefined,
  };
}

/** Per-sample fidelity of the samples that are not bit-exact (results list at most 100). */
export function mismatchTable(r: Results): ReportTable | undefined {
  const list = r.fidelity?.mismatches;
  if (!list?.length) return undefined;
  const rows = list.flatMap((m) => m.outputs.map((o) => [m.name, String(o.output), `${formatInteger(m.mismatched)} of ${formatInteger(m.elements)}`,
    formatDecimal(o.maxAbsError), formatDecimal(o.mae), formatDecimal(o.rmse), formatDecimal(o.cosine), o.l2Relative === undefined ? 'n/a (reference all zero)' : formatDecimal(o.l2Relative)]));
  const unlisted = (r.fidelity!.samples ?? 0) - (r.fidelity!.bitExactSamples ?? 0) - list.length;
  return {
    title: 'Samples that are not bit-exact', header: ['sample', 'output', 'elements differing', 'max abs error', 'MAE', 'RMSE', 'cosine', 'L2 relative'],
    rows, note: unlisted > 0 ? `… and ${formatInteger(unlisted)} more not listed in results.json.` : undefined,
  };
}

/** Board, toolchain and host the run was made with. */
export function environmentTable(r: Results): ReportTable | undefined {
  const e = r.environment;
  const rows: string[][] = [];
  if (r.board) rows.push(['board', r.board]);
  const clock = e?.coreClockHz ?? r.latency?.clockHz;
  if (clock !== undefined) rows.push(['core clock', `${formatDecimal(clock / 1e6)} MHz${r.latency?.unit === 'instructions' ? ' (QEMU: latency counts instructions, not cycles)' : ''}`]);
  if (e?.compiler) rows.push(['compiler', e.compiler]);
  if (e?.compilerFlags) rows.push(['compiler flags', e.compilerFlags]);
  if (e?.qemuVersion) rows.push(['QEMU', e.qemuVersion]);
  if (e?.firmwareHash) rows.push(['firmware build', e.firmwareHash]);
  if (e?.firmwareProtocol !== undefined) rows.push(['firmware protocol', `v${e.firmwareProtocol}`]);
  if (e?.imageHash) rows.push(['model image', e.imageHash]);
  if (e?.modelSha256) rows.push(['model file SHA-256', e.modelSha256]);
  rows.push(['tool', `${r.tool.name} ${r.tool.version}`]);
  if (e?.gitCommit) rows.push(['project commit', e.gitCommit]);
  if (e?.host) rows.push(['host', `${e.host}${e.node ? `, Node ${e.node}` : ''}`]);
  return { title: 'Environment', header: ['', ''], rows };
}

/** Operators by measured latency, slowest first (all of them in HTML, the slowest ten in Markdown). */
export function opLatencyTable(r: Results, limit?: number): ReportTable | undefined {
  const ops = (r.ops ?? []).filter((o) => o.latency !== undefined);
  if (!ops.length || !r.latency) return undefined;
  const total = ops.reduce((s, o) => s + o.latency!, 0);
  const unit = r.latency.unit;
  const ms = (n: number): string[] => (r.latency!.clockHz ? [formatMs((n / r.latency!.clockHz) * 1000)] : []);
  const sorted = [...ops].sort((a, b) => b.latency! - a.latency! || a.index - b.index);
  const shown = limit === undefined ? sorted : sorted.slice(0, limit);
  return {
    title: `Latency per operator (mean over samples${limit !== undefined && ops.length > limit ? `, slowest ${limit} of ${ops.length}` : ''})`,
    header: ['op', 'type', unit, ...(r.latency.clockHz ? ['ms'] : []), 'share'],
    rows: shown.map((o) => [String(o.index), o.type, formatInteger(o.latency!), ...ms(o.latency!), formatPercent(total ? o.latency! / total : 0, 1)]),
  };
}

/** A bar of block characters, `width` cells for `max`, eighths for the remainder (text reports' charts). */
export function textBar(value: number, max: number, width = 16): string {
  if (!(max > 0) || !(value > 0)) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '');
}

/**
 * Every operator in order with its measured latency beside the planned live bytes of the schedule that ran, each
 * with a bar: the Markdown report's latency chart next to its memory chart. A patch-stage (or streamed) operator
 * is one row, its time summed over every patch (or row).
 */
export function opProfileTable(r: Results): ReportTable | undefined {
  const ops = (r.ops ?? []).filter((o) => o.latency !== undefined);
  if (!ops.length || !r.latency) return undefined;
  const s = r.schedule;
  const planned = s.kind === 'patch' ? r.plan?.patchBased : s.kind === 'stream' ? r.plan?.streamBased : r.plan?.layerBased;
  const live = new Map((planned?.ops ?? []).map((o) => [o.index, o.liveBytes]));
  const maxLatency = Math.max(...ops.map((o) => o.latency!));
  const maxLive = Math.max(0, ...live.values());
  const total = ops.reduce((sum, o) => sum + o.latency!, 0);
  const unit = r.latency.unit;
  const run = (index: number): string => opRunNote(s, index).replace(/:.*/, '');
  return {
    title: `Latency and memory per operator (${s.kind} schedule, mean over samples)`,
    header: ['op', 'type', 'ran', 'MACs', unit, `${unit} / MAC`, 'share', 'latency', ...(live.size ? ['live bytes', 'memory'] : [])],
    rows: ops.map((o) => {
      const bytes = live.get(o.index);
      return [String(o.index), o.type, run(o.index) || 'whole', o.macs !== undefined ? formatInteger(o.macs) : '-', formatInteger(o.latency!),
        o.macs ? (o.latency! / o.macs).toFixed(2) : '-', formatPercent(total ? o.latency! / total : 0, 1), textBar(o.latency!, maxLatency),
        ...(live.size ? [bytes !== undefined ? formatBytes(bytes) : '-', bytes !== undefined ? textBar(bytes, maxLive) : ''] : [])];
    }),
    note: `The operators' sum is ${formatInteger(total)} ${unit}, ${formatPercent(r.latency.mean ? total / r.latency.mean : 0, 1)} of the mean latency `
      + '(the rest, which no operator owns, is copying the input in and the output out and the walk between operators)'
      + (s.kind === 'patch' ? `; patch-stage operators are timed over all ${s.patches * s.patches} patches, their live bytes are per patch.` : '.'),
  };
}

export function latencyTable(r: Results): ReportTable | undefined {
  const l = r.latency;
  if (!l) return undefined;
  const stats = ['mean', 'p50', 'p90', 'p99', 'min', 'max'] as const;
  return {
    title: 'Latency',
    header: ['statistic', l.unit, ...(l.ms ? ['ms'] : [])],
    rows: stats.map((s) => [s, formatInteger(l[s]), ...(l.ms ? [formatMs(l.ms[s])] : [])]),
    note: l.clockHz ? `Clock: ${formatDecimal(l.clockHz / 1e6)} MHz.` : undefined,
  };
}

function headroom(board: number, used: number): string {
  const left = board - used;
  return left >= 0 ? `${formatBytes(left)}, ${formatPercent(left / board, 1)} free` : `over by ${formatBytes(-left)}`;
}

export function sramTable(r: Results): ReportTable | undefined {
  const s = r.sram;
  const plan = r.plan;
  if (!s && !plan) return undefined;
  const rows: string[][] = [];
  if (plan) {
    rows.push(['planned peak, layer-based', formatBytes(plan.layerBased.peakBytes)]);
    if (plan.patchBased) {
      const p = plan.patchBased;
      rows.push([`planned peak, patch-based (${p.patches}×${p.patches}, split ${p.split})`, formatBytes(p.peakBytes)],
        ['patch-based reduction', `${(plan.layerBased.peakBytes / p.peakBytes).toFixed(2)}×`]);
    }
  }
  let alertRows: number[] | undefined;
  if (s) {
    rows.push(['planned arena peak (this schedule)', formatBytes(s.plannedPeakBytes)]);
    if (s.arenaPeakBytes !== undefined) rows.push(['measured arena peak', `${formatBytes(s.arenaPeakBytes)}, ${formatByteDelta(s.arenaPeakBytes - s.plannedPeakBytes)} vs plan`]);
    if (s.staticBytes !== undefined) rows.push(['static (.data + .bss)', formatBytes(s.staticBytes)]);
    if (s.stackPeakBytes !== undefined) rows.push(['stack peak', formatBytes(s.stackPeakBytes)]);
    if (s.measuredPeakBytes !== undefined) rows.push(['measured total peak', formatBytes(s.measuredPeakBytes)]);
    if (s.inputStreamed !== undefined) {
      rows.push(['input', s.inputStreamed ? 'streamed: asked for region by region, never held whole (not in the peak)' : 'held whole on the board']);
    }
    if (s.boardBytes !== undefined) {
      const used = s.measuredPeakBytes ?? s.plannedPeakBytes;
      rows.push(['board SRAM', formatBytes(s.boardBytes)],
        [`headroom (board − ${s.measuredPeakBytes !== undefined ? 'measured' : 'planned'} peak)`, headroom(s.boardBytes, used)]);
      if (used > s.boardBytes) alertRows = [rows.length - 1];
    }
  }
  return { title: 'SRAM', header: ['item', 'bytes'], rows, alertRows };
}

export function flashTable(r: Results): ReportTable | undefined {
  const f = r.flash;
  if (!f) return undefined;
  const total = flashTotalBytes(f);
  const rows = [['code', formatBytes(f.codeBytes)], ['model', formatBytes(f.modelBytes)], ['total', formatBytes(total)]];
  if (f.boardBytes !== undefined) rows.push(['board flash', formatBytes(f.boardBytes)], ['headroom', headroom(f.boardBytes, total)]);
  return { title: 'Flash', header: ['item', 'bytes'], rows, alertRows: f.boardBytes !== undefined && total > f.boardBytes ? [rows.length - 1] : undefined };
}

export function checksTable(r: Results): ReportTable | undefined {
  const list = evaluateChecks(r);
  if (!list.length) return undefined;
  const failed = list.filter((c) => !c.passed).length;
  return {
    title: `Checks (${list.length - failed} passed, ${failed} failed)`,
    header: ['check', 'result', 'details'],
    rows: list.map((c) => [c.title, c.passed ? 'pass' : 'FAIL', c.message]),
    alertRows: list.flatMap((c, i) => (c.passed ? [] : [i])),
  };
}

export function skippedTable(r: Results): ReportTable | undefined {
  if (!r.skipped.length) return undefined;
  return { title: `Skipped inputs (${r.skipped.length})`, header: ['file', 'reason'], rows: r.skipped.map((s) => [s.file, s.reason]) };
}
