// What the silicon reports for each chip in boards/chips/. The chip schema has no device-id field, so the ids
// live here (DEV_ID values from the reference manuals; same values in stlink-org src/stlink-lib/chipid.h).
import type { Chip } from '../../boards';
import { FlashError, hex32 } from '../probe';
import type { FlashFamily } from './stm32-flash-registers';

interface ChipIdentity {
  devId: number;
  family: FlashFamily;
  part: string;
}

const IDENTITIES: Readonly<Record<string, ChipIdentity>> = {
  stm32f405: { devId: 0x413, family: 'stm32f4', part: 'STM32F405/407/415/417' },
  stm32f412: { devId: 0x441, family: 'stm32f4', part: 'STM32F412' },
  stm32f746: { devId: 0x449, family: 'stm32f7', part: 'STM32F74x/75x' },
};

/** Parts we know by DEV_ID, to name a wrong chip in the error. */
const KNOWN_DEV_IDS: Readonly<Record<number, string>> = {
  0x413: 'STM32F405/407/415/417', 0x419: 'STM32F42x/43x', 0x431: 'STM32F411', 0x441: 'STM32F412', 0x449: 'STM32F74x/75x',
  0x451: 'STM32F76x/77x', 0x452: 'STM32F72x/73x', 0x463: 'STM32F413/423',
};

export function chipIdentity(chip: Chip): ChipIdentity {
  const identity = IDENTITIES[chip.id];
  if (!identity) {
    throw new FlashError(`chip '${chip.id}' has no flash algorithm; supported: ${Object.keys(IDENTITIES).join(', ')} (harness/flash/algorithms/chip-identity.ts)`);
  }
  return identity;
}

/** Throws when the DBGMCU_IDCODE read from the target is not the board's chip. */
export function expectDevId(chip: Chip, idcode: number, boardId: string): void {
  const expected = chipIdentity(chip);
  const devId = idcode & 0xfff;
  if (devId !== expected.devId) {
    const found = KNOWN_DEV_IDS[devId] ?? 'an unknown part';
    throw new FlashError(
      `board '${boardId}' expects ${expected.part} (${chip.id}, DEV_ID 0x${expected.devId.toString(16)}), but the attached target reports ` +
      `DEV_ID 0x${devId.toString(16)} (${found}; DBGMCU_IDCODE ${hex32(idcode)}); is the right board plugged into this probe?`,
    );
  }
}
