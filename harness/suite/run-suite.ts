// Runs a suite: every cell into `<out>/cells/<id>/`, resumable as a whole (a finished cell is kept, a cell with
// a journal continues, a cell that failed is tried again), then the summary in four formats. The cell runner is
// passed in, so this module knows the matrix and the folders, not how a board run is made.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_LIMITS } from '../report/compare';
import { limitsFromGate } from '../report/gate-limits';
import type { SuiteCell, Suite } from './suite-file';
import { expandCells } from './suite-file';
import { CELLS_DIR, SUMMARY_FILE, summarizeCell, suiteSummary, type CellOutcome, type GateSettings, type SuiteSummary } from './suite-summary';
import { writeSuiteReports } from './suite-writers';

export interface CellRun {
  cell: SuiteCell;
  outDir: string;
  /** The folder holds a journal of an interrupted run of this cell: continue it. */
  resume: boolean;
}

export interface RunSuiteOptions {
  outDir: string;
  /** A previous suite output folder to gate against (else the suite file's `baseline`). */
  baselineDir?: string;
  runCell: (run: CellRun) => Promise<void>;
  /** One line per cell as it starts and ends. */
  onLine?: (line: string) => void;
}

export function gateSettings(suite: Suite): GateSettings {
  const min = suite.gate.minBitExactRate;
  return { limits: { ...DEFAULT_LIMITS, ...limitsFromGate(suite.gate) }, minBitExactRate: typeof min === 'number' ? min : 1 };
}

function cellState(dir: string): 'done' | 'partial' | 'new' {
  if (fs.existsSync(path.join(dir, 'results.json'))) return 'done';
  if (fs.existsSync(path.join(dir, 'journal.jsonl')) && fs.existsSync(path.join(dir, 'run.json'))) return 'partial';
  return 'new';
}

export async function runSuite(suite: Suite, options: RunSuiteOptions): Promise<SuiteSummary> {
  const gate = gateSettings(suite); // a bad limit fails before any cell runs
  const baselineDir = options.baselineDir ?? suite.baseline;
  if (baselineDir && !fs.existsSync(path.join(baselineDir, SUMMARY_FILE))) {
    throw new Error(`baseline ${baselineDir}: not a suite output folder (no ${SUMMARY_FILE}); pass the --out folder of an earlier mcubench suite`);
  }
  const cells = expandCells(suite);
  fs.mkdirSync(path.join(options.outDir, CELLS_DIR), { recursive: true });
  fs.writeFileSync(path.join(options.outDir, 'suite.json'), `${JSON.stringify({ file: suite.file, name: suite.name, cells: cells.map((c) => c.id) }, null, 2)}\n`);
  const outcomes: CellOutcome[] = [];
  for (const [i, cell] of cells.entries()) {
    const rel = path.join(CELLS_DIR, cell.id);
    const dir = path.join(options.outDir, rel);
    const state = cellState(dir);
    const outcome: CellOutcome = { id: cell.id, model: cell.model.name, dataset: cell.dataset.name, board: cell.board, schedule: cell.schedule.name, dir: rel };
    const tag = `suite: [${i + 1}/${cells.length}] ${cell.id}`;
    if (state === 'done') {
      options.onLine?.(`${tag}: done earlier, kept`);
    } else {
      // A cell that failed before (no journal) starts over in a clean folder.
      if (state === 'new') fs.rmSync(dir, { recursive: true, force: true });
      options.onLine?.(`${tag}: ${state === 'partial' ? 'resuming' : 'running'}`);
      const started = Date.now();
      try {
        await options.runCell({ cell, outDir: dir, resume: state === 'partial' });
      } catch (e) {
        outcome.error = (e as Error).message.split('\n')[0];
        options.onLine?.(`${tag}: failed: ${outcome.error}`);
      }
      outcome.seconds = Math.round((Date.now() - started) / 100) / 10;
    }
    outcomes.push(outcome);
  }
  const summary = suiteSummary(suite.name, outcomes.map((o) => summarizeCell(o, options.outDir, gate, baselineDir)), {
    file: suite.file, ...(baselineDir ? { baseline: path.resolve(baselineDir) } : {}),
  });
  writeSuiteReports(summary, options.outDir);
  return summary;
}
