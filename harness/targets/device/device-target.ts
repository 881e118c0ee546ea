// A real board as a Target: found in the hardware map (probe serial, console port), programmed by the flasher its
// boards/<id>.json `flash.method` names, held at its reset vector until resume(), so the caller can open the
// console first and lose no boot output (the order QEMU's -S gives an emulated board).
import { BoardError, type ResolvedBoard } from '../../boards';
import type { Flasher, FlashReport } from '../../flash/flasher';
import type { LabEntry } from '../../lab';
import type { ProgramOptions, Target, TargetKind, TargetLaunchOptions } from '../target';
import { FLASHER_METHODS, flasherFor } from './flashers';
import { locateBoard } from './lab-lookup';

export class DeviceTarget implements Target {
  readonly latencyUnit = 'cycles' as const;
  private stopped = false;

  private constructor(
    readonly board: ResolvedBoard,
    readonly entry: LabEntry & { serialPort: string },
    /** What flashing did: erased sectors, bytes, DEV_ID, which probe. */
    readonly flash: FlashReport,
    private readonly flasher: Flasher,
  ) {}

  /** Looks the board up in the hardware map, then programs the ELF (or .bin) with the board's flasher. */
  static async launch(board: ResolvedBoard, elf: string, options: TargetLaunchOptions = {}): Promise<DeviceTarget> {
    const { entry } = locateBoard(board.board.id, options.lab, options.boardsDir);
    const flasher = options.flasher ?? flasherFor(board, entry.flasher);
    const flash = await flasher.flash({ board, firmware: elf, probeSerial: entry.probeSerial, halt: options.paused ?? true, onProgress: options.onProgress });
    return new DeviceTarget(board, entry, flash, flasher);
  }

  /** The board's console: the probe's virtual COM port from the hardware map. */
  get consolePath(): string {
    return this.entry.serialPort;
  }

  get instance(): string {
    return `${this.flasher.method} ${this.entry.probeSerial}`;
  }

  /** "nucleo-f412zg (real board) via ST-Link V2-1 at bus 1 addr 5, serial 0671FF…, console /dev/serial/by-id/…" */
  get description(): string {
    return `${this.board.board.id} (real board) via ${this.flash.probe.label}, serial ${this.entry.probeSerial}, console ${this.consolePath}`;
  }

  resume(): Promise<void> {
    return this.reset();
  }

  async reset(): Promise<void> {
    if (this.stopped) throw new BoardError(`${this.description}: reset() after stop()`);
    await this.flasher.reset(this.board, this.entry.probeSerial);
  }

  /** Releases the board. The probe is already closed and the firmware keeps running, as a real board would. */
  async stop(): Promise<void> {
    this.stopped = true;
  }

  /** A real board does not exit; a silent one shows as link timeouts. */
  exitNote(): undefined {
    return undefined;
  }
}

export const deviceTargetKind: TargetKind = {
  methods: FLASHER_METHODS,
  launch: (board, elf, options) => DeviceTarget.launch(board, elf, options),
  program: (board, firmware, options: ProgramOptions = {}) => (options.flasher ?? flasherFor(board)).flash({
    board, firmware, probeSerial: options.probeSerial, halt: false, onProgress: options.onProgress,
  }),
};
