// A simulated ST-Link at the USB boundary: it implements the WebUSB device subset the real binding uses, parses
// the 16-byte command blocks byte by byte, keeps the probe mode, and drives a SimStm32Target. It is strict: a
// command sent in the wrong mode, a reply read with the wrong length or an unknown command is recorded as a
// protocol violation and fails the transfer, so driver bugs show up in tests instead of on a real probe.
import type { UsbDeviceLike } from '../usb-transport';
import { BusFault, BusStall } from './flash-controller';
import type { SimStm32Target } from './stm32-target';

const MODE_DFU = 0x00;
const MODE_MASS = 0x01;
const MODE_DEBUG = 0x02;
const MODE_SWIM = 0x03;
const OK = 0x80;
const SWD_AP_FAULT = 0x11;
const SWD_AP_WAIT = 0x10;
const SWD_AP_STICKY_ERROR = 0x19;
/**
 * Instructions the target core executes per probe command: a USB round trip takes about 1 ms, in which a 100 MHz
 * core runs ~100 000 instructions; far fewer keeps tests fast and still lets the host outrun the core, which is
 * the harder case for the loader's handshake.
 */
const CORE_STEPS_PER_COMMAND = 2000;

/** hardware: what GET_VERSION's top nibble says (V3PWR says 4); drivers on the host: what holds the other interfaces. */
interface ModelSpec { hardware: 2 | 3 | 4; out: number; in: number; drivers: string[] }
/** Endpoints per product id as stlink-org usb.c and probe-rs select them (V2: OUT 2; V2-1 and V3: OUT 1; IN 1 for all). */
const MODELS: Record<number, ModelSpec> = {
  0x3748: { hardware: 2, out: 2, in: 1, drivers: [] },
  0x374a: { hardware: 2, out: 1, in: 1, drivers: ['cdc_acm', 'usb-storage'] },
  0x374b: { hardware: 2, out: 1, in: 1, drivers: ['cdc_acm', 'usb-storage'] },
  0x3752: { hardware: 2, out: 1, in: 1, drivers: ['cdc_acm'] },
  0x374e: { hardware: 3, out: 1, in: 1, drivers: ['cdc_acm', 'usb-storage'] },
  0x374f: { hardware: 3, out: 1, in: 1, drivers: ['cdc_acm', 'usb-storage'] },
  0x3753: { hardware: 3, out: 1, in: 1, drivers: ['cdc_acm', 'cdc_acm'] },
  0x3754: { hardware: 3, out: 1, in: 1, drivers: ['cdc_acm'] },
  0x3755: { hardware: 3, out: 1, in: 1, drivers: [] },
  0x3757: { hardware: 4, out: 1, in: 1, drivers: ['cdc_acm', 'usb-storage'] },
};

export interface SimStlinkOptions {
  productId?: number;
  serial?: string;
  bus?: string;
  address?: number;
  /** JTAG/SWD firmware number (V2J37 / V3J7 by default). */
  jtagVersion?: number;
  /** Kernel drivers bound to the probe's other interfaces (VCP, drive); default: what the product id exposes. */
  boundDrivers?: string[];
  /** False: the device object does not tell its active configuration (configuration undefined), as some bindings. */
  reportsConfiguration?: boolean;
  initialMode?: number;
  targetVolts?: number;
}

export interface SimFaults {
  /** The n-th next IN transfer (1 = the next) never completes, like a probe that stopped answering. */
  hangOnInTransfer?: number;
  /** The next memory access reports this status in GET_LAST_RW_STATUS2 (e.g. 0x12 SWD_AP_ERROR). */
  nextRwStatus?: number;
  /** The next n debug-register reads answer SWD_AP_WAIT first (a stalled bus). */
  waitReplies?: number;
  /** The next n 32-bit writes into flash stall half-way: half the words land, then GET_LAST_RW_STATUS2 says WAIT. */
  waitOnFlashWrites?: number;
  /** The next 32-bit write into flash faults after its first words (SWD_AP_FAULT, sticky until ABORT). */
  faultOnFlashWrite?: boolean;
}

