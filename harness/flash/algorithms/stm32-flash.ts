// The STM32F4/F7 flash programming sequences (RM0090 §3.6, RM0385 §3.3) driven through a Probe's memory access.
import { FlashError, hex32, type Probe } from '../probe';
import { AcrCaches, Cr, errorBits, FLASH_KEYS, FlashReg, Sr, SR_ERROR_MASK, type FlashFamily } from './stm32-flash-registers';

export interface Stm32FlashOptions {
  /** Longest a sector erase may keep BSY set; a 256 KB F7 sector takes up to 4 s at x32 (RM0385 electrical characteristics). */
  eraseTimeoutMs?: number;
  programTimeoutMs?: number;
}

export class Stm32Flash {
  constructor(
    private readonly probe: Probe,
    private readonly family: FlashFamily,
    private readonly options: Stm32FlashOptions = {},
  ) {}

  async isLocked(): Promise<boolean> {
    return ((await this.probe.readWord(FlashReg.CR)) & Cr.LOCK) !== 0;
  }

  /**
   * Writes the two KEYR keys if CR is locked; false if CR stays locked. After a wrong key sequence (another tool,
   * an interrupted unlock) the chip answers KEYR writes with a bus fault and keeps CR locked until reset.
   */
  async unlock(): Promise<boolean> {
    if (!(await this.isLocked())) return true;
    try {
      await this.probe.writeWord(FlashReg.KEYR, FLASH_KEYS[0]);
      await this.probe.writeWord(FlashReg.KEYR, FLASH_KEYS[1]);
    } catch (err) {
      if (!(err instanceof FlashError) || !/SWD_AP_FAULT/.test(err.message)) throw err;
      return false;
    }
    return !(await this.isLocked());
  }

  /** Sets LOCK once the controller is idle (CR writes while BSY are not taken), also after a failed operation. */
  async lock(): Promise<void> {
    await this.waitIdle('lock the flash', 1000);
    await this.probe.writeWord(FlashReg.CR, Cr.LOCK >>> 0);
  }

  /** Sector erase: SER + SNB, then STRT, then wait for BSY to clear. */
  async eraseSector(sector: number): Promise<void> {
    await this.prepare(`erase sector ${sector}`);
    const cr = Cr.SER | Cr.PSIZE_X32 | ((sector << Cr.SNB_SHIFT) & Cr.SNB_MASK);
    await this.probe.writeWord(FlashReg.CR, cr);
    await this.probe.writeWord(FlashReg.CR, cr | Cr.STRT);
    await this.finish(`erase of sector ${sector}`, this.options.eraseTimeoutMs ?? 8000);
  }

  /** Programs words with PG set and x32 parallelism; `data` must be a whole number of words at an aligned address. */
  async program(address: number, data: Uint8Array): Promise<void> {
    await this.prepare(`program ${data.length} bytes at ${hex32(address)}`);
    await this.probe.writeWord(FlashReg.CR, Cr.PG | Cr.PSIZE_X32);
    await this.probe.writeMemory32(address, data);
    await this.finish(`programming of ${data.length} bytes at ${hex32(address)}`, this.options.programTimeoutMs ?? 1000);
    await this.probe.writeWord(FlashReg.CR, 0);
  }

  /** Empties the ART caches (each switched off, reset, switched back on), so the core reads what the flash now holds. */
  async flushCaches(): Promise<void> {
    const acr = await this.probe.readWord(FlashReg.ACR);
    for (const { enable, reset } of AcrCaches[this.family]) {
      if ((acr & enable) === 0) continue;
      await this.probe.writeWord(FlashReg.ACR, (acr & ~enable) >>> 0);
      await this.probe.writeWord(FlashReg.ACR, ((acr & ~enable) | reset) >>> 0);
      await this.probe.writeWord(FlashReg.ACR, (acr & ~enable & ~reset) >>> 0);
      await this.probe.writeWord(FlashReg.ACR, acr >>> 0);
    }
  }

  /** Waits out any running operation and clears stale error flags (they are cleared by writing 1). */
  private async prepare(what: string): Promise<void> {
    await this.waitIdle(what, 1000);
    const sr = await this.probe.readWord(FlashReg.SR);
    if ((sr & (SR_ERROR_MASK | Sr.EOP)) !== 0) await this.probe.writeWord(FlashReg.SR, sr & (SR_ERROR_MASK | Sr.EOP));
  }

  private async finish(what: string, timeoutMs: number): Promise<void> {
    const sr = await this.waitIdle(what, timeoutMs);
    if ((sr & SR_ERROR_MASK) !== 0) {
      await this.probe.writeWord(FlashReg.CR, 0);
      await this.probe.writeWord(FlashReg.SR, sr & SR_ERROR_MASK);
      throw new FlashError(`${this.probe.info.label}: ${what} failed: FLASH_SR ${hex32(sr)} ${this.describeErrors(sr)}`);
    }
  }

  private async waitIdle(what: string, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sr = await this.probe.readWord(FlashReg.SR);
      if ((sr & Sr.BSY) === 0) return sr;
      if (Date.now() > deadline) throw new FlashError(`${this.probe.info.label}: ${what}: flash still busy after ${timeoutMs} ms (FLASH_SR ${hex32(sr)})`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private describeErrors(sr: number): string {
    return errorBits(this.family).filter(([bit]) => (sr & bit) !== 0).map(([, name, meaning]) => `${name} (${meaning})`).join(', ');
  }
}
