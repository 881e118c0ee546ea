// The lab's hardware map (lab.json): which real board sits behind which ST-Link serial and serial port. Written
// by `scanLab` + `draftLabMap`, then edited by hand; board JSON never holds serial numbers (twister's hardware map).
import * as fs from 'fs';
import * as path from 'path';
import { listBoardIds, loadBoard } from '../boards';
import { issueLines, SCHEMA_FILES, schemaCheck } from '../schema/json-schema';
import { UserError } from '../errors';

/** The serialisable record; run-time state (busy, failures) belongs elsewhere. */
export interface LabEntry {
  boardId: string;
  /** USB serial string of the board's ST-Link; the probe selector for flashing. */
  probeSerial: string;
  /** Console port, preferably the persistent /dev/serial/by-id/… path; null if not known yet. */
  serialPort: string | null;
  /** False takes the board out of use without deleting its entry. */
  available: boolean;
  /** This board's flasher (stlink, openocd, st-flash, msd) when it should not use its boards/<id>.json flash.method. */
  flasher?: string;
  notes?: string;
}

export interface LabMap {
  version: 1;
  boards: LabEntry[];
}

export class LabError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

export const UNASSIGNED = 'unassigned';
export const DEFAULT_LAB_FILE = process.env.MCUBENCH_LAB ?? path.resolve(__dirname, '..', '..', 'lab.json');

export function loadLabMap(file = DEFAULT_LAB_FILE, boardsDir?: string): LabMap {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LabError(`cannot read hardware map ${file}: ${(err as Error).message}; create it with 'mcubench boards --scan --write lab.json'`);
  }
  return validateLabMap(raw, file, boardsDir);
}

export function saveLabMap(map: LabMap, file = DEFAULT_LAB_FILE): void {
  fs.writeFileSync(file, `${JSON.stringify(map, null, 2)}\n`);
}

export function validateLabMap(raw: unknown, file: string, boardsDir?: string): LabMap {
  const issues = schemaCheck('lab')(raw);
  if (issues.length > 0) {
    throw new LabError(`${file} does not match ${SCHEMA_FILES.lab}; fix these fields (or redraft it with 'mcubench boards --scan --write ${file}'):\n${issueLines(issues)}`);
  }
  const map = raw as LabMap;
  const fail = (field: string, why: string): never => {
    throw new LabError(`${file}: field '${field}' ${why}`);
  };
  const known = listBoardIds(boardsDir);
  const serials = new Set<string>();
  map.boards.forEach((entry, i) => {
    const at = `boards[${i}]`;
    if (!known.includes(entry.boardId)) fail(`${at}.boardId`, `is ${JSON.stringify(entry.boardId)}, not a board; set it to one of: ${known.join(', ')}`);
    if (loadBoard(entry.boardId, boardsDir).board.type !== 'mcu') fail(`${at}.boardId`, `'${entry.boardId}' is an emulated board; the hardware map lists real boards only`);
    if (serials.has(entry.probeSerial)) fail(`${at}.probeSerial`, `'${entry.probeSerial}' is listed twice`);
    serials.add(entry.probeSerial);
  });
  return map;
}

/** The first available entry for a board id. */
export function findLabEntry(map: LabMap, boardId: string): LabEntry {
  const entries = map.boards.filter((b) => b.boardId === boardId);
  const entry = entries.find((b) => b.available);
  if (!entry) {
    throw new LabError(entries.length === 0
      ? `the hardware map has no '${boardId}'; boards listed: ${[...new Set(map.boards.map((b) => b.boardId))].join(', ') || 'none'}`
      : `every '${boardId}' in the hardware map is marked unavailable`);
  }
  return entry;
}
