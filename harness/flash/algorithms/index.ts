export { chipIdentity, expectDevId } from './chip-identity';
export { flashImage, type FlashImageOptions, type FlashProgress, type FlashResult } from './flash-image';
export { loadFirmwareImage, readElfSegments, toWordBlocks, type FlashBlock, type ImageSegment } from './firmware-image';
export { sectorLayout, sectorsToErase, type Sector } from './sector-plan';
export { Stm32Flash, type Stm32FlashOptions } from './stm32-flash';
export { configureDebugDomain, rdpRemovalHint, refuseReadProtected } from './debug-setup';
export { prepareTarget } from './prepare-target';
export { BUILD_INFO_SECTION, checkFirmwareFor, FirmwareMismatchError, readBuildInfo, type BuildInfo, type FirmwareExpectation } from './build-info';
