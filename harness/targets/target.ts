// A board the bench can run firmware on, whatever puts the firmware there: QEMU for an emulated board, a flasher
// and the hardware map for a real one. The board session and `mcubench flash` see only this interface; which
// implementation serves a board is decided by its boards/<id>.json `flash.method` (see targets/index.ts).
import type { ResolvedBoard } from '../boards';
import type { Flasher, FlashReport } from '../flash/flasher';
import type { FlashProgress } from '../flash/algorithms/flash-image';
import type { LabSource } from './device/lab-lookup';

/** What a target's latency counter counts: QEMU's -icount counts instructions; silicon's DWT counts cycles. */
export type LatencyUnit = 'instructions' | 'cycles';

export interface Target {
  readonly board: ResolvedBoard;
  /** The serial console (QEMU's pty, or the ST-Link virtual COM port) as a path serialport can open. */
  readonly consolePath: string;
  /** What the firmware's latency figures count on this target. */
  readonly latencyUnit: LatencyUnit;
  /** One line for notes and errors: board, how it is reached, which instance. */
  readonly description: string;
  /** Which board instance this is, for results: "qemu pid 1234", "stlink 066DFF…" (the probe serial). */
  readonly instance: string;
  /** The local process standing in for the board (QEMU), if any: recovery tests kill it. */
  readonly pid?: number;
  /** Starts the firmware held at its reset vector by a paused launch. */
  resume(): Promise<void>;
  /** Restarts the firmware from its reset vector. */
  reset(): Promise<void>;
  /** Releases the board (ends QEMU; a real board keeps running). Safe to call twice. */
  stop(): Promise<void>;
  /** Why the target ended on its own (QEMU's exit status and last stderr lines), once it has; else undefined. */
  exitNote(): string | undefined;
}

export interface TargetLaunchOptions {
  /** Hold the firmware at its reset vector until resume() (default true), so no boot output is lost. */
  paused?: boolean;
  /** Real boards: the hardware map (a lab.json path or a loaded map); default lab.json or $MCUBENCH_LAB. */
  lab?: LabSource;
  /** Real boards: the flasher to use instead of the board's default one (tests pass the ST-Link simulator's). */
  flasher?: Flasher;
  onProgress?: (progress: FlashProgress) => void;
  boardsDir?: string;
}

export interface ProgramOptions {
  /** Probe USB serial (several probes attached); absent: the only one. */
  probeSerial?: string;
  flasher?: Flasher;
  onProgress?: (progress: FlashProgress) => void;
}

/** One way of reaching boards: launching firmware for a run and, where it means something, programming it for good. */
export interface TargetKind {
  /** The boards/<id>.json `flash.method` values it serves. */
  readonly methods: readonly string[];
  launch(board: ResolvedBoard, elf: string, options?: TargetLaunchOptions): Promise<Target>;
  /**
   * Writes firmware to the board's flash and starts it (`mcubench flash`). Absent where there is nothing to
   * program: an emulated board gets its ELF when it is launched.
   */
  program?(board: ResolvedBoard, firmware: string, options?: ProgramOptions): Promise<FlashReport>;
  /** Why program is absent, for the user. */
  readonly notProgrammable?: string;
}
