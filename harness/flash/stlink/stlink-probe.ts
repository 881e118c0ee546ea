// A Probe on an ST-Link: mode handling on attach, chunked memory access, reset through the Cortex-M debug registers.
import { FlashError, hex32, type Probe, type ProbeInfo, type TargetIdentity } from '../probe';
import { AIRCR, DEMCR, Dhcsr, FirmwareGate, MAX_TRANSFER_32, MAX_TRANSFER_8, Mode, NrstLevel, ST_VENDOR_ID } from './constants';
import { featuresOf, StlinkProtocol, type StlinkVersion } from './stlink-protocol';
import type { UsbTransport } from './usb-transport';

export interface StlinkOptions {
  /** SWD clock; 1800 kHz is the ST-Link default and safe on every board we have. */
  swdKhz?: number;
  timeoutMs?: number;
  /** How long reset() waits for the core to come out of reset, and halt() for S_HALT. */
  resetTimeoutMs?: number;
}

export class StlinkProbe implements Probe {
  readonly info: ProbeInfo;
  private readonly protocol: StlinkProtocol;
  private version: StlinkVersion | null = null;
  /** The probe is in SWD debug mode, so close() must send DEBUG_EXIT. */
  private inDebugMode = false;
  private max8 = MAX_TRANSFER_8;

  constructor(private readonly transport: UsbTransport, private readonly options: StlinkOptions = {}) {
    this.info = { kind: 'stlink', label: transport.label, vendorId: ST_VENDOR_ID, productId: transport.productId, serial: transport.serial };
    this.protocol = new StlinkProtocol(transport, options.timeoutMs);
  }

  /** Firmware version, known after connect(). */
  get firmware(): StlinkVersion | null {
    return this.version;
  }

  async attach(): Promise<TargetIdentity> {
    const identity = await this.connect();
    await this.halt();
    return identity;
  }

  /**
   * Brings SWD up without touching the core: leaves whatever mode another tool left the probe in (DFU, SWIM, a
   * stale debug session: OpenOCD's stlink_usb_init_mode), sets the clock, enters SWD, reads the DP IDCODE.
   */
  async connect(): Promise<TargetIdentity> {
    this.version = null;
    const version = await this.protocol.getVersion();
    const name = `V${version.stlink}J${version.jtag}`;
    if (version.stlink < 2 || (version.stlink === 2 && version.jtag < FirmwareGate.V2_RW_STATUS2)) {
      // GET_LAST_RW_STATUS2 (our only way to see a failed memory access) arrived in V2J15.
      throw new FlashError(`${this.info.label}: firmware ${name} is too old (need V2J${FirmwareGate.V2_RW_STATUS2} or later); update it with STM32CubeProgrammer (Firmware upgrade) or ST's STSW-LINK007`);
    }
    if (version.stlink >= 3 && version.jtag < FirmwareGate.V3_MIN) {
      throw new FlashError(`${this.info.label}: firmware ${name} has known protocol-switching bugs (fixed in V3J${FirmwareGate.V3_MIN}); update it with STM32CubeProgrammer (Firmware upgrade) or ST's STSW-LINK007`);
    }
    const features = featuresOf(version);
    this.protocol.features = features;
    this.max8 = features.max8;
    const mode = await this.protocol.getCurrentMode();
    if (mode === Mode.DFU) await this.protocol.exitDfu();
    else if (mode === Mode.SWIM) await this.protocol.exitSwim();
    else if (mode === Mode.DEBUG) await this.protocol.exitDebug(); // a session left by a crashed tool: start afresh
    await this.protocol.setSwdFrequency(version, this.options.swdKhz ?? 1800);
    await this.protocol.enterSwd();
    this.inDebugMode = true;
    const dpIdcode = await this.protocol.readIdcodes();
    if (dpIdcode === 0 || dpIdcode === 0xffffffff) {
      throw new FlashError(`${this.info.label}: no target answered on SWD (IDCODE ${hex32(dpIdcode)}); check the cable and target power`);
    }
    await this.protocol.clearStickyErrors(); // flags left by the previous session would fail our first access
    this.version = version;
    return { dpIdcode };
  }

