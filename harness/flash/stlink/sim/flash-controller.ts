// Simulated STM32F4/F7 embedded-flash interface, written from RM0090 §3.5–3.9 and RM0385 §3.3–3.7 on its own
// (it does not import the algorithm's constants, so a wrong constant there shows up as a failure here).

const KEY1 = 0x45670123;
const KEY2 = 0xcdef89ab;
const CR_PG = 1 << 0;
const CR_SER = 1 << 1;
const CR_MER = 1 << 2;
const CR_STRT = 1 << 16;
const CR_LOCK = 0x80000000;
/** PG, SER, MER, SNB[6:3], PSIZE[9:8], STRT, EOPIE, ERRIE, LOCK. */
const CR_WRITABLE = 0x0301037f | CR_LOCK;
const SR_EOP = 1 << 0;
const SR_OPERR = 1 << 1;
const SR_WRPERR = 1 << 4;
const SR_PGAERR = 1 << 5;
const SR_PGPERR = 1 << 6;
const SR_SEQERR = 1 << 7; // PGSERR on F4, ERSERR on F7
const SR_BSY = 1 << 16;
const SR_CLEARABLE = SR_EOP | SR_OPERR | SR_WRPERR | SR_PGAERR | SR_PGPERR | SR_SEQERR;
const CR_EOPIE = 1 << 24;

export class BusFault extends Error {
  constructor(readonly address: number, why: string) {
    super(`bus fault at 0x${address.toString(16)}: ${why}`);
  }
}

/** The AHB did not complete the access (a clock-gated core, a flash operation holding the bus): the AP answers WAIT. */
export class BusStall extends Error {
  constructor(readonly address: number) {
    super(`bus stalled at 0x${address.toString(16)}`);
  }
}

export interface FlashControllerOptions {
  base: number;
  sectorSizes: number[];
  /** Sectors whose nWRP option bit is cleared: erase and program set WRPERR. */
  writeProtected?: number[];
  /** A previous wrong key sequence: FLASH_CR stays locked (KEYR writes fault) until the next reset. */
  keyLockedOut?: boolean;
  /** Worn cells: after programming, these bits of the word at this address read 1 (drives the verify test). */
  stuckBits?: Map<number, number>;
  /** Programming the word at this address sets PGPERR instead (a controller fault mid-image, for the error path). */
  programErrorAt?: number;
  /** The old firmware left the ART caches on (F4 ICEN|DCEN, F7 ARTEN); they hold pre-erase lines until reset. */
  artOn?: boolean;
  family?: 'stm32f4' | 'stm32f7';
  /** Read-out protection level (0 default, 1: flash closed to the debugger, erase and program refused). */
  rdpLevel?: 0 | 1 | 2;
}

export class SimFlashController {
  readonly memory: Uint8Array;
  cr = CR_LOCK;
  sr = 0;
  acr: number;
  /** The ART data path still holds lines from before any erase (cleared by a reset of the cache while it is off). */
  artStale: boolean;
  /** SR reads left during which BSY stays set: the algorithm must poll. */
  private busyReads = 0;
  private keyStep = 0;
  private lockedOut: boolean;
  readonly eraseLog: number[] = [];
  bytesProgrammed = 0;
  /** Things a real chip would do silently but that betray a driver bug (e.g. writing CR while BSY). */
  readonly violations: string[] = [];
  private readonly sectorStarts: number[];

  constructor(private readonly options: FlashControllerOptions) {
    const size = options.sectorSizes.reduce((a, b) => a + b, 0);
    this.memory = new Uint8Array(size);
    this.sectorStarts = options.sectorSizes.map((_, i) => options.sectorSizes.slice(0, i).reduce((a, b) => a + b, 0));
    this.lockedOut = options.keyLockedOut ?? false;
    this.acr = options.artOn ? (options.family === 'stm32f7' ? 1 << 9 : (1 << 9) | (1 << 10)) | 5 : 5;
    this.artStale = options.artOn ?? false;
  }

  /** Whether the core's flash reads come from the stale ART lines (its data path cache is on and not reset). */
  get coreReadsStale(): boolean {
    const dataCache = this.options.family === 'stm32f7' ? 1 << 9 : 1 << 10;
    return this.artStale && (this.acr & dataCache) !== 0;
  }

  get size(): number {
    return this.memory.length;
  }

  contains(address: number): boolean {
    return address >= this.options.base && address < this.options.base + this.memory.length;
  }

  /** Power-on and system reset: CR locked again, SR cleared, a key lock-out lifted. */
  reset(): void {
    this.acr = 0; // caches off after reset
    this.cr = CR_LOCK;
    this.sr = 0;
    this.busyReads = 0;
    this.keyStep = 0;
    this.lockedOut = false;
  }

  readRegister(offset: number): number {
    switch (offset) {
      case 0x00: return this.acr >>> 0;
      case 0x04: return 0; // KEYR is write-only
      case 0x0c: {
        const busy = this.busyReads > 0 ? SR_BSY : 0;
        if (this.busyReads > 0) this.busyReads--;
        return (this.sr | busy) >>> 0;
      }
      case 0x10: return this.cr >>> 0;
      case 0x14: return this.optcr();
      default: return 0;
    }
  }

