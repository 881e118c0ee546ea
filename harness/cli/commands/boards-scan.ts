// `mcubench boards --scan [--write lab.json]`: what is plugged in (ST-Links, their serial ports, the board each
// drives according to the hardware map), and optionally a draft hardware map to finish by hand.
import * as fs from 'fs';
import { loadAllBoards } from '../../boards';
import { DEFAULT_LAB_FILE, draftLabMap, LabError, saveLabMap, scanLab, UNASSIGNED, type LabEntry, type ScannedProbe, type ScanOptions } from '../../lab';

export interface BoardsScanOptions {
  /** Write (or update) this hardware map. */
  write?: string;
  json?: boolean;
  /** Device sources; the real USB bus and serial ports by default (tests pass simulated ones). */
  scan?: ScanOptions;
  /** Map whose board ids label the table when --write is not given. */
  lab?: string;
  out?: (text: string) => void;
  note?: (text: string) => void;
}

export async function boardsScan(options: BoardsScanOptions = {}): Promise<void> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const note = options.note ?? ((text: string) => process.stderr.write(text));
  const scanned = await scanLab({ ...options.scan, onWarning: (w) => note(`note: ${w}\n`) });
  const mapFile = options.write ?? options.lab ?? DEFAULT_LAB_FILE;
  const previous = fs.existsSync(mapFile) ? readEntriesLoosely(mapFile) : [];
  if (options.json) {
    out(`${JSON.stringify({ probes: scanned.map((p) => ({ ...p, boardId: boardOf(p, previous) })) }, null, 2)}\n`);
  } else if (scanned.length === 0) {
    out('no ST-Link probes attached\n');
  } else {
    out(`${scanTable(scanned, previous)}\n`);
  }
  if (options.write === undefined) return;
  if (scanned.length === 0) {
    note(`nothing written to ${options.write}: no probe to list\n`);
    return;
  }
  const draft = draftLabMap(scanned, { version: 1, boards: previous });
  // Keep hand-made entries for boards that are unplugged right now.
  const listed = new Set(draft.boards.map((b) => b.probeSerial));
  const boards = [...draft.boards, ...previous.filter((b) => !listed.has(b.probeSerial))];
  saveLabMap({ version: 1, boards }, options.write);
  const open = boards.filter((b) => b.boardId === UNASSIGNED).length;
  out(`wrote ${options.write}: ${boards.length} board${boards.length === 1 ? '' : 's'}` +
    (open > 0 ? `; set "boardId" of the ${open} "${UNASSIGNED}" one(s) to one of: ${realBoardIds().join(', ')}` : '') + '\n');
}

/** One row per probe; a probe with several ports lists the first (persistent paths come first). */
export function scanTable(scanned: ScannedProbe[], known: LabEntry[] = []): string {
  const header = ['probe', 'serial', 'serial port', 'board'];
  const rows = scanned.map((p) => [p.label, p.serial ?? '(unreadable: udev permissions?)', p.serialPorts[0] ?? '-', boardOf(p, known) ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function boardOf(probe: ScannedProbe, known: LabEntry[]): string | undefined {
  return known.find((b) => probe.serial !== null && b.probeSerial === probe.serial)?.boardId;
}

/** A draft still holds "unassigned" ids that loadLabMap rejects, so an update reads the entries without judging them. */
function readEntriesLoosely(file: string): LabEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LabError(`cannot read hardware map ${file}: ${(err as Error).message}; fix it or write the scan elsewhere`);
  }
  const boards = (raw as { boards?: unknown } | null)?.boards;
  if (!Array.isArray(boards) || !boards.every((b) => typeof b === 'object' && b !== null && typeof (b as LabEntry).probeSerial === 'string')) {
    throw new LabError(`${file} is not a hardware map ({ "version": 1, "boards": [{ "probeSerial": … }] }); fix it or write the scan elsewhere`);
  }
  return boards as LabEntry[];
}

function realBoardIds(): string[] {
  return loadAllBoards().filter((b) => b.board.type === 'mcu').map((b) => b.board.id);
}
