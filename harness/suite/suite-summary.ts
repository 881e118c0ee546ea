// The result of a suite: one entry per cell (its results folder, its figures, its checks), gathered from the
// cells' results.json files so a resumed suite or `mcubench report <suite dir>` summarises the same. Also builds
// an ad-hoc summary over several run folders (`mcubench report <run> <run> …`).
import * as fs from 'fs';
import * as path from 'path';
import { evaluateChecks } from '../report/checks';
import { compareResults, type CompareLimits, type ComparisonRow } from '../report/compare';
import { loadResults } from '../report/load-results';
import type { Results } from '../report/results';

export const SUMMARY_FILE = 'summary.json';
export const CELLS_DIR = 'cells';

/** One check of a cell, shown as one JUnit test case: the run itself, a budget, fidelity, a baseline comparison row. */
export interface CellCheck { id: string; title: string; passed: boolean; message: string; }

export interface CellSummary {
  id: string;
  model: string;
  dataset: string;
  board: string;
  schedule: string;
  /** The cell's results folder, relative to the suite folder (absolute for ad-hoc summaries). */
  dir: string;
  status: 'passed' | 'failed' | 'error';
  /** Why the cell did not produce results (build failed, does not fit, board hang…). */
  error?: string;
  seconds?: number;
  checks: CellCheck[];
}

export interface SuiteSummary {
  name: string;
  /** The suite file, when there is one. */
  file?: string;
  createdAt: string;
  baseline?: string;
  passed: boolean;
  cells: CellSummary[];
}

export interface CellOutcome {
  id: string; model: string; dataset: string; board: string; schedule: string; dir: string; error?: string; seconds?: number;
}

export interface GateSettings {
  limits: CompareLimits;
  /** Every cell with a fidelity section must be at least this bit-exact (default 1: board = host, bit for bit). */
  minBitExactRate: number;
}

function rowCheck(row: ComparisonRow): CellCheck {
  const passed = row.verdict === 'pass' || row.verdict === 'missing (allowed)' || row.verdict === 'differs (allowed)';
  return {
    id: `baseline.${row.id}`, title: `vs baseline: ${row.metric}`, passed,
    message: `${row.metric}: ${row.baseline} → ${row.current} (${row.change}; limit ${row.limit}) ${row.verdict}`,
  };
}

/** The checks of one finished cell: its budgets, its fidelity, and every row of the comparison with its baseline. */
export function cellChecks(results: Results, gate: GateSettings, baseline: Results | undefined | 'missing' | { unreadable: string }): CellCheck[] {
  const checks: CellCheck[] = evaluateChecks(results).map((c) => ({ id: `budget.${c.id}`, title: c.title, passed: c.passed, message: c.message }));
  const rate = results.fidelity?.bitExactRate ?? results.agreement;
  if (rate !== undefined) {
    checks.push({
      id: 'fidelity.bitExact', title: `bit-exact with ${results.fidelity?.reference ?? 'host'} >= ${(gate.minBitExactRate * 100).toFixed(2)} %`, passed: rate >= gate.minBitExactRate,
      message: `${(rate * 100).toFixed(2)} % of ${results.count} samples bit-exact`,
    });
  }
  if (baseline === 'missing') {
    checks.push({ id: 'baseline.cell', title: 'vs baseline: cell present', passed: gate.limits.allowMissing === true, message: 'the baseline suite has no results for this cell' });
  } else if (baseline && 'unreadable' in baseline) {
    checks.push({ id: 'baseline.cell', title: 'vs baseline: cell readable', passed: false, message: baseline.unreadable });
  } else if (baseline) {
    const comparison = compareResults(baseline, results, gate.limits);
    checks.push(...comparison.rows.map(rowCheck));
    if (comparison.failed && comparison.rows.every((r) => rowCheck(r).passed)) {
      checks.push({ id: 'baseline.nothing', title: 'vs baseline: something compared', passed: false, message: 'no metric present in either results file' });
    }
  }
  return checks;
}

export function summarizeCell(outcome: CellOutcome, suiteDir: string, gate: GateSettings, baselineDir?: string): CellSummary {
  const base = { id: outcome.id, model: outcome.model, dataset: outcome.dataset, board: outcome.board, schedule: outcome.schedule, dir: outcome.dir, ...(outcome.seconds !== undefined ? { seconds: outcome.seconds } : {}) };
  if (outcome.error !== undefined) {
    return { ...base, status: 'error', error: outcome.error, checks: [{ id: 'run', title: 'cell ran', passed: false, message: outcome.error }] };
  }
  const results = loadResults(path.resolve(suiteDir, outcome.dir));
  let baseline: Results | 'missing' | { unreadable: string } | undefined;
  if (baselineDir) {
    const file = path.join(baselineDir, CELLS_DIR, outcome.id, 'results.json');
    try {
      baseline = fs.existsSync(file) ? loadResults(file) : 'missing';
    } catch (e) {
      baseline = { unreadable: (e as Error).message.replace(/\n\s*/g, ' ') };
    }
  }
  const checks = [{ id: 'run', title: 'cell ran', passed: true, message: `${results.count} samples, ${results.skipped.length} skipped` }, ...cellChecks(results, gate, baseline)];
  return { ...base, status: checks.every((c) => c.passed) ? 'passed' : 'failed', checks };
}

export function suiteSummary(name: string, cells: CellSummary[], extra: { file?: string; baseline?: string; createdAt?: string } = {}): SuiteSummary {
  return {
    name, ...(extra.file ? { file: extra.file } : {}), createdAt: extra.createdAt ?? new Date().toISOString(), ...(extra.baseline ? { baseline: extra.baseline } : {}),
    passed: cells.length > 0 && cells.every((c) => c.status === 'passed'), cells,
  };
}

/** Several run folders as one summary (no baseline): each run is a cell named after its folder. */
export function summaryOfRuns(dirs: readonly string[], gate: GateSettings): SuiteSummary {
  const cells = dirs.map((dir) => {
    const r = loadResults(dir);
    const s = r.schedule;
    const schedule = s.kind === 'layer' ? 'layer' : s.kind === 'stream' ? `stream@${s.split}` : `patch${s.patches}x${s.patches}@${s.split}`;
    return summarizeCell({ id: path.basename(path.resolve(dir)), model: r.model, dataset: r.dataset ?? '', board: r.board ?? 'host', schedule, dir: path.resolve(dir) }, '/', gate);
  });
  return suiteSummary(`${dirs.length} runs`, cells);
}

export function readSuiteSummary(suiteDir: string): SuiteSummary {
  return JSON.parse(fs.readFileSync(path.join(suiteDir, SUMMARY_FILE), 'utf8')) as SuiteSummary;
}

/** The results of every cell that has them, keyed by cell id (for the charts of the summary report). */
export function cellResults(summary: SuiteSummary, suiteDir: string): Map<string, Results> {
  const out = new Map<string, Results>();
  for (const c of summary.cells) {
    if (c.status === 'error') continue;
    try { out.set(c.id, loadResults(path.resolve(suiteDir, c.dir))); } catch { /* reported by the cell's checks */ }
  }
  return out;
}
