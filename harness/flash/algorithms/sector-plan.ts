// Which flash sectors an image touches. Sector sizes come from boards/chips/<chip>.json (flash.sectors).
import type { Chip } from '../../boards';
import { FlashError, hex32 } from '../probe';
import type { FlashBlock } from './firmware-image';

export interface Sector {
  index: number;
  address: number;
  size: number;
}

export function sectorLayout(chip: Chip): Sector[] {
  const sizes = chip.flash.sectors;
  if (!sizes || sizes.length === 0) throw new FlashError(`chip '${chip.id}' lists no flash.sectors in boards/chips/${chip.id}.json; the flash algorithm needs them`);
  let address = chip.flash.base;
  return sizes.map((size, index) => {
    const sector = { index, address, size };
    address += size;
    return sector;
  });
}

/** Sectors overlapping any block, ascending; a block outside the chip's flash is an error naming it. */
export function sectorsToErase(chip: Chip, blocks: FlashBlock[], name: string): Sector[] {
  const layout = sectorLayout(chip);
  const flashEnd = chip.flash.base + chip.flash.size;
  const chosen = new Set<number>();
  for (const block of blocks) {
    const end = block.address + block.data.length;
    if (block.address < chip.flash.base || end > flashEnd) {
      throw new FlashError(`${name}: ${block.data.length} bytes at ${hex32(block.address)} lie outside ${chip.id}'s flash ` +
        `(${hex32(chip.flash.base)}..${hex32(flashEnd - 1)}); was it built for this board?`);
    }
    for (const sector of layout) {
      if (block.address < sector.address + sector.size && sector.address < end) chosen.add(sector.index);
    }
  }
  return layout.filter((sector) => chosen.has(sector.index));
}
