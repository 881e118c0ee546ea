// Sector selection against the manuals' sector tables (the "Flash module organization" tables of RM0385 for F746, RM0090 and RM0402 for F405/F412).
import { loadChip } from '../../../../harness/boards';
import { chipIdentity, expectDevId } from '../../../../harness/flash/algorithms/chip-identity';
import { sectorLayout, sectorsToErase } from '../../../../harness/flash/algorithms/sector-plan';

const KB = 1024;
const block = (address: number, length: number) => ({ address, data: new Uint8Array(length) });

describe('sector layout from boards/chips', () => {
  it('matches the reference manuals', () => {
    expect(sectorLayout(loadChip('stm32f746')).map((s) => [s.address, s.size])).toEqual([
      [0x08000000, 32 * KB], [0x08008000, 32 * KB], [0x08010000, 32 * KB], [0x08018000, 32 * KB],
      [0x08020000, 128 * KB], [0x08040000, 256 * KB], [0x08080000, 256 * KB], [0x080c0000, 256 * KB],
    ]);
    for (const chip of ['stm32f412', 'stm32f405']) {
      const layout = sectorLayout(loadChip(chip));
      expect(layout).toHaveLength(12);
      expect(layout.slice(0, 6).map((s) => [s.address, s.size])).toEqual([
        [0x08000000, 16 * KB], [0x08004000, 16 * KB], [0x08008000, 16 * KB], [0x0800c000, 16 * KB], [0x08010000, 64 * KB], [0x08020000, 128 * KB],
      ]);
      expect(layout[11]).toEqual({ index: 11, address: 0x080e0000, size: 128 * KB });
    }
  });
});

describe('sectorsToErase', () => {
  const f746 = loadChip('stm32f746');
  const f412 = loadChip('stm32f412');

  it('takes exactly the sectors a block touches, including one byte into the next', () => {
    expect(sectorsToErase(f746, [block(0x08000000, 32 * KB)], 'a').map((s) => s.index)).toEqual([0]);
    expect(sectorsToErase(f746, [block(0x08000000, 32 * KB + 4)], 'a').map((s) => s.index)).toEqual([0, 1]);
    expect(sectorsToErase(f412, [block(0x0800fffc, 8)], 'a').map((s) => s.index)).toEqual([3, 4]);
    // Two separate blocks: the sectors between them are left alone.
    expect(sectorsToErase(f412, [block(0x08000000, 4), block(0x08060000, 4)], 'a').map((s) => s.index)).toEqual([0, 7]);
  });

  it('refuses blocks outside the flash, naming the image', () => {
    expect(() => sectorsToErase(f412, [block(0x20000000, 4)], 'fw.elf')).toThrow("fw.elf: 4 bytes at 0x20000000 lie outside stm32f412's flash (0x08000000..0x080FFFFF)");
  });
});

describe('chip identity', () => {
  it('knows the DEV_IDs of our chips and rejects others by name', () => {
    expect(chipIdentity(loadChip('stm32f746'))).toMatchObject({ devId: 0x449, family: 'stm32f7' });
    expect(chipIdentity(loadChip('stm32f412'))).toMatchObject({ devId: 0x441, family: 'stm32f4' });
    expect(chipIdentity(loadChip('stm32f405'))).toMatchObject({ devId: 0x413, family: 'stm32f4' });
    expect(() => expectDevId(loadChip('stm32f412'), 0x10006413, 'nucleo-f412zg')).toThrow(/reports DEV_ID 0x413 \(STM32F405\/407\/415\/417;/);
    expect(() => expectDevId(loadChip('stm32f412'), 0x20006441, 'nucleo-f412zg')).not.toThrow();
  });
});