  /** Requests a halt and waits until DHCSR reports S_HALT: a core asleep with its debug clock gated may not stop. */
  async halt(): Promise<void> {
    this.requireAttached();
    await this.protocol.writeDebugRegister(Dhcsr.ADDRESS, (Dhcsr.DBGKEY | Dhcsr.C_DEBUGEN | Dhcsr.C_HALT) >>> 0);
    const timeoutMs = this.options.resetTimeoutMs ?? 500;
    const deadline = Date.now() + timeoutMs;
    let dhcsr = 0;
    for (;;) {
      dhcsr = await this.protocol.readDebugRegister(Dhcsr.ADDRESS);
      if ((dhcsr & Dhcsr.S_HALT) !== 0) return;
      if (Date.now() > deadline) {
        throw new FlashError(`${this.info.label}: the core did not halt within ${timeoutMs} ms (DHCSR ${hex32(dhcsr)}); ` +
          'if the firmware sleeps (WFI/STOP), enable DBGMCU debug in low-power modes or connect under reset');
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * System reset through AIRCR.SYSRESETREQ, the NRST pin if the core does not come out of reset. The reset kills
   * the AIRCR write's own transaction, so its status is ignored (pyOCD does the same); DHCSR reads during the reset
   * may fail and are retried until the deadline; DEMCR is restored on every path, so a vector catch set here
   * never halts a later reset.
   */
  async reset(halt: boolean): Promise<void> {
    this.requireAttached();
    const demcr = await this.protocol.readDebugRegister(DEMCR.ADDRESS);
    const catchReset = halt ? demcr | DEMCR.VC_CORERESET : demcr & ~DEMCR.VC_CORERESET;
    await this.protocol.writeDebugRegister(DEMCR.ADDRESS, catchReset >>> 0);
    try {
      // Running after reset: release debug control first, so the core is not left halted by C_HALT.
      const dhcsr = halt ? Dhcsr.DBGKEY | Dhcsr.C_DEBUGEN | Dhcsr.C_HALT : Dhcsr.DBGKEY;
      await this.protocol.writeDebugRegister(Dhcsr.ADDRESS, dhcsr >>> 0);
      await this.protocol.readDebugRegister(Dhcsr.ADDRESS); // clears the sticky S_RESET_ST before the reset
      await this.protocol.writeDebugRegisterStatus(AIRCR.ADDRESS, (AIRCR.VECTKEY | AIRCR.SYSRESETREQ) >>> 0);
      if (!(await this.waitForReset(halt))) {
        // SYSRESETREQ was ignored (e.g. a core in lockup); fall back to the NRST pin.
        await this.protocol.clearStickyErrors();
        await this.protocol.driveNrst(NrstLevel.PULSE);
        if (!(await this.waitForReset(halt))) {
          throw new FlashError(`${this.info.label}: the target did not reset, neither through AIRCR.SYSRESETREQ nor the NRST pin; is NRST wired to the probe?`);
        }
      }
    } finally {
      await this.protocol.clearStickyErrors();
      await this.protocol.writeDebugRegister(DEMCR.ADDRESS, (demcr & ~DEMCR.VC_CORERESET) >>> 0);
    }
  }

  /** Polls DHCSR until S_RESET_ST (and S_HALT when halting) shows; failed reads during the reset are expected. */
  private async waitForReset(halt: boolean): Promise<boolean> {
    const deadline = Date.now() + (this.options.resetTimeoutMs ?? 500);
    let sawReset = false;
    for (;;) {
      const status = await this.protocol.readDebugRegister(Dhcsr.ADDRESS).catch(async (err: unknown) => {
        if (!(err instanceof FlashError)) throw err;
        await this.protocol.clearStickyErrors();
        return null;
      });
      if (status !== null) {
        sawReset ||= (status & Dhcsr.S_RESET_ST) !== 0;
        if (sawReset && (!halt || (status & Dhcsr.S_HALT) !== 0)) return true;
      }
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async readMemory32(address: number, length: number): Promise<Uint8Array> {
    this.checkAligned(address, length, 'read');
    const out = new Uint8Array(length);
    for (const [at, size] of chunks(address, length, MAX_TRANSFER_32)) {
      out.set(await this.protocol.readMemory(32, at, size), at - address);
    }
    return out;
  }

  async writeMemory32(address: number, data: Uint8Array): Promise<void> {
    this.checkAligned(address, data.length, 'write');
    for (const [at, size] of chunks(address, data.length, MAX_TRANSFER_32)) {
      await this.protocol.writeMemory(32, at, data.subarray(at - address, at - address + size));
    }
  }

  async readMemory8(address: number, length: number): Promise<Uint8Array> {
    this.requireAttached();
    const out = new Uint8Array(length);
    for (const [at, size] of chunks(address, length, this.max8)) out.set(await this.protocol.readMemory(8, at, size), at - address);
    return out;
  }

  async writeMemory8(address: number, data: Uint8Array): Promise<void> {
    this.requireAttached();
    for (const [at, size] of chunks(address, data.length, this.max8)) {
      await this.protocol.writeMemory(8, at, data.subarray(at - address, at - address + size));
    }
  }

  /** Single words go through the debug-register commands: one USB round trip each instead of two. */
  async readWord(address: number): Promise<number> {
    this.checkAligned(address, 4, 'read');
    return this.protocol.readDebugRegister(address);
  }

  async writeWord(address: number, value: number): Promise<void> {
    this.checkAligned(address, 4, 'write');
    await this.protocol.writeDebugRegister(address, value >>> 0);
  }

  async targetVoltage(): Promise<number> {
    return this.protocol.targetVoltage();
  }

  async close(): Promise<void> {
    try {
      if (this.inDebugMode) await this.protocol.exitDebug();
    } finally {
      this.version = null;
      this.inDebugMode = false;
      await this.transport.close();
    }
  }

  private requireAttached(): void {
    if (!this.version) throw new FlashError(`${this.info.label}: not attached; call attach() first`);
  }

  private checkAligned(address: number, length: number, what: string): void {
    this.requireAttached();
    if (address % 4 !== 0 || length % 4 !== 0) {
      throw new FlashError(`${this.info.label}: 32-bit ${what} of ${length} bytes at ${hex32(address)} is not 4-byte aligned`);
    }
  }
}

/** Splits [address, address+length) into pieces of at most `max` bytes that never cross a `max`-aligned boundary. */
export function chunks(address: number, length: number, max: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let at = address;
  const end = address + length;
  while (at < end) {
    const size = Math.min(end - at, max - (at % max));
    pieces.push([at, size]);
    at += size;
  }
  return pieces;
}