export class SimulatedStlink implements UsbDeviceLike {
  readonly vendorId = 0x0483;
  readonly productId: number;
  readonly serialNumber: string;
  readonly bus: string;
  readonly address: number;
  opened = false;
  mode: number;
  swdKhz: number | null = null;
  readonly faults: SimFaults = {};
  /** Every 16-byte command block received, in order. */
  readonly commands: Uint8Array[] = [];
  readonly violations: string[] = [];
  private claimed = false;
  private reply: Uint8Array | null = null;
  private dataPhase: { width: 8 | 32; address: number; length: number } | null = null;
  private rw = { status: OK, faultAddress: 0 };
  /** DP CTRL/STAT sticky error: every AP access fails until ABORT clears it (ADIv5). */
  sticky = false;
  /** A debug session another tool left open: its AP state is unknown, so the probe must be re-entered. */
  private staleSession: boolean;
  private readonly model: ModelSpec;
  private readonly boundDrivers: string[];
  get configuration(): { configurationValue: number } | undefined {
    return this.options.reportsConfiguration === false ? undefined : { configurationValue: 1 };
  }

  constructor(readonly target: SimStm32Target | null, private readonly options: SimStlinkOptions = {}) {
    this.productId = options.productId ?? 0x374b;
    const model = MODELS[this.productId];
    if (!model) throw new Error(`the simulator has no ST-Link model for PID 0x${this.productId.toString(16)}`);
    this.model = model;
    this.serialNumber = options.serial ?? '066DFF515049657187212345';
    this.bus = options.bus ?? '1';
    this.address = options.address ?? 5;
    this.mode = options.initialMode ?? MODE_MASS;
    this.staleSession = this.mode === MODE_DEBUG;
    this.boundDrivers = options.boundDrivers ?? model.drivers;
  }

  private get jtag(): number {
    return this.options.jtagVersion ?? (this.model.hardware === 2 ? 37 : 7);
  }

  private get max8(): number {
    return this.model.hardware >= 3 && this.jtag >= 6 ? 512 : 64;
  }

  async open(): Promise<void> { this.opened = true; }
  async close(): Promise<void> { this.opened = false; this.claimed = false; }
  /** Linux (usbfs) refuses SET_CONFIGURATION with EBUSY while any interface is bound to a kernel driver, even to the current value. */
  async selectConfiguration(value: number): Promise<void> {
    this.expect(this.opened, `selectConfiguration(${value}) on a closed device`);
    if (this.boundDrivers.length > 0) throw new Error(`LIBUSB_ERROR_BUSY: SET_CONFIGURATION refused while ${this.boundDrivers.join(' and ')} hold interfaces`);
    this.expect(value === 1, `selectConfiguration(${value}) (ST-Links have only configuration 1)`);
  }
  async claimInterface(n: number): Promise<void> { this.expect(this.opened && n === 0, `claimInterface(${n})`); this.claimed = true; }
  async releaseInterface(n: number): Promise<void> { this.expect(this.claimed && n === 0, `releaseInterface(${n})`); this.claimed = false; }

  async transferOut(endpoint: number, data: Uint8Array): Promise<{ status: string; bytesWritten: number }> {
    this.expect(this.claimed, 'transferOut before claimInterface(0)');
    this.expect(endpoint === this.model.out, `transferOut on endpoint ${endpoint}; PID 0x${this.productId.toString(16)} receives on ${this.model.out}`);
    if (this.dataPhase) {
      this.receiveData(Uint8Array.from(data));
    } else {
      this.expect(this.reply === null, 'new command while the previous reply was still unread');
      this.expect(data.length === 16, `command block of ${data.length} bytes (must be 16)`);
      const block = Uint8Array.from(data);
      this.commands.push(block);
      this.target?.advance(CORE_STEPS_PER_COMMAND);
      this.reply = this.execute(block);
    }
    return { status: 'ok', bytesWritten: data.length };
  }

