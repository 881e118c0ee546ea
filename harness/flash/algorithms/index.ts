export { chipIdentity, expectDevId } from './chip-identity';
export { flashImage, type FlashImageOptions, type FlashProgress, type FlashResult } from './flash-image';
export { loadFirmwareImage, readElfSegments, toWordBlocks, type FlashBlock, type ImageSegment } from './firmware-image';
export { sectorLayout, sectorsToErase, type Sector } from './sector-plan';
export { Stm32Flash, type Stm32FlashOptions } from './stm32-flash';
