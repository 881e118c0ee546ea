// A simulated STM32F4/F7 as seen from the debug port: flash (with its controller), SRAM, the Cortex-M debug
// registers (DHCSR, DEMCR, AIRCR), CPUID and DBGMCU_IDCODE. Anything else answers with a bus fault.
import type { Chip } from '../../../boards';
import { BusFault, BusStall, SimFlashController, type FlashControllerOptions } from './flash-controller';
import { ThumbCore, type CoreStop } from './thumb-core';

/** What each simulated part reports (RM0090 §38.6.1, RM0402 §33.6.1, RM0385 §40.6.1; ARM CPUID values). */
export const SIM_PROFILES: Readonly<Record<string, { devId: number; revId: number; cpuid: number; dpIdcode: number }>> = {
  stm32f405: { devId: 0x413, revId: 0x1007, cpuid: 0x410fc241, dpIdcode: 0x2ba01477 },
  stm32f412: { devId: 0x441, revId: 0x1001, cpuid: 0x410fc241, dpIdcode: 0x2ba01477 },
  stm32f746: { devId: 0x449, revId: 0x1001, cpuid: 0x410fc271, dpIdcode: 0x5ba02477 },
};

const FLASH_IF = 0x40023c00;
const DHCSR = 0xe000edf0;
const DEMCR = 0xe000edfc;
const AIRCR = 0xe000ed0c;
const CPUID = 0xe000ed00;
const DBGMCU_IDCODE = 0xe0042000;
const DBGMCU_CR = 0xe0042004;
const DBGMCU_APB1_FZ = 0xe0042008;
const DBG_SLEEP = 1 << 0;
const DBG_IWDG_STOP = 1 << 12;
const DCRSR = 0xe000edf4;
const DCRDR = 0xe000edf8;
const IWDG_KR = 0x40003000;
const S_LOCKUP = 1 << 19;
const CCR = 0xe000ed14;
const CCR_DC = 1 << 16;
const CCR_IC = 1 << 17;
/** Accesses below this go over the AHB through the bus matrix; the PPB (debug registers, DBGMCU) does not. */
const PPB_BASE = 0xe0000000;

export interface TargetOptions extends Pick<FlashControllerOptions, 'writeProtected' | 'keyLockedOut' | 'stuckBits' | 'rdpLevel' | 'programErrorAt' | 'artOn'> {
  /** Instruction fetches from SRAM fault (an MPU region marked execute-never): any code run there locks up. */
  sramExecuteFaults?: boolean;
  /**
   * The old firmware left SysTick running: code resumed without DHCSR.C_MASKINTS takes the interrupt into the
   * old firmware's handler, in flash the debugger is rewriting (modelled as a lockup).
   */
  interruptPending?: boolean;
  /**
   * Cortex-M7 only: the old firmware left the L1 caches on (CCR.DC/IC) holding flash lines from before the erase.
   * Core reads of flash hit those stale lines while CCR.DC stays set; the debugger's AHB-AP reads bypass them.
   */
  cachesOn?: boolean;
  /** Simulate a different part than the chip whose memory map is used (the wrong-board test). */
  profile?: string;
  /** Fill the flash with this byte at power-on (an old firmware's leftovers); default 0xFF. */
  initialFlashByte?: number;
  /**
   * The running firmware waits in WFI (ours does). Without DBGMCU_CR.DBG_SLEEP its clocks are gated: a halt
   * request is not taken and AHB accesses stall (WAIT) until the debug clock is kept on.
   */
  sleepsInWfi?: boolean;
  /**
   * An old firmware started the IWDG: after this many probe commands (each about 1 ms of real time) without a
   * reload the chip resets, unless the watchdog is frozen (DBGMCU_APB1_FZ) while the core is halted.
   */
  watchdogResetAfter?: number;
  /** A core in lockup ignores AIRCR.SYSRESETREQ; only the NRST pin resets it. */
  ignoresSysResetReq?: boolean;
  /** DHCSR reads fault this many times after each system reset (the debug bus is briefly unavailable). */
  faultsAfterReset?: number;
}

