// Targets: where bench firmware runs. launchTarget() picks the implementation from the board's `flash.method`
// (qemu → QemuTarget, stlink → DeviceTarget with the ST-Link flasher); callers never branch on the board's type.
import { BoardError, type ResolvedBoard } from '../boards';
import { deviceTargetKind } from './device/device-target';
import { qemuTargetKind } from './qemu/qemu-target';
import type { Target, TargetKind, TargetLaunchOptions } from './target';

const KINDS: readonly TargetKind[] = [qemuTargetKind, deviceTargetKind];

export function targetKindFor(board: ResolvedBoard): TargetKind {
  const kind = KINDS.find((k) => k.methods.includes(board.board.flash.method));
  if (!kind) throw new BoardError(`board '${board.board.id}': no target serves flash method '${board.board.flash.method}'`);
  return kind;
}

/** Puts the ELF on the board and leaves it held at its reset vector (unless paused: false). */
export function launchTarget(board: ResolvedBoard, elf: string, options?: TargetLaunchOptions): Promise<Target> {
  return targetKindFor(board).launch(board, elf, options);
}

export type { LatencyUnit, ProgramOptions, Target, TargetKind, TargetLaunchOptions } from './target';
export { DeviceTarget } from './device/device-target';
export { flasherFor } from './device/flashers';
export { locateBoard, type BoardLocation, type LabSource } from './device/lab-lookup';
export { QemuTarget } from './qemu/qemu-target';
export { checkElfPlacement, readLoadSegments } from './qemu/elf-placement';
export { liveChildCount, reapOrphans } from '../process/children';
export { formatCommand, qemuArgs, QEMU_BINARY } from './qemu/qemu-args';
export { QemuInstance, type LaunchOptions, type QemuExit } from './qemu/qemu-instance';
