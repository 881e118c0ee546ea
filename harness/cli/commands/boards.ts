// `mcubench boards`: the boards this checkout knows (boards/*.json), with their chip limits, and any attached ST-LINK.
import type { Command } from 'commander';
import { loadAllBoards, scanStlinkProbes, type ResolvedBoard } from '../../boards';
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
      const boards = loadAllBoards();
      const scan = opts.scan !== false ? await scanStlinkProbes() : { scanned: false as const, reason: '--no-scan' };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ boards: boards.map(toJson), usb: scan }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${formatBoardTable(boards)}\n`);
      if (!scan.scanned) {
        process.stdout.write(`attached ST-LINK probes: not scanned (${scan.reason})\n`);
      } else {
        const list = scan.probes.map((p) => `${p.kind} ${p.serial ?? '(no serial)'}`).join(', ');
        process.stdout.write(`attached ST-LINK probes: ${scan.probes.length === 0 ? 'none' : list}\n`);
      }
    });
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
