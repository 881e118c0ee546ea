export * from './constants';
export { enumerateStlinks, scanStlinks, type AttachedStlink, type ProbeScan } from './attached-probes';
export { flashBoard, type FlashBoardOptions, type FlashBoardResult } from './flash-board';
export { StlinkProbeFactory } from './stlink-factory';
export { StlinkProbe, type StlinkOptions } from './stlink-probe';
export { StlinkProtocol, commandBlock, statusName, type StlinkVersion } from './stlink-protocol';
export type { UsbDeviceLike, UsbDeviceSource, UsbTransport } from './usb-transport';
export { nodeUsbDevices, WebUsbTransport } from './webusb-transport';
