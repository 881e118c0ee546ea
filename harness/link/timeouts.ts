// Per-board link timeouts from what the board JSON knows (baud rate, emulated or not) and the expected inference
// time (from the model's MACs); the board executor takes every link wait from here.

export interface LinkTiming {
  /** UART baud rate of a real board; leave out for a QEMU pty (which ignores it). */
  baudRate?: number;
  /** Worst expected inference time on this board (e.g. from a previous run or MACs / MAC-rate). */
  inferenceMs: number;
  /** QEMU: slower, jittery host scheduling; host->target runs at ~15-35 KB/s over the pty. */
  emulated?: boolean;
}

export interface LinkTimeouts {
  replyTimeoutMs: number;
  perByteMs: number;
  runTimeoutMs: number;
}

/** Milliseconds per byte on a UART at `baud` (10 bits a byte), doubled for margin. */
export function perByteMsForBaud(baud: number): number {
  if (!(baud > 0)) throw new RangeError(`baud rate ${baud} must be a positive number`);
  return (2 * 10 * 1000) / baud;
}

export function timeoutsFor(timing: LinkTiming): LinkTimeouts {
  if (!(timing.inferenceMs >= 0)) throw new RangeError(`inferenceMs ${timing.inferenceMs} must be a non-negative number`);
  const emulated = timing.emulated ?? false;
  return {
    replyTimeoutMs: emulated ? 500 : 250,
    // 0.1 ms/byte covers the pty's slowest measured host->target rate (15 KB/s = 0.067 ms/byte) with margin.
    perByteMs: timing.baudRate !== undefined ? perByteMsForBaud(timing.baudRate) : emulated ? 0.1 : 0.2,
    // Three times the expectation, and never under a second: inference times vary with caches and host load.
    runTimeoutMs: Math.max(1000, Math.ceil(3 * timing.inferenceMs)),
  };
}

/**
 * Guest instructions (QEMU) or core cycles (silicon) the reference kernels spend per MAC, with margin: measured
 * 20-30 on the bench firmware.
 */
const WORK_PER_MAC = 30;
/** Guest instructions per second QEMU manages on a loaded 2-core host (it reaches 100+ MIPS when idle). */
const QEMU_INSTRUCTIONS_PER_SECOND = 150e6;

/** Expected inference time of a model of `macs` multiply-accumulates: on QEMU, or on a core clocked at clockHz. */
export function expectedInferenceMs(macs: number, target: { emulated: true } | { emulated: false; clockHz: number }): number {
  const perSecond = target.emulated ? QEMU_INSTRUCTIONS_PER_SECOND : target.clockHz;
  return Math.ceil((macs * WORK_PER_MAC * 1000) / perSecond);
}
