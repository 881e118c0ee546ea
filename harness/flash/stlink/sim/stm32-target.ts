// A simulated STM32F4/F7 as seen from the debug port: flash (with its controller), SRAM, the Cortex-M debug
// registers (DHCSR, DEMCR, AIRCR), CPUID and DBGMCU_IDCODE. Anything else answers with a bus fault.
import type { Chip } from '../../../boards';
import { BusFault, SimFlashController, type FlashControllerOptions } from './flash-controller';

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

export interface TargetOptions extends Pick<FlashControllerOptions, 'writeProtected' | 'keyLockedOut' | 'stuckBits'> {
  /** Simulate a different part than the chip whose memory map is used (the wrong-board test). */
  profile?: string;
  /** Fill the flash with this byte at power-on (an old firmware's leftovers); default 0xFF. */
  initialFlashByte?: number;
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
  private readonly flashBase: number;
  private readonly sramBase: number;

  constructor(readonly chip: Chip, options: TargetOptions = {}) {
    const profile = SIM_PROFILES[options.profile ?? chip.id];
    if (!profile || !chip.flash.sectors) throw new Error(`no simulator profile or sector list for chip '${options.profile ?? chip.id}'`);
    this.profile = profile;
    this.flashBase = chip.flash.base;
    this.sramBase = chip.sram.base;
    this.flash = new SimFlashController({ ...options, base: chip.flash.base, sectorSizes: chip.flash.sectors });
    this.flash.memory.fill(options.initialFlashByte ?? 0xff);
    this.sram = new Uint8Array(chip.sram.size);
  }

  get dpIdcode(): number {
    return this.profile.dpIdcode;
  }

  /** Bytes of flash at an absolute address (test helper). */
  flashBytes(address: number, length: number): Uint8Array {
    return this.flash.memory.subarray(address - this.flashBase, address - this.flashBase + length);
  }

  read32(address: number): number {
    if (address % 4 !== 0) throw new BusFault(address, 'unaligned word read');
    const ram = this.ramView(address, 4) ?? this.flashView(address, 4);
    if (ram) return (ram[0] | (ram[1] << 8) | (ram[2] << 16) | (ram[3] << 24)) >>> 0;
    if (address >= FLASH_IF && address < FLASH_IF + 0x400) return this.flash.readRegister(address - FLASH_IF);
    switch (address) {
      case DHCSR: return this.readDhcsr();
      case DEMCR: return this.demcr >>> 0;
      case AIRCR: return 0xfa050000;
      case CPUID: return this.profile.cpuid;
      case DBGMCU_IDCODE: return ((this.profile.revId << 16) | this.profile.devId) >>> 0;
      default: throw new BusFault(address, 'nothing mapped here');
    }
  }

  write32(address: number, value: number): void {
    if (address % 4 !== 0) throw new BusFault(address, 'unaligned word write');
    if (this.flash.contains(address)) return this.flash.writeArray(address, le(value));
    const ram = this.ramView(address, 4);
    if (ram) return ram.set(le(value));
    if (address >= FLASH_IF && address < FLASH_IF + 0x400) return this.flash.writeRegister(address - FLASH_IF, value, address);
    switch (address) {
      case DHCSR: return this.writeDhcsr(value >>> 0);
      case DEMCR: this.demcr = value >>> 0; return;
      case AIRCR:
        if ((value >>> 16) === 0x05fa && (value & 4) !== 0) this.systemReset();
        return;
      default: throw new BusFault(address, 'nothing writable mapped here');
    }
  }

  read8(address: number): number {
    const view = this.ramView(address, 1) ?? this.flashView(address, 1);
    if (view) return view[0];
    return (this.read32(address - (address % 4)) >>> (8 * (address % 4))) & 0xff;
  }

  write8(address: number, value: number): void {
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
  }

  private readDhcsr(): number {
    let value = 1 << 16; // S_REGRDY
    if (this.debugEnabled) value |= 1;
    if (this.halted) value |= (1 << 1) | (1 << 17);
    if (this.resetSticky) value |= 1 << 25;
    this.resetSticky = false; // S_RESET_ST clears on read
    return value >>> 0;
  }

  private writeDhcsr(value: number): void {
    if ((value >>> 16) !== 0xa05f) return; // writes without DBGKEY are ignored
    this.debugEnabled = (value & 1) !== 0;
    this.halted = this.debugEnabled && (value & 2) !== 0;
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
