// Finds where a real board is plugged in (its ST-Link serial and console port) in the hardware map, with errors
// that say which file to fix and how; everything is checked before any flashing starts.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_LAB_FILE, LabError, loadLabMap, type LabEntry, type LabMap } from '../../lab';

/** Where the hardware map comes from: a lab.json path, or a map already loaded (tests, a scheduler). */
export type LabSource = string | LabMap;

export interface BoardLocation {
  entry: LabEntry & { serialPort: string };
  /** Names the map in messages: the file as the user would type it, or "the hardware map". */
  labName: string;
}

export function locateBoard(boardId: string, lab: LabSource = DEFAULT_LAB_FILE, boardsDir?: string): BoardLocation {
  const labName = typeof lab === 'string' ? displayPath(lab) : 'the hardware map';
  const scanHint = `run \`mcubench boards --scan --write ${typeof lab === 'string' ? labName : 'lab.json'}\` and set the board ids`;
  if (typeof lab === 'string' && !fs.existsSync(lab)) {
    throw new LabError(`no hardware map ${labName}: launching ${boardId} needs its ST-Link serial and serial port from it; ${scanHint}`);
  }
  const map = typeof lab === 'string' ? loadLabMap(lab, boardsDir) : lab;
  const entries = map.boards.filter((b) => b.boardId === boardId);
  if (entries.length === 0) {
    const listed = [...new Set(map.boards.map((b) => b.boardId))].join(', ') || 'none';
    throw new LabError(`no entry for ${boardId} in ${labName} (boards listed: ${listed}); ${scanHint}`);
  }
  const entry = entries.find((b) => b.available);
  if (!entry) throw new LabError(`every ${boardId} entry in ${labName} is marked "available": false; set one to true to use it`);
  if (entry.serialPort === null) {
    throw new LabError(`${labName}: the ${boardId} entry (probe ${entry.probeSerial}) has no serialPort; set it to the ST-Link's ` +
      'virtual COM port, e.g. /dev/serial/by-id/usb-STMicroelectronics_STM32_STLink_<serial>-if02 (mcubench boards --scan lists them)');
  }
  if (!fs.existsSync(entry.serialPort)) {
    throw new LabError(`serial port ${entry.serialPort} of ${boardId} (from ${labName}) does not exist; is the board plugged in? ` +
      '`mcubench boards --scan` lists the ports attached now');
  }
  return { entry: { ...entry, serialPort: entry.serialPort }, labName };
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
