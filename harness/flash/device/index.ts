export { DeviceInstance, type DeviceLaunchOptions } from './device-instance';
export { locateBoard, type BoardLocation, type LabSource } from './lab-lookup';
export { launchDevice, type DeviceBoard, type LaunchDeviceOptions, type LaunchStage } from './launch-device';
