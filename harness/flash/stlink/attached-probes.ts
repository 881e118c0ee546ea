// The one place that decides which USB devices are ST-Links: `boards`, `boards --scan` and the probe factory all
// enumerate through here, so they always agree. Never opens a device.
import { ST_VENDOR_ID } from './constants';
import type { UsbDeviceLike, UsbDeviceSource } from './usb-transport';
import { describeDevice, nodeUsbDevices, probeSerial, stlinkModelOf } from './webusb-transport';

export interface AttachedStlink {
  /** "ST-Link V2-1 at bus 1 addr 5". */
  label: string;
  model: string;
  productId: number;
  /** USB serial, old V2 dongles' binary one as hex (probeSerial); null when udev permissions hide it. */
  serial: string | null;
  device: UsbDeviceLike;
}

/** Every attached ST-Link. Throws when USB cannot be listed at all (no bus, no permission); callers say so. */
export async function enumerateStlinks(devices: UsbDeviceSource = nodeUsbDevices): Promise<AttachedStlink[]> {
  const found: AttachedStlink[] = [];
  for (const device of await devices()) {
    const model = device.vendorId === ST_VENDOR_ID ? stlinkModelOf(device) : undefined;
    if (model) found.push({ label: describeDevice(device), model: model.name, productId: device.productId, serial: probeSerial(device.serialNumber), device });
  }
  return found;
}

/** The result of a scan that may not have been possible: never "none attached" when USB could not be listed. */
export type ProbeScan = { scanned: true; probes: AttachedStlink[] } | { scanned: false; reason: string };

export async function scanStlinks(devices: UsbDeviceSource = nodeUsbDevices): Promise<ProbeScan> {
  try {
    return { scanned: true, probes: await enumerateStlinks(devices) };
  } catch (err) {
    return { scanned: false, reason: (err as Error).message };
  }
}
