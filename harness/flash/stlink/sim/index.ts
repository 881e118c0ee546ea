// The ST-Link + STM32 simulator, for tests and dry runs: `simulatedProbeFactory(new SimulatedStlink(target))`
// gives a ProbeFactory whose probes run the real protocol and binding code against the model.
import { StlinkProbeFactory } from '../stlink-factory';
import type { StlinkOptions } from '../stlink-probe';
import type { UsbDeviceSource } from '../usb-transport';
import type { SimulatedStlink } from './simulated-stlink';

export { BusFault, SimFlashController } from './flash-controller';
export { SimulatedStlink, type SimFaults, type SimStlinkOptions } from './simulated-stlink';
export { SIM_PROFILES, SimStm32Target, type TargetOptions } from './stm32-target';

export function simulatedUsb(...devices: SimulatedStlink[]): UsbDeviceSource {
  return async () => devices;
}

export function simulatedProbeFactory(devices: SimulatedStlink[], options: StlinkOptions = {}): StlinkProbeFactory {
  return new StlinkProbeFactory(simulatedUsb(...devices), options);
}