  writeRegister(offset: number, value: number, address: number): void {
    value >>>= 0;
    if (offset === 0x04) return this.writeKey(value, address);
    if (offset === 0x00) {
      // A cache reset (F4 ICRST 11 / DCRST 12, F7 ARTRST 11) takes effect only while that cache is off.
      const dataReset = this.options.family === 'stm32f7' ? (value & (1 << 11)) !== 0 && (value & (1 << 9)) === 0
        : (value & (1 << 12)) !== 0 && (value & (1 << 10)) === 0;
      if (dataReset) this.artStale = false;
      this.acr = value & 0x1f0f;
      return;
    }
    if (offset === 0x0c) {
      this.sr &= ~(value & SR_CLEARABLE);
      return;
    }
    if (offset !== 0x10) {
      this.violations.push(`write of 0x${value.toString(16)} to FLASH+0x${offset.toString(16)}, which the flash algorithm should never touch`);
      return;
    }
    if ((this.cr & CR_LOCK) !== 0) return; // a locked CR ignores writes
    if (this.busyReads > 0) {
      this.violations.push('FLASH_CR written while BSY was set');
      return;
    }
    this.cr = value & CR_WRITABLE & ~CR_STRT;
    if ((value & CR_STRT) !== 0) this.start(value);
  }

  /** A CPU/AP write into the flash array. */
  writeArray(address: number, bytes: Uint8Array): void {
    const width = bytes.length;
    if ((this.cr & CR_PG) === 0 || (this.cr & (CR_SER | CR_MER)) !== 0) return this.flag(SR_SEQERR);
    const psize = 1 << ((this.cr >> 8) & 3);
    if (width !== psize) return this.flag(SR_PGPERR);
    if (address % width !== 0) return this.flag(SR_PGAERR);
    const offset = address - this.options.base;
    if (this.isProtected(this.sectorOf(offset)) || this.readProtected) return this.flag(SR_WRPERR);
    if (this.options.programErrorAt === address) return this.flag(SR_PGPERR);
    for (let i = 0; i < width; i++) this.memory[offset + i] &= bytes[i]; // NOR flash only clears bits
    const stuck = this.options.stuckBits?.get(address - (address % 4));
    if (stuck !== undefined) {
      const word = offset - (offset % 4);
      for (let i = 0; i < 4; i++) this.memory[word + i] |= (stuck >>> (8 * i)) & 0xff;
    }
    this.bytesProgrammed += width;
    this.busyReads = 1;
    if ((this.cr & CR_EOPIE) !== 0) this.sr |= SR_EOP;
  }

  private writeKey(value: number, address: number): void {
    const locked = (this.cr & CR_LOCK) !== 0;
    if (!this.lockedOut && locked && this.keyStep === 0 && value === KEY1) {
      this.keyStep = 1;
      return;
    }
    if (!this.lockedOut && locked && this.keyStep === 1 && value === KEY2) {
      this.keyStep = 0;
      this.cr &= ~CR_LOCK;
      return;
    }
    // Any other write is a wrong sequence: bus error, and CR stays locked until reset (RM0090 §3.5.1).
    this.lockedOut = true;
    this.cr |= CR_LOCK;
    this.keyStep = 0;
    throw new BusFault(address, 'wrong FLASH_KEYR sequence');
  }

  private start(value: number): void {
    if ((value & CR_MER) !== 0 && (value & (CR_SER | CR_PG)) === 0) {
      if (this.options.sectorSizes.some((_, i) => this.isProtected(i))) return this.flag(SR_WRPERR);
      this.memory.fill(0xff);
      this.options.sectorSizes.forEach((_, i) => this.eraseLog.push(i));
      this.busyReads = 4;
      return;
    }
    if ((value & CR_SER) === 0 || (value & (CR_PG | CR_MER)) !== 0) return this.flag(SR_SEQERR);
    const sector = (value >> 3) & 0xf;
    if (sector >= this.options.sectorSizes.length) return this.flag(SR_SEQERR);
    if (this.isProtected(sector) || this.readProtected) return this.flag(SR_WRPERR);
    this.memory.fill(0xff, this.sectorStarts[sector], this.sectorStarts[sector] + this.options.sectorSizes[sector]);
    this.eraseLog.push(sector);
    this.busyReads = 3;
    if ((this.cr & CR_EOPIE) !== 0) this.sr |= SR_EOP;
  }

  /** RDP level 1 or 2 with a debugger attached: the flash array is closed to reads, erase and program (RM0090 §3.7.3). */
  get readProtected(): boolean {
    return (this.options.rdpLevel ?? 0) !== 0;
  }

  private flag(bit: number): void {
    this.sr |= bit;
  }

  private sectorOf(offset: number): number {
    let sector = 0;
    while (sector + 1 < this.sectorStarts.length && this.sectorStarts[sector + 1] <= offset) sector++;
    return sector;
  }

  private isProtected(sector: number): boolean {
    return this.options.writeProtected?.includes(sector) ?? false;
  }

  /** OPTCR reset view: nWRP bits (27:16) set except for protected sectors, the RDP byte, OPTLOCK. */
  private optcr(): number {
    let nwrp = 0xfff;
    for (const s of this.options.writeProtected ?? []) nwrp &= ~(1 << s);
    const rdp = [0xaa, 0x55, 0xcc][this.options.rdpLevel ?? 0];
    return ((nwrp << 16) | (rdp << 8) | 0xed) >>> 0;
  }
}
