// The simulator must behave like the silicon, or the flash tests prove nothing: its STM32 flash interface and
// debug registers are checked here against the reference manuals (RM0090 §3.5-3.9, RM0385 §3.3-3.7, ARMv7-M C1.6).
import { loadChip } from '../../../../harness/boards';
import { BusFault, SimStm32Target } from '../../../../harness/flash/stlink/sim';

const KEYR = 0x40023c04;
const SR = 0x40023c0c;
const CR = 0x40023c10;
const AIRCR = 0xe000ed0c;

function unlocked(chipId = 'stm32f412') {
  const target = new SimStm32Target(loadChip(chipId));
  target.write32(KEYR, 0x45670123);
  target.write32(KEYR, 0xcdef89ab);
  return target;
}

/** Reads SR until BSY clears; returns how many reads saw BSY. */
function pollsWhileBusy(target: SimStm32Target): number {
  let busy = 0;
  while (target.read32(SR) & (1 << 16)) busy++;
  return busy;
}

describe('simulated STM32 flash interface', () => {
  it('unlocks only with KEY1 then KEY2; a wrong key faults and locks CR until reset', () => {
    const target = new SimStm32Target(loadChip('stm32f412'));
    expect(target.read32(CR) >>> 0).toBe(0x80000000);
    target.write32(CR, 0x1); // ignored while locked
    expect(target.read32(CR) >>> 0).toBe(0x80000000);
    expect(() => target.write32(KEYR, 0xcdef89ab)).toThrow(BusFault);
    expect(() => target.write32(AIRCR, 0x05fa0004)).toThrow('SYSRESETREQ reset the system mid-transaction'); // the reset lifts the lock-out
    expect(unlockedAfter(target)).toBe(true);
  });

  it('erases one sector by SNB to 0xFF, keeps BSY set while the algorithm polls', () => {
    const target = unlocked();
    target.flash.memory.fill(0x00);
    target.write32(CR, (1 << 1) | (5 << 3) | (2 << 8)); // SER, SNB=5, PSIZE x32
    target.write32(CR, (1 << 1) | (5 << 3) | (2 << 8) | (1 << 16)); // + STRT
    expect(pollsWhileBusy(target)).toBeGreaterThan(0);
    // F412 sector 5 is 128 KB at 0x08020000 (RM0402 "Flash module organization").
    expect(target.flashBytes(0x08020000, 0x20000).every((b) => b === 0xff)).toBe(true);
    expect(target.flashBytes(0x0801fffc, 4).every((b) => b === 0x00)).toBe(true);
    expect(target.flashBytes(0x08040000, 4).every((b) => b === 0x00)).toBe(true);
    expect(target.flash.eraseLog).toEqual([5]);
  });

  it('programs only with PG set and a matching PSIZE, and can only clear bits', () => {
    const target = unlocked();
    target.write32(0x08000000, 0x12345678); // PG not set: PGSERR (bit 7), nothing written
    expect(target.read32(SR) & 0xf0).toBe(1 << 7);
    expect(target.read32(0x08000000) >>> 0).toBe(0xffffffff);
    target.write32(SR, 0xf3); // write 1 to clear
    expect(target.read32(SR)).toBe(0);
    target.write32(CR, 1 | (1 << 8)); // PG with PSIZE x16
    target.write32(0x08000000, 0x12345678); // a 32-bit write: PGPERR (bit 6)
    expect(target.read32(SR) & 0xf0).toBe(1 << 6);
    target.write32(SR, 0xf3);
    target.write32(CR, 1 | (2 << 8)); // PG, x32
    target.write32(0x08000000, 0x0000ffff);
    target.write32(0x08000000, 0x00ff00ff); // over a programmed word: NOR flash ANDs
    expect(target.read32(0x08000000) >>> 0).toBe(0x000000ff);
    expect(target.read32(SR) & 0xf2).toBe(0);
  });

  it('sets WRPERR for a write-protected sector (nWRP cleared in OPTCR)', () => {
    const target = new SimStm32Target(loadChip('stm32f746'), { writeProtected: [2] });
    target.write32(KEYR, 0x45670123);
    target.write32(KEYR, 0xcdef89ab);
    expect((target.read32(0x40023c14) >>> 16) & 0xfff).toBe(0xffb);
    target.write32(CR, (1 << 1) | (2 << 3) | (1 << 16));
    expect(target.read32(SR) & (1 << 4)).toBe(1 << 4);
    expect(target.flash.eraseLog).toEqual([]);
  });
});

describe('simulated Cortex-M debug registers', () => {
  it('halts with DHCSR, catches the reset vector with DEMCR.VC_CORERESET, and reports S_RESET_ST once', () => {
    const target = new SimStm32Target(loadChip('stm32f746'));
    expect(target.read32(0xe0042000) & 0xfff).toBe(0x449);
    target.write32(0xe000edf0, 0x00000003); // no DBGKEY: ignored
    expect(target.halted).toBe(false);
    target.write32(0xe000edf0, 0xa05f0003);
    expect(target.read32(0xe000edf0) & 0x00020003).toBe(0x00020003); // S_HALT, C_HALT, C_DEBUGEN
    target.write32(0xe000edfc, 1);
    expect(() => target.write32(AIRCR, 0x05fa0004)).toThrow(BusFault); // the reset kills the transaction that asked for it
    const after = target.read32(0xe000edf0);
    expect(after & (1 << 25)).toBe(1 << 25);
    expect(target.read32(0xe000edf0) & (1 << 25)).toBe(0);
    expect(target.halted).toBe(true);
    target.write32(0xe000edfc, 0);
    target.write32(0xe000edf0, 0xa05f0000);
    expect(() => target.write32(AIRCR, 0x05fa0004)).toThrow(BusFault);
    expect(target.halted).toBe(false);
    expect(() => target.read32(0x60000000)).toThrow(BusFault);
  });
});

function unlockedAfter(target: SimStm32Target): boolean {
  target.write32(KEYR, 0x45670123);
  target.write32(KEYR, 0xcdef89ab);
  return (target.read32(CR) >>> 0) === 0;
}