export class SimStm32Target {
  readonly flash: SimFlashController;
  readonly sram: Uint8Array;
  readonly profile: (typeof SIM_PROFILES)[string];
  halted = false;
  resetCount = 0;
  private debugEnabled = false;
  private resetSticky = false;
  private demcr = 0;
  private dbgmcuCr = 0;
  private apb1Fz = 0;
  private asleep: boolean;
  private watchdogCount = 0;
  private faultsLeft = 0;
  /** The CPU; it executes only code the debugger placed in SRAM (the firmware in flash is not simulated). */
  private core: ThumbCore;
  private executing = false;
  private dcrdr = 0;
  private ccr: number;
  /** What the core's D-cache holds for flash: the contents at power-on, until CCR.DC is cleared. */
  private readonly staleFlash: Uint8Array | null;
  /** DHCSR.C_MASKINTS as last set while halted. */
  private maskints = false;
  /** Why the core locked up (an undefined instruction, a fault), if it did. */
  lockup: string | null = null;
  /** Instructions executed since power-on (tests use it to see the loader ran). */
  instructions = 0;
  /** Debugger misuse a real core would punish unpredictably (e.g. core-register access while running). */
  readonly violations: string[] = [];
  private readonly flashBase: number;
  private readonly sramBase: number;

  constructor(readonly chip: Chip, private readonly options: TargetOptions = {}) {
    const profile = SIM_PROFILES[options.profile ?? chip.id];
    if (!profile || !chip.flash.sectors) throw new Error(`no simulator profile or sector list for chip '${options.profile ?? chip.id}'`);
    this.profile = profile;
    this.flashBase = chip.flash.base;
    this.sramBase = chip.sram.base;
    this.flash = new SimFlashController({ ...options, base: chip.flash.base, sectorSizes: chip.flash.sectors, family: chip.id === 'stm32f746' ? 'stm32f7' : 'stm32f4' });
    this.flash.memory.fill(options.initialFlashByte ?? 0xff);
    this.sram = new Uint8Array(chip.sram.size);
    this.asleep = options.sleepsInWfi ?? false;
    this.ccr = options.cachesOn ? 0x200 | CCR_DC | CCR_IC : 0x200; // STKALIGN, plus the caches
    this.staleFlash = options.cachesOn || options.artOn ? Uint8Array.from(this.flash.memory) : null;
    this.core = this.newCore();
  }

  private newCore(): ThumbCore {
    // The core reads flash through its D-cache when that is on (stale lines); everything else as the bus has it.
    const cached = (address: number, length: number): Uint8Array | null =>
      this.staleFlash && ((this.ccr & CCR_DC) !== 0 || this.flash.coreReadsStale) && this.flash.contains(address)
        ? this.staleFlash.subarray(address - this.flashBase, address - this.flashBase + length) : null;
    return new ThumbCore({
      read32: (a) => {
        const line = cached(a, 4);
        return line ? (line[0] | (line[1] << 8) | (line[2] << 16) | (line[3] << 24)) >>> 0 : this.access32(a);
      },
      read8: (a) => cached(a, 1)?.[0] ?? this.access8(a),
      write32: (a, v) => this.store32(a, v),
    });
  }

  /** The core runs while the debugger talks: each probe command lets it execute this many instructions. */
  advance(steps: number): void {
    const limit = this.options.watchdogResetAfter;
    if (limit !== undefined && !(this.halted && (this.apb1Fz & DBG_IWDG_STOP) !== 0) && ++this.watchdogCount >= limit) this.systemReset();
    if (!this.executing) return;
    const before = this.core.stopped;
    const stop: CoreStop | null = this.core.run(steps);
    this.instructions += steps;
    if (!stop || before) return;
    this.executing = false;
    if (stop.kind === 'bkpt') {
      this.halted = true; // BKPT with C_DEBUGEN: debug state
    } else {
      this.lockup = stop.why;
    }
  }

  /** Core register r0–r15 after a run (tests). */
  coreRegister(index: number): number {
    return this.core.r[index];
  }

  /** DBGMCU_CR and APB1_FZ as the debugger left them (tests read them). */
  get dbgmcu(): { cr: number; apb1Fz: number } {
    return { cr: this.dbgmcuCr, apb1Fz: this.apb1Fz };
  }

  get demcrValue(): number {
    return this.demcr >>> 0;
  }

  get dpIdcode(): number {
    return this.profile.dpIdcode;
  }

