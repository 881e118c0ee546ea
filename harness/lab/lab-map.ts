// The lab's hardware map (lab.json): which real board sits behind which ST-Link serial and serial port. Written
// by `scanLab` + `draftLabMap`, then edited by hand; board JSON never holds serial numbers (twister's hardware map).
import * as fs from 'fs';
import * as path from 'path';
import { listBoardIds, loadBoard } from '../boards';
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
  const fail = (field: string, why: string): never => {
    throw new LabError(`${file}: field '${field}' ${why}`);
  };
  if (!isObject(raw)) return fail('(root)', 'must be an object { "version": 1, "boards": [...] }');
  if (raw.version !== 1) fail('version', `must be 1, got ${JSON.stringify(raw.version)}`);
  if (!Array.isArray(raw.boards)) return fail('boards', 'must be an array');
  const known = listBoardIds(boardsDir);
  const serials = new Set<string>();
  const boards = raw.boards.map((entry: unknown, i: number): LabEntry => {
    const at = `boards[${i}]`;
    if (!isObject(entry)) return fail(at, 'must be an object');
    for (const key of Object.keys(entry)) {
      if (!['boardId', 'probeSerial', 'serialPort', 'available', 'notes'].includes(key)) fail(`${at}.${key}`, 'is not a known field (typo?)');
    }
    const { boardId, probeSerial, serialPort, available, notes } = entry;
    if (typeof boardId !== 'string' || !known.includes(boardId)) {
      fail(`${at}.boardId`, `is ${JSON.stringify(boardId)}, not a board; set it to one of: ${known.join(', ')}`);
    }
    if (loadBoard(boardId as string, boardsDir).board.type !== 'mcu') fail(`${at}.boardId`, `'${boardId}' is an emulated board; the hardware map lists real boards only`);
    if (typeof probeSerial !== 'string' || probeSerial.length === 0) fail(`${at}.probeSerial`, 'must be the ST-Link USB serial string');
    if (serials.has(probeSerial as string)) fail(`${at}.probeSerial`, `'${probeSerial}' is listed twice`);
    serials.add(probeSerial as string);
    if (serialPort !== null && typeof serialPort !== 'string') fail(`${at}.serialPort`, 'must be a path or null');
    if (typeof available !== 'boolean') fail(`${at}.available`, 'must be true or false');
    if (notes !== undefined && typeof notes !== 'string') fail(`${at}.notes`, 'must be a string');
    return { boardId: boardId as string, probeSerial: probeSerial as string, serialPort: serialPort as string | null, available: available as boolean, ...(notes !== undefined ? { notes: notes as string } : {}) };
  });
  return { version: 1, boards };
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
