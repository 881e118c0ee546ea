// --flasher st-flash: stlink-tools' st-flash writes a raw binary at an address (an ELF is flattened first), verifies
// and resets; its "N/M pages written" lines become progress.
import * as fs from 'fs';
import * as path from 'path';
import { FlashError, hex32 } from '../probe';
import type { ResolvedBoard } from '../../boards';
import { refuseForeignFirmware, type Flasher, type FlashReport, type FlashRequest } from '../flasher';
import { runChild, shellLine, type ChildRun } from './child-tool';
import { flatBinary, writeTempBinary } from './flat-binary';

export function stFlashArgs(binary: string, address: number, probeSerial?: string, halt = false): string[] {
  return [...(probeSerial ? ['--serial', probeSerial] : []), ...(halt ? [] : ['--reset']), 'write', binary, `0x${address.toString(16)}`];
}

const DIAGNOSES: Array<[RegExp, string]> = [
  [/Couldn't find any ST-Link|No ST-LINK/i, 'st-flash found no ST-Link: is the board plugged in, the udev rule installed, and no other tool holding the probe?'],
  [/Unknown (chip|device) id|unknown chip/i, 'st-flash does not recognise the chip: check the SWD jumpers and target power'],
  [/Verification of flash failed|verify failed/i, 'the flash did not read back as written'],
  [/Flash memory is write protected|RDP|read out protection/i, 'the flash is protected: remove read-out/write protection first (see README "Real hardware")'],
  [/LIBUSB_ERROR_BUSY|resource busy/i, 'another program holds the ST-Link (OpenOCD, STM32CubeProgrammer, mcubench)'],
  [/LIBUSB_ERROR_ACCESS/i, 'no permission on the USB device: install the udev rule from the README and replug'],
];

export function diagnoseStFlash(run: ChildRun): string {
  const text = run.lines.join('\n');
  for (const [pattern, advice] of DIAGNOSES) if (pattern.test(text)) return advice;
  return 'see the st-flash output above';
}

export class StFlashFlasher implements Flasher {
  readonly method = 'st-flash';

  constructor(private readonly command = 'st-flash', private readonly timeoutMs = 180_000) {}

  async flash(job: FlashRequest): Promise<FlashReport> {
    refuseForeignFirmware(job);
    const { board, chip } = job.board;
    const image = flatBinary(job.firmware, chip.flash.base);
    const binary = writeTempBinary(image, `${path.basename(job.firmware).replace(/\.(elf|bin)$/i, '')}.bin`);
    const args = stFlashArgs(binary, image.address, job.probeSerial, job.halt);
    try {
      const run = await runChild(this.command, args, {
        debianPackage: 'stlink-tools', timeoutMs: this.timeoutMs,
        onLine: (line) => {
          const pages = /(\d+)\/\s*(\d+)\s+pages written/.exec(line);
          if (pages) job.onProgress?.({ phase: 'program', done: Number(pages[1]), total: Number(pages[2]) });
          else if (/Starting verification/i.test(line)) job.onProgress?.({ phase: 'verify', done: 0, total: 1 });
          else if (/written and verified/i.test(line)) job.onProgress?.({ phase: 'verify', done: 1, total: 1 });
        },
      });
      if (run.code !== 0 || !run.lines.some((l) => /written and verified/i.test(l))) {
        const errors = run.lines.filter((l) => /ERROR|WARN|Failed|failed/.test(l)).slice(-4);
        throw new FlashError(`st-flash could not flash ${path.basename(job.firmware)} onto ${board.id} (exit ${run.code}): ${diagnoseStFlash(run)}` +
          `\n  ${errors.join('\n  ') || run.lines.slice(-4).join('\n  ')}\n  command: ${shellLine(this.command, args)}`);
      }
      return {
        probe: { label: 'st-flash', serial: job.probeSerial ?? null }, bytesProgrammed: image.data.length, erasedSectors: [],
        verify: 'ok (st-flash reported "written and verified")',
        details: [`wrote ${image.data.length} bytes at ${hex32(image.address)}`, job.halt ? 'target not reset' : 'target reset, firmware running'],
      };
    } finally {
      fs.rmSync(path.dirname(binary), { recursive: true, force: true });
    }
  }

  async reset(board: ResolvedBoard, probeSerial?: string): Promise<void> {
    const args = [...(probeSerial ? ['--serial', probeSerial] : []), 'reset'];
    const run = await runChild(this.command, args, { debianPackage: 'stlink-tools', timeoutMs: 30_000 });
    if (run.code !== 0) throw new FlashError(`st-flash could not reset ${board.board.id} (exit ${run.code}): ${diagnoseStFlash(run)}\n  command: ${shellLine(this.command, args)}`);
  }
}
