// Which rate the link switches to after HELLO on a real board: the fastest of the board's `uart.rates` that its
// ST-Link's virtual COM port carries and that the board's USART divides out of its clock within 2 %. Emulated
// boards keep their boot rate: QEMU's pty ignores baud (bytes move as fast as the emulator runs).
import type { ResolvedBoard } from '../boards';
import { STLINK_MODELS, type StlinkModel } from '../flash/stlink/constants';

/**
 * Fastest VCP rate per ST-Link generation, as ST documents it: ST-LINK/V2-1 (the on-board probe of Nucleo-64/144
 * and Discovery boards of that era) up to 2 Mbit/s (TN1235, "Overview of ST-LINK derivatives"); STLINK-V3 up to
 * 15 Mbit/s (the STLINK-V3MINI product page: "VCP frequency up to 15 MHz"; V3SET/V3E state up to 16). ST-LINK/V2
 * dongles have no VCP. Only hardware can show how a given probe firmware behaves at the edge; the fallback covers it.
 */
export const VCP_MAX_BAUD: Readonly<Record<StlinkModel['name'], number>> = { V2: 0, 'V2-1': 2_000_000, V3: 15_000_000 };

/** Largest divisor error a rate may have (the firmware's MCB_UART_MAX_ERROR_PERMILLE, 20 ‰). */
export const MAX_DIVISOR_ERROR = 0.02;

/** Divisor error of `baud` on a USART (oversampling by 16) clocked at `clockHz`; Infinity when it cannot run. */
export function divisorError(clockHz: number, baud: number): number {
  const divisor = Math.round(clockHz / baud);
  if (divisor < 16) return Number.POSITIVE_INFINITY;
  return Math.abs(clockHz / divisor - baud) / baud;
}

export interface LinkBaudPlan {
  boot: number;
  fast: number;
  /** Each candidate and why it was kept or dropped, for `mcubench boards` and the run log. */
  considered: { baud: number; usable: boolean; why: string }[];
}

/** The boot and fast rate for a board, or undefined when the link stays at its boot rate (emulated, no VCP, no rates). */
export function linkBaudFor(resolved: ResolvedBoard): LinkBaudPlan | undefined {
  const { board } = resolved;
  if (board.type !== 'mcu' || !board.uart.rates?.length) return undefined;
  const model = board.flash.usb ? STLINK_MODELS.get(board.flash.usb.pid) : undefined;
  const vcpMax = model ? VCP_MAX_BAUD[model.name] : 0;
  const considered = board.uart.rates.map((baud) => {
    const error = divisorError(board.uart.clockHz, baud);
    if (baud > vcpMax) return { baud, usable: false, why: `above the ${model ? `ST-Link ${model.name}` : 'probe'}'s VCP limit of ${vcpMax} baud` };
    if (error > MAX_DIVISOR_ERROR) return { baud, usable: false, why: `${Number.isFinite(error) ? `divisor error ${(100 * error).toFixed(2)} %` : 'divisor below 16'} at ${board.uart.clockHz} Hz` };
    return { baud, usable: true, why: `divisor error ${(100 * error).toFixed(2)} %` };
  });
  const fast = Math.max(board.uart.baud, ...considered.filter((c) => c.usable).map((c) => c.baud));
  return fast > board.uart.baud ? { boot: board.uart.baud, fast, considered } : undefined;
}
