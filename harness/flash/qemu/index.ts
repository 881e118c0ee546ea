export { checkElfPlacement, readLoadSegments } from './elf-placement';
export { startEmulatedBoard, type EmulatedBoard } from './emulated-board';
export { liveChildCount } from './process-registry';
export { formatCommand, qemuArgs, QEMU_BINARY } from './qemu-args';
export { QemuInstance, type LaunchOptions, type QemuExit } from './qemu-instance';