  async transferIn(endpoint: number, length: number): Promise<{ status: string; data?: DataView }> {
    this.expect(this.claimed, 'transferIn before claimInterface(0)');
    this.expect(endpoint === this.model.in, `transferIn on endpoint ${endpoint}; replies come on ${this.model.in}`);
    if (this.faults.hangOnInTransfer !== undefined && --this.faults.hangOnInTransfer <= 0) {
      delete this.faults.hangOnInTransfer;
      return new Promise(() => undefined);
    }
    const reply = this.reply;
    this.expect(reply !== null, `transferIn(${length}) with no reply pending`);
    this.expect(reply!.length === length, `transferIn(${length}) but the reply is ${reply!.length} bytes`);
    this.reply = null;
    return { status: 'ok', data: new DataView(reply!.buffer, reply!.byteOffset, reply!.byteLength) };
  }

  private execute(cmd: Uint8Array): Uint8Array | null {
    switch (cmd[0]) {
      case 0xf1: return this.version();
      case 0xfb:
        this.expect(this.model.hardware >= 3, 'GET_VERSION_EX sent to a V2 probe');
        return Uint8Array.of(this.model.hardware, 0, this.jtag, 0, 0, 0, 0, 0, 0x83, 0x04, this.productId & 0xff, this.productId >> 8);
      case 0xf5: return Uint8Array.of(this.mode, 0);
      case 0xf4:
        this.expect(cmd[1] === 0x01 && this.mode === MODE_SWIM, `SWIM command 0x${cmd[1].toString(16)} in mode ${this.mode}`);
        this.mode = MODE_MASS;
        return null;
      case 0xf3:
        this.expect(cmd[1] === 0x07, `DFU command 0x${cmd[1].toString(16)}`);
        this.mode = MODE_MASS;
        return null;
      case 0xf7: {
        const factor = 1000;
        return Uint8Array.of(...le32(factor), ...le32(Math.round(((this.options.targetVolts ?? 3.3) * factor) / 2.4)));
      }
      case 0xf2: return this.debug(cmd);
      default: return this.violation(`unknown command 0x${cmd[0].toString(16)}`);
    }
  }

  private version(): Uint8Array {
    const jtag = this.model.hardware >= 3 ? 0 : this.jtag;
    const packed = (this.model.hardware << 12) | (jtag << 6);
    return Uint8Array.of(packed >> 8, packed & 0xff, 0x83, 0x04, this.productId & 0xff, this.productId >> 8);
  }