  /** Bytes of flash at an absolute address (test helper). */
  flashBytes(address: number, length: number): Uint8Array {
    return this.flash.memory.subarray(address - this.flashBase, address - this.flashBase + length);
  }

  read32(address: number): number {
    this.busCheck(address);
    if (this.flash.readProtected && this.flash.contains(address)) throw new BusFault(address, 'flash read with read-out protection on');
    return this.access32(address);
  }

  /** A word read as the bus sees it, from the debugger (after its checks) or from the core. */
  private access32(address: number): number {
    if (address % 4 !== 0) throw new BusFault(address, 'unaligned word read');
    const ram = this.ramView(address, 4) ?? this.flashView(address, 4);
    if (ram) return (ram[0] | (ram[1] << 8) | (ram[2] << 16) | (ram[3] << 24)) >>> 0;
    if (address >= FLASH_IF && address < FLASH_IF + 0x400) return this.flash.readRegister(address - FLASH_IF);
    switch (address) {
      case DHCSR:
        if (this.faultsLeft > 0) {
          this.faultsLeft--;
          throw new BusFault(address, 'debug bus unavailable during reset');
        }
        return this.readDhcsr();
      case DEMCR: return this.demcr >>> 0;
      case AIRCR: return 0xfa050000;
      case CPUID: return this.profile.cpuid;
      case DBGMCU_IDCODE: return ((this.profile.revId << 16) | this.profile.devId) >>> 0;
      case DBGMCU_CR: return this.dbgmcuCr >>> 0;
      case DBGMCU_APB1_FZ: return this.apb1Fz >>> 0;
      case DCRDR: return this.dcrdr >>> 0;
      case CCR: return this.ccr >>> 0;
      default: throw new BusFault(address, 'nothing mapped here');
    }
  }

  write32(address: number, value: number): void {
    this.busCheck(address);
    this.store32(address, value);
  }

  private store32(address: number, value: number): void {
    if (address % 4 !== 0) throw new BusFault(address, 'unaligned word write');
    if (this.flash.contains(address)) return this.flash.writeArray(address, le(value));
    const ram = this.ramView(address, 4);
    if (ram) return ram.set(le(value));
    if (address >= FLASH_IF && address < FLASH_IF + 0x400) return this.flash.writeRegister(address - FLASH_IF, value, address);
    switch (address) {
      case DHCSR: return this.writeDhcsr(value >>> 0);
      case DEMCR: this.demcr = value >>> 0; return;
      case DBGMCU_CR: this.dbgmcuCr = value & 0x7; return;
      case DCRDR: this.dcrdr = value >>> 0; return;
      case CCR: this.ccr = value >>> 0; return;
      case DCRSR: return this.coreRegisterTransfer(value >>> 0);
      case IWDG_KR:
        if ((value & 0xffff) === 0xaaaa) this.watchdogCount = 0; // reload
        return;
      case DBGMCU_APB1_FZ: this.apb1Fz = value >>> 0; return;
      case AIRCR:
        if ((value >>> 16) === 0x05fa && (value & 4) !== 0 && !this.options.ignoresSysResetReq) {
          this.systemReset();
          // The reset tears down the bus transaction that requested it: the AP never acknowledges this write.
          throw new BusFault(address, 'SYSRESETREQ reset the system mid-transaction');
        }
        return;
      default: throw new BusFault(address, 'nothing writable mapped here');
    }
  }

  read8(address: number): number {
    this.busCheck(address);
    if (this.flash.readProtected && this.flash.contains(address)) throw new BusFault(address, 'flash read with read-out protection on');
    return this.access8(address);
  }

  private access8(address: number): number {
    const view = this.ramView(address, 1) ?? this.flashView(address, 1);
    if (view) return view[0];
    return (this.read32(address - (address % 4)) >>> (8 * (address % 4))) & 0xff;
  }

  write8(address: number, value: number): void {
    this.busCheck(address);
    if (this.flash.contains(address)) return this.flash.writeArray(address, Uint8Array.of(value));
    const ram = this.ramView(address, 1);
    if (!ram) throw new BusFault(address, 'byte write outside SRAM and flash');
    ram[0] = value;
  }

