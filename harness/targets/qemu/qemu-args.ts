// The qemu-system-arm command line for an emulated board; pure, so it can be shown and tested.
import type { ResolvedBoard } from '../../boards';
import { BoardError } from '../../boards';

export interface QemuArgOptions {
  elf: string;
  /** Unix socket for QMP (clean shutdown, resume). */
  qmpSocket: string;
  /** Start with the CPU stopped (-S) so the host can open the serial port before the first byte is sent. */
  paused: boolean;
}

export const QEMU_BINARY = 'qemu-system-arm';

export function qemuArgs(resolved: ResolvedBoard, options: QemuArgOptions): string[] {
  const qemu = resolved.board.qemu;
  if (!qemu) throw new BoardError(`board '${resolved.board.id}' is a real board (type "${resolved.board.type}"), not an emulated one`);
  return [
    '-M', qemu.machine,
    '-cpu', qemu.cpu,
    '-display', 'none',
    '-monitor', 'none',
    '-serial', 'pty',
    '-qmp', `unix:${options.qmpSocket},server=on,wait=off`,
    // Instruction counting makes compute timing reproducible; sleep=on keeps idle virtual time near wall time.
    '-icount', `shift=${qemu.icountShift},sleep=on`,
    ...qemu.extraArgs,
    ...(options.paused ? ['-S'] : []),
    '-kernel', options.elf,
  ];
}

/** Human-readable form for logs and error messages. */
export function formatCommand(args: string[]): string {
  return [QEMU_BINARY, ...args].map((arg) => (/^[\w./:,=-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
}
