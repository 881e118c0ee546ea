// ST-Link commands as 16-byte blocks with their replies and status checks; one method per command.
// Layouts learned from stlink-org/stlink src/stlink-lib/usb.c and probe-rs stlink/mod.rs (not copied).
import { FlashError, hex32 } from '../probe';
import {
  Command, COMMAND_LENGTH, DebugCommand, DFU_EXIT, DP_ABORT, DP_PORT, FirmwareGate, STATUS_NAMES, STATUS_OK, STICKY_FAULT_STATUSES,
  SWIM_EXIT, V2_SWD_DIVISORS, WAIT_STATUSES,
} from './constants';
import type { UsbTransport } from './usb-transport';

export interface StlinkVersion {
  /** 2 for V2 and V2-1, 3 for V3. */
  stlink: number;
  jtag: number;
  swim: number;
  vendorId: number;
  productId: number;
}

export const DEFAULT_TIMEOUT_MS = 1000;
/** WAIT retries with 1, 2, 4 … ms pauses (OpenOCD retries memory transfers the same way): about 0.5 s in all. */
const WAIT_RETRIES = 9;

export function statusName(status: number): string {
  return `status 0x${status.toString(16).padStart(2, '0')} (${STATUS_NAMES[status] ?? 'unknown status'})`;
}

/** Builds the zero-padded 16-byte command block. */
export function commandBlock(...bytes: number[]): Uint8Array {
  if (bytes.length > COMMAND_LENGTH) throw new Error(`ST-Link command of ${bytes.length} bytes exceeds ${COMMAND_LENGTH}`);
  const block = new Uint8Array(COMMAND_LENGTH);
  block.set(bytes);
  return block;
}

export const le32 = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
export const le16 = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff];
const readLe32 = (bytes: Uint8Array, at: number): number => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;

/** Which optional commands this probe's firmware has (OpenOCD stlink_usb_version's flags). */
export interface StlinkFeatures {
  swdSetFreq: boolean;
  dapRegisters: boolean;
  max8: number;
}

export function featuresOf(version: StlinkVersion): StlinkFeatures {
  if (version.stlink >= 3) {
    return { swdSetFreq: true, dapRegisters: true, max8: version.jtag >= FirmwareGate.V3_RW8_512 ? 512 : 64 };
  }
  return { swdSetFreq: version.jtag >= FirmwareGate.V2_SWD_SET_FREQ, dapRegisters: version.jtag >= FirmwareGate.V2_DAP_REG, max8: 64 };
}

export class StlinkProtocol {
  /** Set once the firmware version is known; until then no optional command is sent. */
  features: StlinkFeatures | null = null;

