export { runChild, shellLine, type ChildRun } from './child-tool';
export { flatBinary, type FlatBinary } from './flat-binary';
export { findStlinkDrive, MsdFlasher, type DriveLookup } from './msd-flasher';
export { diagnoseOpenocd, OPENOCD_SCRIPTS, openocdArgs, OpenocdFlasher } from './openocd-flasher';
export { diagnoseStFlash, stFlashArgs, StFlashFlasher } from './st-flash-flasher';
