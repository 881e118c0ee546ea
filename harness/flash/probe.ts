// The probe abstraction the flash algorithms program through: list and open probes, then read and write target
// memory. Kinds live in sibling folders (stlink/, qemu/); algorithms/ knows only this file (probe-rs's split).
import { UserError } from '../errors';

/** Any failure while finding, opening or driving a probe, or while programming; the message names probe and address. */
export class FlashError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'FlashError';
  }
}

export interface ProbeInfo {
  /** Probe kind folder, e.g. 'stlink'. */
  kind: string;
  /** Human label used in every error, e.g. "ST-Link V2-1 at bus 1 addr 5". */
  label: string;
  vendorId: number;
  productId: number;
  /** USB serial string; null when the device would not tell (no permission). */
  serial: string | null;
}

/** Which probe to open: by serial, or (empty) the only one attached. */
export interface ProbeSelector {
  serial?: string;
}

export interface ProbeFactory {
  list(): Promise<ProbeInfo[]>;
  open(selector?: ProbeSelector): Promise<Probe>;
}

/** What attach() learned about the target. */
export interface TargetIdentity {
  /** SW-DP IDCODE (e.g. 0x2ba01477 for a Cortex-M4's DP). */
  dpIdcode: number;
}

/**
 * An opened debug probe. Memory addresses and lengths are bytes; 32-bit accesses need 4-byte alignment.
 * Optional capabilities are methods that may be absent (query them with `in`), as probe-rs's try_as_* do.
 */
export interface Probe {
  readonly info: ProbeInfo;
  /** Connects to the target over SWD and halts the core: connect() then halt(). */
  attach(): Promise<TargetIdentity>;
  /** Connects over SWD without touching the core (it keeps running), so chip setup can precede the halt. */
  connect(): Promise<TargetIdentity>;
  /** Halts the core and waits until the core reports it halted. */
  halt(): Promise<void>;
  /** System reset; with halt the core stops at the reset vector, otherwise it runs the new image. */
  reset(halt: boolean): Promise<void>;
  readMemory32(address: number, length: number): Promise<Uint8Array>;
  writeMemory32(address: number, data: Uint8Array): Promise<void>;
  readMemory8(address: number, length: number): Promise<Uint8Array>;
  writeMemory8(address: number, data: Uint8Array): Promise<void>;
  readWord(address: number): Promise<number>;
  writeWord(address: number, value: number): Promise<void>;
  /** Target supply in volts, if the probe can measure it. */
  targetVoltage?(): Promise<number>;
  close(): Promise<void>;
}

export const hex32 = (value: number): string => `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
