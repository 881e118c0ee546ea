// Loads boards/<id>.json and the chip it names, validates both against their schemas and against each other.
import * as fs from 'fs';
import * as path from 'path';
import { BoardError } from './board-error';
import type { Board, Chip, LinkRegion, ResolvedBoard } from './board-types';
import { issueLines, SCHEMA_FILES, schemaCheck, type SchemaName } from '../schema/json-schema';

export const DEFAULT_BOARDS_DIR = path.resolve(__dirname, '..', '..', 'boards');

export function listBoardIds(boardsDir = DEFAULT_BOARDS_DIR): string[] {
  return fs.readdirSync(boardsDir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

export function loadBoard(id: string, boardsDir = DEFAULT_BOARDS_DIR): ResolvedBoard {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
    throw new BoardError(`'${id}' is not a board id; known boards: ${listBoardIds(boardsDir).join(', ')}`);
  }
  const boardFile = path.join(boardsDir, `${id}.json`);
  if (!fs.existsSync(boardFile)) {
    throw new BoardError(`unknown board '${id}' (no ${boardFile}); known boards: ${listBoardIds(boardsDir).join(', ')}`);
  }
  const board = parseBoard(readValidated(boardFile, 'board'), boardFile);
  const chipFile = path.join(boardsDir, 'chips', `${board.chip}.json`);
  if (!fs.existsSync(chipFile)) throw new BoardError(`${boardFile}: field 'chip': no chip file ${chipFile}`);
  const chip = loadChip(board.chip, boardsDir);
  const linkRegions = checkBoardAgainstChip(board, chip, boardFile);
  return { board, chip, linkRegions, boardFile, chipFile };
}

export function loadChip(id: string, boardsDir = DEFAULT_BOARDS_DIR): Chip {
  const chipFile = path.join(boardsDir, 'chips', `${id}.json`);
  if (!/^[a-z0-9]+$/.test(id) || !fs.existsSync(chipFile)) throw new BoardError(`unknown chip '${id}' (no ${chipFile})`);
  return parseChip(readValidated(chipFile, 'chip'), chipFile);
}

export function loadAllBoards(boardsDir = DEFAULT_BOARDS_DIR): ResolvedBoard[] {
  return listBoardIds(boardsDir).map((id) => loadBoard(id, boardsDir));
}

/** Reads a JSON file and validates it; every schema issue is reported, each with its field. */
export function readValidated(file: string, schema: SchemaName): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BoardError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const issues = schemaCheck(schema)(value);
  if (issues.length > 0) {
    throw new BoardError(`${file} does not match ${SCHEMA_FILES[schema]}; fix these fields:\n${issueLines(issues)}`);
  }
  return value as Record<string, unknown>;
}

const hex = (text: unknown): number => Number.parseInt(String(text), 16);

function parseChip(raw: Record<string, unknown>, file: string): Chip {
  const chip = structuredClone(raw) as unknown as Chip & { $schema?: string };
  delete chip.$schema;
  chip.flash.base = hex(chip.flash.base);
  chip.sram.base = hex(chip.sram.base);
  chip.sram.regions.forEach((region) => { region.base = hex(region.base); });
  if (chip.ccm) chip.ccm.base = hex(chip.ccm.base);
  expectStem(chip.id, file);
  let next = chip.sram.base;
  chip.sram.regions.forEach((region, i) => {
    if (region.base !== next) fail(file, `sram.regions[${i}].base`, `must be 0x${next.toString(16)} (banks are listed back to back from sram.base)`);
    next += region.size;
  });
  if (next - chip.sram.base !== chip.sram.size) fail(file, 'sram.size', `is ${chip.sram.size} but the regions add up to ${next - chip.sram.base}`);
  const sectorTotal = (chip.flash.sectors ?? []).reduce((sum, s) => sum + s, 0);
  if (chip.flash.sectors && sectorTotal !== chip.flash.size) fail(file, 'flash.sectors', `add up to ${sectorTotal}, flash.size is ${chip.flash.size}`);
  return chip;
}

