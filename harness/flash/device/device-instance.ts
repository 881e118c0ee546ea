// A real board prepared the way QemuInstance prepares an emulated one: the firmware is flashed and held at its
// reset vector until resume(), so the caller can open the console port first and lose no boot output.
import { BoardError, loadBoard, type ResolvedBoard } from '../../boards';
import type { LabEntry } from '../../lab';
import type { FlashProgress } from '../algorithms/flash-image';
import type { ProbeFactory } from '../probe';
import { flashBoard, type FlashBoardResult } from '../stlink/flash-board';
import { StlinkProbeFactory } from '../stlink/stlink-factory';
import { locateBoard, type LabSource } from './lab-lookup';

export interface DeviceLaunchOptions {
  /** Hardware map (a lab.json path or a loaded map); default lab.json in the repository, or $MCUBENCH_LAB. */
  lab?: LabSource;
  /** Leave the core halted after flashing until resume() (default true), like QemuInstance's paused launch. */
  paused?: boolean;
  /** ST-Links on the real USB bus by default; tests and dry runs pass harness/flash/stlink/sim's factory. */
  probeFactory?: ProbeFactory;
  onProgress?: (progress: FlashProgress) => void;
  boardsDir?: string;
}

export class DeviceInstance {
  private stopped = false;

  private constructor(
    readonly board: ResolvedBoard,
    readonly entry: LabEntry & { serialPort: string },
    /** What flashing did: erased sectors, bytes, DEV_ID, which probe. */
    readonly flash: FlashBoardResult,
    private readonly probes: ProbeFactory,
    private running: boolean,
  ) {}

  /** Looks the board up in the hardware map, then flashes the ELF (or .bin) through its ST-Link. */
  static async launch(board: string | ResolvedBoard, elf: string, options: DeviceLaunchOptions = {}): Promise<DeviceInstance> {
    const resolved = typeof board === 'string' ? loadBoard(board, options.boardsDir) : board;
    const id = resolved.board.id;
    if (resolved.board.type !== 'mcu') {
      throw new BoardError(`board '${id}' is emulated: it runs in QEMU (startEmulatedBoard in harness/flash/qemu), not on a probe`);
    }
    const { entry } = locateBoard(id, options.lab, options.boardsDir);
    const probes = options.probeFactory ?? new StlinkProbeFactory();
    const paused = options.paused ?? true;
    const flash = await flashBoard({
      boardId: id, elfOrBin: elf, probeSelector: { serial: entry.probeSerial }, probeFactory: probes,
      onProgress: options.onProgress, halt: paused, boardsDir: options.boardsDir,
    });
    return new DeviceInstance(resolved, entry, flash, probes, !paused);
  }

  /** The board's console: the ST-Link virtual COM port from the hardware map (QemuInstance calls it ptyPath). */
  get serialPath(): string {
    return this.entry.serialPort;
  }

  get baudRate(): number {
    return this.board.board.uart.baud;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** "nucleo-f412zg (real) via ST-Link V2-1 at bus 1 addr 5, serial 0671FF…, console /dev/serial/by-id/…" */
  get description(): string {
    return `${this.board.board.id} (real board) via ${this.flash.probe.label}, serial ${this.entry.probeSerial}, console ${this.serialPath}`;
  }

  /** Starts the flashed firmware (from its reset vector); the counterpart of QemuInstance.resume(). */
  async resume(): Promise<void> {
    await this.reset();
  }

  /** Resets the target through the probe and lets it run: the firmware starts again from its reset vector. */
  async reset(): Promise<void> {
    if (this.stopped) throw new BoardError(`${this.description}: reset() after stop()`);
    // The probe is opened per reset, not held: the USB device stays free for other tools between runs.
    const probe = await this.probes.open({ serial: this.entry.probeSerial });
    try {
      await probe.attach();
      await probe.reset(false);
    } finally {
      await probe.close().catch(() => undefined); // the reset happened or threw; a failed goodbye adds nothing
    }
    this.running = true;
  }

  /** Releases the board. The probe is already closed and the firmware keeps running, as a real board would. */
  async stop(): Promise<void> {
    this.stopped = true;
  }
}
