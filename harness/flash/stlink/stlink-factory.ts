// Lists attached ST-Links and opens one, by serial or as the only one attached.
import { FlashError, type Probe, type ProbeFactory, type ProbeInfo, type ProbeSelector } from '../probe';
import { enumerateStlinks } from './attached-probes';
import { StlinkProbe, type StlinkOptions } from './stlink-probe';
import type { UsbDeviceLike, UsbDeviceSource } from './usb-transport';
import { describeDevice, nodeUsbDevices, probeSerial, WebUsbTransport } from './webusb-transport';

export class StlinkProbeFactory implements ProbeFactory {
  constructor(private readonly devices: UsbDeviceSource = nodeUsbDevices, private readonly options: StlinkOptions = {}) {}

  async list(): Promise<ProbeInfo[]> {
    return (await this.stlinks()).map(toInfo);
  }

  async open(selector: ProbeSelector = {}): Promise<Probe> {
    const found = await this.stlinks();
    const known = found.map((d) => `${describeDevice(d)} (serial ${probeSerial(d.serialNumber) ?? 'unreadable'})`).join('; ');
    let device: UsbDeviceLike | undefined;
    if (selector.serial !== undefined) {
      const wanted = probeSerial(selector.serial);
      device = found.find((d) => probeSerial(d.serialNumber) === wanted);
      if (!device) throw new FlashError(`no ST-Link with serial '${selector.serial}' is attached; attached: ${known || 'none'}`);
    } else if (found.length === 1) {
      device = found[0];
    } else if (found.length === 0) {
      throw new FlashError('no ST-Link is attached (USB vendor 0x0483); plug in the board\'s ST-Link USB port');
    } else {
      throw new FlashError(`${found.length} ST-Links are attached; choose one by serial: ${known}`);
    }
    return new StlinkProbe(await WebUsbTransport.open(device), this.options);
  }

  private async stlinks(): Promise<UsbDeviceLike[]> {
    try {
      return (await enumerateStlinks(this.devices)).map((probe) => probe.device);
    } catch (err) {
      throw new FlashError(`cannot list USB devices: ${(err as Error).message}`);
    }
  }
}

function toInfo(device: UsbDeviceLike): ProbeInfo {
  return { kind: 'stlink', label: describeDevice(device), vendorId: device.vendorId, productId: device.productId, serial: probeSerial(device.serialNumber) };
}
