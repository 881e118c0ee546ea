// `mcubench flash --board <id> <firmware>`: put an ELF or .bin on a board through its target's flasher, with
// progress (a bar on a terminal, plain lines in logs); --simulate runs the same flow against the ST-Link simulator.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadAllBoards, loadBoard, type Chip } from '../../boards';
import type { FlashProgress } from '../../flash/algorithms/flash-image';
import type { Flasher, FlashReport } from '../../flash/flasher';
import { hex32 } from '../../flash/probe';
import { SimStm32Target, SimulatedStlink, simulatedProbeFactory } from '../../flash/stlink/sim';
import { StlinkFlasher } from '../../flash/stlink/stlink-flasher';
import { flasherFor, targetKindFor } from '../../targets';
import { flasherOption } from '../options';
import { UsageError } from '../../errors';

interface FlashCliOptions {
  board: string;
  probe?: string;
  simulate?: boolean;
  flasher?: string;
}

/** The USB serial the simulated ST-Link reports unless --probe names one. */
export const SIMULATED_PROBE_SERIAL = 'SIMULATED000000000000001';

export function registerFlash(program: Command): void {
  program
    .command('flash')
    .description('flash firmware onto a real board through its ST-Link (emulated boards are started by mcubench run)')
    .argument('<firmware>', 'firmware.elf or firmware.bin (from mcubench build)')
    .requiredOption('--board <id>', 'board id (see mcubench boards)')
    .option('--probe <serial>', 'ST-Link USB serial, when several are attached (see mcubench boards --scan)')
    .option('--simulate', 'dry run: the same flow against the built-in ST-Link + STM32 simulator; no hardware is touched')
    .addOption(flasherOption())
    .action(async (firmware: string, opts: FlashCliOptions) => {
      const resolved = loadBoard(opts.board);
      const { board, chip } = resolved;
      const kind = targetKindFor(resolved);
      if (!kind.program) {
        const programmable = loadAllBoards().filter((b) => targetKindFor(b).program).map((b) => b.board.id);
        throw new UsageError(`'${board.id}': there is nothing to flash: ${kind.notProgrammable}. mcubench flash is for: ${programmable.join(', ')}`);
      }
      if (!fs.existsSync(firmware)) throw new UsageError(`firmware '${firmware}' does not exist; build it with mcubench build --board ${board.id} --out firmware.elf`);
      if (opts.simulate && opts.flasher !== undefined && opts.flasher !== 'stlink') {
        throw new UsageError(`--simulate runs our ST-Link driver against its simulator; it cannot stand in for ${opts.flasher}`);
      }
      const flasher = opts.simulate ? simulatedFlasher(chip, opts.probe) : opts.flasher === undefined ? undefined : flasherFor(resolved, opts.flasher);
      const progress = flashProgress(process.stderr);
      let result: FlashReport;
      try {
        result = await kind.program(resolved, firmware, { probeSerial: opts.probe, flasher, onProgress: progress.update });
      } finally {
        progress.stop();
      }
      process.stdout.write(`${flashSummary(path.basename(firmware), board.id, chip, result, opts.simulate === true)}\n`);
    });
}

function simulatedFlasher(chip: Chip, serial: string | undefined): Flasher {
  return new StlinkFlasher(simulatedProbeFactory([new SimulatedStlink(new SimStm32Target(chip), { serial: serial ?? SIMULATED_PROBE_SERIAL })]));
}

export function flashSummary(image: string, boardId: string, chip: Chip, result: FlashReport, simulated: boolean): string {
  const sizes = chip.flash.sectors ?? [];
  const erasedBytes = result.erasedSectors.reduce((sum, s) => sum + (sizes[s] ?? 0), 0);
  return [
    `flashed ${image} onto ${boardId}${simulated ? ' (SIMULATED: no hardware touched)' : ''} through ${result.probe.label}, serial ${result.probe.serial ?? 'unreadable'}`,
    ...(result.erasedSectors.length > 0 ? [`  erased:     sector${result.erasedSectors.length === 1 ? '' : 's'} ${result.erasedSectors.join(', ')} (${erasedBytes} bytes)`] : []),
    `  programmed: ${result.bytesProgrammed} bytes${result.details?.length ? ` (${result.details.join('; ')})` : ''}`,
    `  verify:     ${result.verify ?? `ok (${result.bytesProgrammed} bytes read back equal the image)`}`,
    `  target:     ${result.devId === undefined ? '' : `DEV_ID 0x${result.devId.toString(16)} (${chip.id}), `}` +
      `${result.dpIdcode === undefined ? '' : `SW-DP IDCODE ${hex32(result.dpIdcode)}; `}reset, firmware running`,
  ].join('\n');
}

interface FlashProgressView {
  update: (progress: FlashProgress) => void;
  stop: () => void;
}

/** One bar per phase on a terminal; otherwise one plain line as each phase completes (logs stay readable). */
export function flashProgress(stream: NodeJS.WriteStream): FlashProgressView {
  if (!stream.isTTY) {
    return {
      update: ({ phase, done, total }) => {
        if (done === total) stream.write(`flash: ${phase} ${done}/${total} bytes\n`);
      },
      stop: () => undefined,
    };
  }
  let bar: SingleBar | undefined;
  let current: FlashProgress['phase'] | undefined;
  return {
    update: ({ phase, done, total }) => {
      if (phase !== current) {
        bar?.stop();
        current = phase;
        bar = new SingleBar({ stream, format: `flash ${phase.padEnd(7)} [{bar}] {percentage}% | {value}/{total} bytes`, hideCursor: true });
        bar.start(total, done);
      }
      bar!.update(done);
    },
    stop: () => bar?.stop(),
  };
}