  private debug(cmd: Uint8Array): Uint8Array | null {
    const op = cmd[1];
    if (op === 0x30) {
      this.expect(cmd[2] === 0xa3, `ENTER with mode byte 0x${cmd[2].toString(16)} (SWD is 0xa3)`);
      this.expect(this.mode !== MODE_DFU, 'ENTER SWD while still in DFU mode (send DFU_EXIT first)');
      this.expect(this.mode !== MODE_SWIM, 'ENTER SWD while in SWIM mode (send SWIM_EXIT F4 01 first)');
      this.expect(this.mode !== MODE_DEBUG, 'ENTER SWD while a debug session is open (send DEBUG_EXIT first)');
      this.mode = MODE_DEBUG;
      this.staleSession = false;
      this.sticky = false; // entering runs a line reset and powers the debug domain up afresh
      return Uint8Array.of(OK, 0);
    }
    if (op === 0x43 || op === 0x61) return this.setFrequency(cmd);
    this.expect(this.mode === MODE_DEBUG, `debug command 0x${op.toString(16)} while the probe is in mode ${this.mode}, not debug`);
    if (op === 0x21) {
      this.mode = MODE_MASS;
      this.staleSession = false;
      return null;
    }
    this.expect(!this.staleSession, `debug command 0x${op.toString(16)} on a session another tool left open (DEBUG_EXIT and ENTER SWD first)`);
    const target = this.target;
    if (!target) return this.violation('debug command with no target simulated');
    const address = le32At(cmd, 2);
    const length = cmd[6] | (cmd[7] << 8);
    switch (op) {
      case 0x31: return Uint8Array.of(OK, 0, 0, 0, ...le32(target.dpIdcode), 0, 0, 0, 0);
      case 0x36: {
        if (this.faults.waitReplies) { this.faults.waitReplies--; return Uint8Array.of(SWD_AP_WAIT, 0, 0, 0, 0, 0, 0, 0); }
        const result = this.access(() => target.read32(address), false);
        return result.ok ? Uint8Array.of(OK, 0, 0, 0, ...le32(result.value)) : Uint8Array.of(result.status, 0, 0, 0, 0, 0, 0, 0);
      }
      case 0x35: {
        const result = this.access(() => target.write32(address, le32At(cmd, 6)), false);
        return Uint8Array.of(result.ok ? OK : result.status, 0);
      }
      case 0x46: {
        this.expect(this.model.hardware >= 3 || this.jtag >= 24, `WRITE_DAP_REG on V2J${this.jtag} (needs J24)`);
        const port = cmd[2] | (cmd[3] << 8);
        const register = cmd[4] | (cmd[5] << 8);
        if (port === 0xffff && register === 0 && (le32At(cmd, 6) & (1 << 2)) !== 0) this.sticky = false; // ABORT.STKERRCLR
        return Uint8Array.of(OK, 0);
      }
      case 0x07: case 0x0c: return this.readMemory(op === 0x07 ? 32 : 8, address, length, cmd[8]);
      case 0x08: case 0x0d: {
        const width = op === 0x08 ? 32 : 8;
        this.checkTransfer(width, address, length, cmd[8]);
        this.dataPhase = { width, address, length };
        return null;
      }
      case 0x3e: {
        const status = this.faults.nextRwStatus ?? this.rw.status;
        delete this.faults.nextRwStatus;
        const reply = Uint8Array.of(status, 0, 0, 0, ...le32(status === OK ? 0 : this.rw.faultAddress), 0, 0, 0, 0);
        this.rw = { status: OK, faultAddress: 0 };
        return reply;
      }
      case 0x3c:
        this.expect(cmd[2] <= 2, `DRIVE_NRST level ${cmd[2]}`);
        if (cmd[2] !== 0) target.pinReset();
        return Uint8Array.of(OK, 0);
      default: return this.violation(`unknown debug command 0x${op.toString(16)}`);
    }
  }

  private setFrequency(cmd: Uint8Array): Uint8Array {
    if (cmd[1] === 0x43) {
      this.expect(this.model.hardware === 2, 'SWD_SET_FREQ (0x43) sent to a V3, which needs SET_COM_FREQ (0x61)');
      this.expect(this.jtag >= 22, `SWD_SET_FREQ (0x43) sent to V2J${this.jtag}; the command exists from J22`);
      const divisors: Record<number, number> = { 0: 4600, 1: 1800, 2: 1200, 3: 950, 5: 650, 7: 480, 9: 400, 10: 360, 15: 240, 25: 150, 31: 125, 40: 100 };
      const khz = divisors[cmd[2] | (cmd[3] << 8)];
      this.expect(khz !== undefined, `SWD_SET_FREQ divisor ${cmd[2]}`);
      this.swdKhz = khz;
      return Uint8Array.of(OK, 0);
    }
    this.expect(this.model.hardware >= 3 && cmd[2] === 0, 'SET_COM_FREQ on a V2 or not for SWD');
    this.swdKhz = Math.min(le32At(cmd, 4), 24000);
    return Uint8Array.of(OK, 0, 0, 0, ...le32(this.swdKhz));
  }

