import { loadBoard } from '../../../harness/boards';
import { describeLinkOverflow } from '../../../harness/build/link-overflow';

const regions = loadBoard('emu-f405').linkRegions;

describe('describeLinkOverflow', () => {
  it('is silent when the linker reported no overflow', () => {
    expect(describeLinkOverflow("main.c:3: undefined reference to `mcb_missing'", regions)).toBeUndefined();
  });

  it('names each overflowing region once, with the needed and available bytes and the culprit sections', () => {
    // GNU ld's wording (ld/ldlang.c), as printed for a stack too big for the F405's CCM and an arena too big for its SRAM.
    const output = [
      "ld: firmware.elf section `.stack' will not fit in region `CCM'",
      "ld: firmware.elf section `.arena' will not fit in region `SRAM'",
      "ld: region `CCM' overflowed by 100 bytes",
      "ld: region `SRAM' overflowed by 2000 bytes",
      "ld: region `SRAM' overflowed by 2000 bytes",
    ].join('\n');
    expect(describeLinkOverflow(output, regions)).toBe(
      'does not fit: needs 65636 bytes of CCM, board has 65536 (region CCM overflowed by 100 bytes; sections: .stack); ' +
      'needs 133072 bytes of SRAM, board has 131072 (region SRAM overflowed by 2000 bytes; sections: .arena)');
  });

  it('calls the flash region flash', () => {
    expect(describeLinkOverflow("ld: region `FLASH' overflowed by 7 bytes", regions)).toBe(
      'does not fit: needs 1048583 bytes of flash, board has 1048576 (region FLASH overflowed by 7 bytes)');
  });
});
