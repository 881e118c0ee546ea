// `mcubench boards`: the boards this checkout knows (boards/*.json), with their chip limits, and any attached ST-LINK.
import type { Command } from 'commander';
import { loadAllBoards, type ResolvedBoard } from '../../boards';
import { scanStlinks, type ProbeScan } from '../../flash/stlink/attached-probes';
import type { UsbDeviceSource } from '../../flash/stlink/usb-transport';
import { UsageError } from '../../errors';
import { boardsScan } from './boards-scan';

export function registerBoards(program: Command): void {
  program
    .command('boards')
    .description('list the real and emulated boards (boards/*.json) with their memory limits and any attached ST-LINK')
    .option('--json', 'print the resolved boards as JSON')
    // --scan before --no-scan: the option stays undefined (list boards, look for probes) unless one is given.
    .option('--scan', 'list attached ST-LINKs with their serial ports and boards; with --write, draft a hardware map')
    .option('--no-scan', 'do not look for ST-LINK probes on USB')
    .option('--write <lab.json>', 'with --scan: write or update the hardware map (new probes get boardId "unassigned")')
    .action(async (opts: { json?: boolean; scan?: boolean; write?: string }) => {
      if (opts.scan === true) return boardsScan({ write: opts.write, json: opts.json });
      if (opts.write !== undefined) throw new UsageError('--write <lab.json> goes with --scan: mcubench boards --scan --write lab.json');
      await listBoards({ json: opts.json, scan: opts.scan !== false });
    });
}

export interface ListBoardsOptions {
  json?: boolean;
  /** Look for attached ST-Links (the same enumeration as `boards --scan`). */
  scan?: boolean;
  /** The real USB bus by default; tests pass simulated probes. */
  usbDevices?: UsbDeviceSource;
  out?: (text: string) => void;
}

export async function listBoards(options: ListBoardsOptions = {}): Promise<void> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const boards = loadAllBoards();
  const scan: ProbeScan = options.scan !== false ? await scanStlinks(options.usbDevices) : { scanned: false, reason: '--no-scan' };
  if (options.json) {
    const usb = scan.scanned ? { scanned: true, probes: scan.probes.map(({ device: _device, ...probe }) => probe) } : scan;
    out(`${JSON.stringify({ boards: boards.map(toJson), usb }, null, 2)}\n`);
    return;
  }
  out(`${formatBoardTable(boards)}\n`);
  if (!scan.scanned) {
    out(`attached ST-LINK probes: not scanned (${scan.reason})\n`);
  } else {
    const list = scan.probes.map((p) => `${p.label} (serial ${p.serial ?? 'unreadable'})`).join(', ');
    out(`attached ST-LINK probes: ${scan.probes.length === 0 ? 'none' : list}\n`);
  }
}

export function formatBoardTable(boards: ResolvedBoard[]): string {
  const header = ['board', 'type', 'chip', 'core', 'SRAM', 'flash', 'clock', 'runs on'];
  const rows = boards.map(({ board, chip }) => [
    board.id,
    board.type,
    chip.id,
    chip.core,
    kib(chip.sram.size + (chip.ccm?.size ?? 0)) + (chip.ccm ? ` (${kib(chip.ccm.size)} CCM)` : ''),
    kib(chip.flash.size),
    `${board.clockHz / 1e6} MHz`,
    board.qemu ? `qemu ${board.qemu.machine}` : `${board.flash.method}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function kib(bytes: number): string {
  return `${bytes / 1024} KB`;
}

function toJson({ board, chip, linkRegions }: ResolvedBoard): unknown {
  return { ...board, chipFacts: chip, linkRegions };
}