  private readMemory(width: 8 | 32, address: number, length: number, ap: number): Uint8Array {
    this.checkTransfer(width, address, length, ap);
    const target = this.target!;
    const out = new Uint8Array(width === 8 && length === 1 ? 2 : length);
    for (let i = 0; i < length && this.rw.status === OK; i += width / 8) {
      if (width === 32) {
        const result = this.access(() => target.read32(address + i));
        if (result.ok) out.set(le32(result.value), i);
      } else {
        const result = this.access(() => target.read8(address + i));
        if (result.ok) out[i] = result.value;
      }
    }
    return out;
  }

  private receiveData(data: Uint8Array): void {
    const phase = this.dataPhase!;
    this.dataPhase = null;
    this.expect(data.length === phase.length, `data phase of ${data.length} bytes after a WRITEMEM of ${phase.length}`);
    const target = this.target!;
    // Injected trouble on writes into flash: the bus stalls or faults part-way through the transfer.
    let stopAt = data.length;
    let stopStatus = OK;
    if (phase.width === 32 && target.flash.contains(phase.address)) {
      if (this.faults.waitOnFlashWrites) {
        this.faults.waitOnFlashWrites--;
        stopAt = Math.floor(data.length / 8) * 4;
        stopStatus = SWD_AP_WAIT;
      } else if (this.faults.faultOnFlashWrite) {
        delete this.faults.faultOnFlashWrite;
        stopAt = Math.min(8, data.length);
        stopStatus = SWD_AP_FAULT;
      }
    }
    for (let i = 0; i < stopAt && this.rw.status === OK; i += phase.width / 8) {
      if (phase.width === 32) this.access(() => target.write32(phase.address + i, le32At(data, i)));
      else this.access(() => target.write8(phase.address + i, data[i]));
    }
    if (stopStatus !== OK && this.rw.status === OK) {
      this.rw = { status: stopStatus, faultAddress: phase.address + stopAt };
      if (stopStatus !== SWD_AP_WAIT) this.sticky = true;
    }
  }

  private checkTransfer(width: 8 | 32, address: number, length: number, ap: number): void {
    this.expect(ap === 0, `memory access on AP ${ap}`);
    this.expect(length > 0, 'memory access of 0 bytes');
    if (width === 32) {
      this.expect(address % 4 === 0 && length % 4 === 0, `unaligned 32-bit access (${length} bytes at 0x${address.toString(16)})`);
      this.expect(length <= 6144, `32-bit transfer of ${length} bytes exceeds the ST-Link buffer`);
      this.expect(Math.floor(address / 1024) === Math.floor((address + length - 1) / 1024), `32-bit transfer at 0x${address.toString(16)} crosses a 1 KB TAR boundary`);
    } else {
      this.expect(length <= this.max8, `8-bit transfer of ${length} bytes exceeds ${this.max8} (V${this.model.hardware}J${this.jtag})`);
    }
  }

  /**
   * Runs one bus access; a failure of a memory command is kept for GET_LAST_RW_STATUS2 (`remember`). A fault sets
   * the sticky flag, and while it is set no access reaches the target (ADIv5: cleared only by ABORT).
   */
  private access<T>(run: () => T, remember = true): { ok: true; value: T } | { ok: false; status: number } {
    if (this.sticky) {
      if (remember) this.rw = { status: SWD_AP_STICKY_ERROR, faultAddress: 0 };
      return { ok: false, status: SWD_AP_STICKY_ERROR };
    }
    try {
      return { ok: true, value: run() };
    } catch (err) {
      if (!(err instanceof BusFault) && !(err instanceof BusStall)) throw err;
      const status = err instanceof BusStall ? SWD_AP_WAIT : SWD_AP_FAULT;
      if (status === SWD_AP_FAULT) this.sticky = true;
      if (remember) this.rw = { status, faultAddress: err.address };
      return { ok: false, status };
    }
  }

  private expect(condition: boolean, what: string): void {
    if (!condition) this.violation(what);
  }

  private violation(what: string): never {
    this.violations.push(what);
    throw new Error(`simulated ST-Link protocol violation: ${what}`);
  }
}

function le32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

function le32At(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