function parseBoard(raw: Record<string, unknown>, file: string): Board {
  const board = structuredClone(raw) as unknown as Board & { $schema?: string };
  delete board.$schema;
  board.uart.base = hex(board.uart.base);
  if (board.flash.usb) board.flash.usb = { vid: hex(board.flash.usb.vid), pid: hex(board.flash.usb.pid) };
  if (board.qemu) {
    board.qemu.machineMemory.forEach((range) => { range.base = hex(range.base); });
    const link = board.qemu.linkAddresses;
    board.qemu.linkAddresses = { flash: hex(link.flash), sram: hex(link.sram), ...(link.ccm !== undefined ? { ccm: hex(link.ccm) } : {}) };
  }
  expectStem(board.id, file);
  if ((board.type === 'qemu') !== (board.qemu !== undefined)) fail(file, 'qemu', board.type === 'qemu' ? 'is required for type "qemu"' : 'is only allowed for type "qemu"');
  if ((board.type === 'qemu') !== (board.flash.method === 'qemu')) fail(file, 'flash.method', `"${board.flash.method}" does not suit a board of type "${board.type}"`);
  if (board.type === 'mcu' && board.timer !== 'dwt') fail(file, 'timer', 'real boards time with the DWT cycle counter ("dwt")');
  if (board.type === 'qemu' && board.timer === 'dwt') fail(file, 'timer', 'QEMU does not model DWT; use "systick"');
  return board;
}

/** Cross-checks the pair and computes the linker regions this board is built with. */
function checkBoardAgainstChip(board: Board, chip: Chip, file: string): LinkRegion[] {
  if (board.clockHz > chip.maxClockHz) fail(file, 'clockHz', `${board.clockHz} exceeds ${chip.id}'s maximum of ${chip.maxClockHz}`);
  if (board.type === 'mcu' && board.uart.irq >= chip.irqCount) fail(file, 'uart.irq', `${board.uart.irq} is beyond ${chip.id}'s ${chip.irqCount} interrupt lines`);
  const qemu = board.qemu;
  if (!qemu) {
    return withCcm([
      { name: 'FLASH', origin: chip.flash.base, size: chip.flash.size },
      { name: 'SRAM', origin: chip.sram.base, size: chip.sram.size },
    ], chip.ccm && { name: 'CCM', origin: chip.ccm.base, size: chip.ccm.size });
  }
  if (qemu.cpu !== chip.core) fail(file, 'qemu.cpu', `is ${qemu.cpu} but chip ${chip.id} has a ${chip.core}`);
  if ((qemu.linkAddresses.ccm !== undefined) !== (chip.ccm !== undefined)) {
    fail(file, 'qemu.linkAddresses.ccm', chip.ccm ? `is required: chip ${chip.id} has CCM` : `chip ${chip.id} has no CCM`);
  }
  const regions = withCcm([
    { name: 'FLASH', origin: qemu.linkAddresses.flash, size: chip.flash.size },
    { name: 'SRAM', origin: qemu.linkAddresses.sram, size: chip.sram.size },
  ], chip.ccm && { name: 'CCM', origin: qemu.linkAddresses.ccm as number, size: chip.ccm.size });
  for (const region of regions) {
    const field = `qemu.linkAddresses.${region.name.toLowerCase()}`;
    const inside = qemu.machineMemory.some((m) => region.origin >= m.base && region.origin + region.size <= m.base + m.size);
    if (!inside) fail(file, field, `${region.name} (${region.size} bytes at 0x${region.origin.toString(16)}) is not inside any of qemu.machineMemory`);
    for (const other of regions) {
      if (other !== region && region.origin < other.origin + other.size && other.origin < region.origin + region.size) {
        fail(file, field, `${region.name} overlaps ${other.name}`);
      }
    }
  }
  return regions;
}

function withCcm(regions: LinkRegion[], ccm: LinkRegion | undefined): LinkRegion[] {
  return ccm ? [...regions, ccm] : regions;
}

function expectStem(id: string, file: string): void {
  const stem = path.basename(file, '.json');
  if (id !== stem) fail(file, 'id', `is '${id}' but the file is named '${stem}.json'; they must agree`);
}

function fail(file: string, field: string, message: string): never {
  throw new BoardError(`${file}: field '${field}' ${message}`);
}
