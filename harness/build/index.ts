export { BuildError } from './build-error';
export { buildFirmware, DEFAULT_CACHE_DIR, FIRMWARE_DIR, type BuildOptions, type FirmwareBuild } from './build-firmware';
export type { FirmwareSizes } from './elf-size';
export { opsOnlyUsedDefines, opTypesInImage } from './ops-used';