  constructor(readonly transport: UsbTransport, readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  get label(): string {
    return this.transport.label;
  }

  /** Sends a command, then optional data out, then reads the reply (stlink's send_recv). */
  async exchange(block: Uint8Array, replyLength: number, dataOut?: Uint8Array): Promise<Uint8Array> {
    await this.transport.transferOut(block, this.timeoutMs);
    if (dataOut && dataOut.length > 0) await this.transport.transferOut(dataOut, this.timeoutMs);
    return replyLength > 0 ? this.transport.transferIn(replyLength, this.timeoutMs) : new Uint8Array(0);
  }

  async getVersion(): Promise<StlinkVersion> {
    const reply = await this.exchange(commandBlock(Command.GET_VERSION), 6);
    // Bytes 0-1, big-endian: 4 bits ST-Link version, 6 bits JTAG version, 6 bits SWIM version; then VID and PID LE.
    const packed = (reply[0] << 8) | reply[1];
    const version: StlinkVersion = {
      stlink: packed >> 12, jtag: (packed >> 6) & 0x3f, swim: packed & 0x3f,
      vendorId: reply[2] | (reply[3] << 8), productId: reply[4] | (reply[5] << 8),
    };
    if (version.stlink >= 3) {
      // V3 reports its real firmware numbers only through GET_VERSION_EX (12 bytes).
      const ex = await this.exchange(commandBlock(Command.GET_VERSION_EX), 12);
      return { stlink: ex[0], swim: ex[1], jtag: ex[2], vendorId: ex[8] | (ex[9] << 8), productId: ex[10] | (ex[11] << 8) };
    }
    return version;
  }

  async getCurrentMode(): Promise<number> {
    return (await this.exchange(commandBlock(Command.GET_CURRENT_MODE), 2))[0];
  }

  /** Leaves DFU (the probe's own firmware update mode); the probe sends no reply. */
  async exitDfu(): Promise<void> {
    await this.exchange(commandBlock(Command.DFU, DFU_EXIT), 0);
  }

  /** Leaves SWIM (the STM8 mode another tool may have left the probe in); no reply. */
  async exitSwim(): Promise<void> {
    await this.exchange(commandBlock(Command.SWIM, SWIM_EXIT), 0);
  }

  async enterSwd(): Promise<void> {
    await this.check(await this.exchange(commandBlock(Command.DEBUG, DebugCommand.ENTER, DebugCommand.ENTER_SWD), 2), 'enter SWD mode');
  }

  async exitDebug(): Promise<void> {
    await this.exchange(commandBlock(Command.DEBUG, DebugCommand.EXIT), 0);
  }

  /** Sets the SWD clock to the fastest supported rate not above `khz`; returns the rate chosen, or null when the
   * firmware cannot set it (V2 before J22 keeps its default 1.8 MHz). */
  async setSwdFrequency(version: StlinkVersion, khz: number): Promise<number | null> {
    if (version.stlink < 3 && version.jtag < FirmwareGate.V2_SWD_SET_FREQ) return null;
    if (version.stlink >= 3) {
      const reply = await this.exchange(commandBlock(Command.DEBUG, DebugCommand.SET_COM_FREQ, 0, 0, ...le32(khz)), 8);
      await this.check(reply, `set SWD clock to ${khz} kHz`);
      return readLe32(reply, 4);
    }
    const setting = V2_SWD_DIVISORS.find(([rate]) => rate <= khz) ?? V2_SWD_DIVISORS[V2_SWD_DIVISORS.length - 1];
    await this.check(await this.exchange(commandBlock(Command.DEBUG, DebugCommand.SWD_SET_FREQ, ...le16(setting[1])), 2), `set SWD clock to ${setting[0]} kHz`);
    return setting[0];
  }

  /** SW-DP IDCODE; 12-byte reply, status first, IDCODE at offset 4. */
  async readIdcodes(): Promise<number> {
    const reply = await this.exchange(commandBlock(Command.DEBUG, DebugCommand.READ_IDCODES), 12);
    await this.check(reply, 'read the SWD IDCODE (is the target powered and connected?)');
    return readLe32(reply, 4);
  }

  async readDebugRegister(address: number): Promise<number> {
    const reply = await this.retryOnWait(() => this.exchange(commandBlock(Command.DEBUG, DebugCommand.READ_DEBUG_REG, ...le32(address)), 8));
    await this.check(reply, `SWD read of ${hex32(address)}`);
    return readLe32(reply, 4);
  }

  async writeDebugRegister(address: number, value: number): Promise<void> {
    await this.check(await this.writeDebugRegisterStatus(address, value), `SWD write of ${hex32(value)} to ${hex32(address)}`);
  }

  /** The write, returning its status byte instead of checking it (a write that resets the chip has no good answer). */
  async writeDebugRegisterStatus(address: number, value: number): Promise<Uint8Array> {
    return this.retryOnWait(() => this.exchange(commandBlock(Command.DEBUG, DebugCommand.WRITE_DEBUG_REG, ...le32(address), ...le32(value)), 2));
  }

  /** Writes a DP (port 0xFFFF) or AP register; V2J24+ and V3 only. */
  async writeDapRegister(port: number, address: number, value: number): Promise<void> {
    const reply = await this.exchange(commandBlock(Command.DEBUG, DebugCommand.WRITE_DAP_REG, ...le16(port), ...le16(address), ...le32(value)), 2);
    if (reply[0] !== STATUS_OK) throw new FlashError(`${this.label}: write of ${hex32(value)} to DAP register ${address} failed: ${statusName(reply[0])}`);
  }

  /**
   * Clears the DP's sticky error flags (ABORT) after a fault, as pyOCD and OpenOCD do; without it every later AP
   * access fails too. Firmware without WRITE_DAP_REG (V2 before J24) cannot; the probe clears them on the next ENTER.
   */
  async clearStickyErrors(): Promise<void> {
    if (!this.features?.dapRegisters) return;
    await this.writeDapRegister(DP_PORT, DP_ABORT.ADDRESS, DP_ABORT.CLEAR_STICKY).catch(() => undefined);
  }

  async driveNrst(level: number): Promise<void> {
    await this.check(await this.exchange(commandBlock(Command.DEBUG, DebugCommand.DRIVE_NRST, level), 2), 'drive NRST');
  }

  /**
   * One READMEM command (caller keeps it within the probe's transfer limit), then GET_LAST_RW_STATUS2; repeated
   * while the target answers WAIT (a bus stalled by a flash operation), as OpenOCD's stlink_usb_read_mem does.
   */
  async readMemory(width: 8 | 32, address: number, length: number): Promise<Uint8Array> {
    const op = width === 32 ? DebugCommand.READMEM_32BIT : DebugCommand.READMEM_8BIT;
    // ST-Link quirk (OpenOCD, stlink): a 1-byte 8-bit read still returns 2 bytes.
    const replyLength = width === 8 && length === 1 ? 2 : length;
    const what = `SWD read of ${hex32(address)}`;
    for (let attempt = 0; ; attempt++) {
      const data = await this.exchange(commandBlock(Command.DEBUG, op, ...le32(address), ...le16(length), 0 /* AP 0 */), replyLength);
      if (!(await this.waitOrCheck(what, attempt))) return data.subarray(0, length);
    }
  }

  /** Writes are repeated whole after WAIT: rewriting a flash word with the same value changes nothing (NOR only clears bits). */
  async writeMemory(width: 8 | 32, address: number, data: Uint8Array): Promise<void> {
    const op = width === 32 ? DebugCommand.WRITEMEM_32BIT : DebugCommand.WRITEMEM_8BIT;
    const what = `SWD write of ${data.length} bytes at ${hex32(address)}`;
    for (let attempt = 0; ; attempt++) {
      await this.exchange(commandBlock(Command.DEBUG, op, ...le32(address), ...le16(data.length), 0 /* AP 0 */), 0, data);
      if (!(await this.waitOrCheck(what, attempt))) return;
    }
  }

  /** Target voltage in volts: 2 × 1.2 V × reading / factor (stlink usb.c _stlink_usb_target_voltage). */
  async targetVoltage(): Promise<number> {
    const reply = await this.exchange(commandBlock(Command.GET_TARGET_VOLTAGE), 8);
    const factor = readLe32(reply, 0);
    const reading = readLe32(reply, 4);
    if (factor === 0) throw new FlashError(`${this.label}: target voltage reply has a zero reference factor`);
    return (2 * 1.2 * reading) / factor;
  }

  /**
   * GET_LAST_RW_STATUS2 (12 bytes: 16-bit status, the faulting address at offset 4; probe-rs get_last_rw_status):
   * true when the access should be repeated after a WAIT; throws on any other failure, after clearing sticky flags.
   */
  private async waitOrCheck(what: string, attempt: number): Promise<boolean> {
    const reply = await this.exchange(commandBlock(Command.DEBUG, DebugCommand.GET_LAST_RW_STATUS2), 12);
    const status = reply[0] | (reply[1] << 8);
    if (status === STATUS_OK) return false;
    if (WAIT_STATUSES.has(status) && attempt < WAIT_RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, 1 << attempt));
      return true;
    }
    if (STICKY_FAULT_STATUSES.has(status)) await this.clearStickyErrors();
    const fault = readLe32(reply, 4);
    const at = fault !== 0 ? ` (fault at ${hex32(fault)})` : '';
    const retried = WAIT_STATUSES.has(status) ? ` after ${attempt + 1} attempts` : '';
    throw new FlashError(`${this.label}: ${what} failed${retried}: ${statusName(status)}${at}`);
  }

  private async check(reply: Uint8Array, what: string): Promise<void> {
    if (reply[0] === STATUS_OK) return;
    // Sticky flags are cleared before the throw so the caller's clean-up (relock, reset) still reaches the target.
    if (STICKY_FAULT_STATUSES.has(reply[0])) await this.clearStickyErrors();
    throw new FlashError(`${this.label}: ${what} failed: ${statusName(reply[0])}`);
  }

  /** Repeats a status-in-reply command while the target answers WAIT (e.g. the bus is stalled by a flash write). */
  private async retryOnWait(run: () => Promise<Uint8Array>): Promise<Uint8Array> {
    let reply = await run();
    for (let attempt = 0; attempt < WAIT_RETRIES && WAIT_STATUSES.has(reply[0]); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1 << attempt));
      reply = await run();
    }
    return reply;
  }
}