  /** SYSRESETREQ or NRST: the system resets, the debug domain (DHCSR.C_DEBUGEN, DEMCR) keeps its settings. */
  systemReset(): void {
    this.flash.reset();
    this.resetCount++;
    this.resetSticky = true;
    this.halted = this.debugEnabled && (this.demcr & 1) !== 0; // VC_CORERESET: halt on the reset vector
    this.asleep = !this.halted && (this.options.sleepsInWfi ?? false);
    this.watchdogCount = 0;
    this.faultsLeft = this.options.faultsAfterReset ?? 0;
    this.executing = false;
    this.lockup = null;
    this.ccr = 0x200; // caches off after reset
    this.core = this.newCore();
  }

  /** DCRSR: REGSEL (6:0) and REGWnR (16); only meaningful while halted (ARMv7-M C1.6.3). */
  private coreRegisterTransfer(value: number): void {
    if (!this.halted) {
      this.violations.push(`DCRSR written (0x${value.toString(16)}) while the core was not halted`);
      return;
    }
    const index = value & 0x7f;
    const write = (value & (1 << 16)) !== 0;
    if (index > 16) {
      if (!write) this.dcrdr = 0;
      return; // MSP/PSP/CONTROL: the loader uses no stack
    }
    if (write) {
      if (index === 16) this.core.xpsr = this.dcrdr;
      else this.core.r[index] = index === 15 ? this.dcrdr & ~1 : this.dcrdr;
    } else {
      this.dcrdr = index === 16 ? this.core.xpsr : this.core.r[index];
    }
  }

  /** NRST: resets the system even from lockup (DBGMCU and the debug registers live in the debug domain and survive). */
  pinReset(): void {
    this.systemReset();
  }

  /** Per debug access: a sleeping core with its clocks gated stalls the AHB. */
  private busCheck(address: number): void {
    if (this.asleep && (this.dbgmcuCr & DBG_SLEEP) === 0 && address < PPB_BASE) throw new BusStall(address);
  }

  private readDhcsr(): number {
    let value = 1 << 16; // S_REGRDY
    if (this.debugEnabled) value |= 1;
    if (this.halted) value |= (1 << 1) | (1 << 17);
    if (this.resetSticky) value |= 1 << 25;
    if (this.lockup) value |= S_LOCKUP;
    this.resetSticky = false; // S_RESET_ST clears on read
    return value >>> 0;
  }

  private writeDhcsr(value: number): void {
    if ((value >>> 16) !== 0xa05f) return; // writes without DBGKEY are ignored
    this.debugEnabled = (value & 1) !== 0;
    const haltRequested = this.debugEnabled && (value & 2) !== 0;
    // A core asleep with its clock gated (DBG_SLEEP clear) never takes the halt request.
    if (haltRequested && this.asleep && (this.dbgmcuCr & DBG_SLEEP) === 0) return;
    const resume = this.halted && !haltRequested;
    const maskints = (value & (1 << 3)) !== 0;
    if (this.halted && !haltRequested && this.debugEnabled && maskints !== this.maskints) {
      this.violations.push('DHCSR.C_MASKINTS changed in the same write that released the halt (allowed only while halted)');
    }
    if (this.halted) this.maskints = maskints;
    this.halted = haltRequested;
    if (this.halted) {
      this.asleep = false;
      this.executing = false;
    } else if (resume && this.sramHolds(this.core.pc)) {
      // Resumed at code the debugger placed in SRAM: execute it (a firmware in flash is not simulated).
      this.core.stopped = null;
      this.lockup = this.options.sramExecuteFaults ? `instruction fetch from SRAM at 0x${this.core.pc.toString(16)} faulted (execute-never)`
        : this.options.interruptPending && !this.maskints ? 'SysTick taken into the old firmware\'s handler in flash being rewritten' : null;
      this.executing = this.lockup === null;
    }
  }

  private sramHolds(address: number): boolean {
    return address >= this.sramBase && address < this.sramBase + this.sram.length;
  }

  private ramView(address: number, length: number): Uint8Array | undefined {
    const offset = address - this.sramBase;
    return offset >= 0 && offset + length <= this.sram.length ? this.sram.subarray(offset, offset + length) : undefined;
  }

  private flashView(address: number, length: number): Uint8Array | undefined {
    const offset = address - this.flashBase;
    return offset >= 0 && offset + length <= this.flash.size ? this.flash.memory.subarray(offset, offset + length) : undefined;
  }
}

function le(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
}
