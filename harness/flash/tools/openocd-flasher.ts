// --flasher openocd: Debian's OpenOCD with the board's stock config (boards/<id>.json flash.openocd), one
// `program … verify reset exit`; its "** … **" milestones become progress, its Error: lines a FlashError.
import * as path from 'path';
import { FlashError } from '../probe';
import type { ResolvedBoard } from '../../boards';
import { refuseForeignFirmware, type Flasher, type FlashReport, type FlashRequest } from '../flasher';
import { runChild, shellLine, type ChildRun } from './child-tool';

/** Where Debian's openocd package keeps its scripts (board/, target/, interface/). */
export const OPENOCD_SCRIPTS = '/usr/share/openocd/scripts';

/** `program` leaves the target halted without its `reset` option, as the run path wants before the console opens. */
export function openocdArgs(config: string, firmware: string, flashBase: number, probeSerial?: string, halt = false): string[] {
  const args = ['-f', config];
  if (probeSerial) args.push('-c', `adapter serial ${probeSerial}`);
  // A .bin has no addresses: program it at the flash base; an ELF carries its own.
  const at = firmware.toLowerCase().endsWith('.bin') ? ` 0x${flashBase.toString(16)}` : '';
  args.push('-c', `program {${path.resolve(firmware)}}${at} verify${halt ? '' : ' reset'} exit`);
  return args;
}

/** Known OpenOCD failure lines → what to do about them. */
const DIAGNOSES: Array<[RegExp, string]> = [
  [/Can't find (\S+\.cfg)/, 'OpenOCD has no config $1; check flash.openocd in boards/<id>.json against /usr/share/openocd/scripts'],
  [/open failed|unable to open ST-Link|No ST-Link|couldn't find/i, 'OpenOCD found no ST-Link: is the board plugged in, the udev rule installed, and no other tool (mcubench, st-util) holding the probe?'],
  [/init mode failed|unable to connect to the target/i, 'the ST-Link is there but the target does not answer on SWD: check target power and the SWD jumpers (CN2 on Nucleo/Discovery)'],
  [/target voltage may be too low/i, 'the target voltage is too low: is the board powered?'],
  [/Verify Failed|checksum mismatch|verify failed/i, 'the flash did not read back as written: retry; if it repeats, the flash may be worn or write-protected'],
  [/device is (read|write) protected|protected/i, 'the flash is protected: remove read-out/write protection first (see README "Real hardware")'],
];

export function diagnoseOpenocd(run: ChildRun): string {
  const text = run.lines.join('\n');
  for (const [pattern, advice] of DIAGNOSES) {
    const match = pattern.exec(text);
    if (match) return advice.replace('$1', match[1] ?? '');
  }
  return 'see the OpenOCD output above';
}

function configOf(board: ResolvedBoard['board']): string {
  if (!board.flash.openocd) throw new FlashError(`board '${board.id}' names no OpenOCD config (flash.openocd in boards/${board.id}.json), so --flasher openocd cannot be used`);
  return board.flash.openocd;
}

export class OpenocdFlasher implements Flasher {
  readonly method = 'openocd';

  constructor(private readonly command = 'openocd', private readonly timeoutMs = 180_000) {}

  async flash(job: FlashRequest): Promise<FlashReport> {
    refuseForeignFirmware(job);
    const { board, chip } = job.board;
    const config = configOf(board);
    const args = openocdArgs(config, job.firmware, chip.flash.base, job.probeSerial, job.halt);
    const report = job.onProgress;
    const run = await runChild(this.command, args, {
      debianPackage: 'openocd', timeoutMs: this.timeoutMs,
      onLine: (line) => {
        if (/\*\* Programming Started \*\*/.test(line)) report?.({ phase: 'program', done: 0, total: 1 });
        else if (/\*\* Programming Finished \*\*/.test(line)) report?.({ phase: 'program', done: 1, total: 1 });
        else if (/\*\* Verify Started \*\*/.test(line)) report?.({ phase: 'verify', done: 0, total: 1 });
        else if (/\*\* Verified OK \*\*/.test(line)) report?.({ phase: 'verify', done: 1, total: 1 });
      },
    });
    const verified = run.lines.some((l) => /\*\* Verified OK \*\*/.test(l));
    if (run.code !== 0 || !verified) {
      const errors = run.lines.filter((l) => /^Error:|\*\* .*(failed|Failed).* \*\*/.test(l)).slice(-4);
      throw new FlashError(`openocd could not flash ${path.basename(job.firmware)} onto ${board.id} (exit ${run.code}): ${diagnoseOpenocd(run)}` +
        `\n  ${errors.join('\n  ') || run.lines.slice(-4).join('\n  ')}\n  command: ${shellLine(this.command, args)}`);
    }
    const written = run.lines.map((l) => /wrote (\d+) bytes/.exec(l)).find((m) => m);
    return {
      probe: { label: `OpenOCD (${config})`, serial: job.probeSerial ?? null }, bytesProgrammed: written ? Number(written[1]) : 0, erasedSectors: [],
      verify: 'ok (OpenOCD reported "Verified OK")', details: [job.halt ? 'target left halted' : 'target reset, firmware running'],
    };
  }

  async reset(board: ResolvedBoard, probeSerial?: string): Promise<void> {
    const args = ['-f', configOf(board.board), ...(probeSerial ? ['-c', `adapter serial ${probeSerial}`] : []), '-c', 'init; reset run; shutdown'];
    const run = await runChild(this.command, args, { debianPackage: 'openocd', timeoutMs: 30_000 });
    if (run.code !== 0) throw new FlashError(`openocd could not reset ${board.board.id} (exit ${run.code}): ${diagnoseOpenocd(run)}\n  command: ${shellLine(this.command, args)}`);
  }
}
