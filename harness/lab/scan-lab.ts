// Finds what is plugged in: ST-Links on USB (with their serial strings) and the serial ports they provide. No
// device is opened. With no USB bus or no devices the answer is [] and the reason goes to `onWarning`.
import { SerialPort } from 'serialport';
import { enumerateStlinks, type AttachedStlink } from '../flash/stlink/attached-probes';
import type { UsbDeviceSource } from '../flash/stlink/usb-transport';
import { UNASSIGNED, type LabMap } from './lab-map';

export interface ScannedProbe {
  label: string;
  model: string;
  productId: number;
  serial: string | null;
  /** Serial ports whose USB serial number is this probe's (the ST-Link virtual COM port); persistent paths first. */
  serialPorts: string[];
}

export interface SerialPortListing {
  path: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

export interface ScanOptions {
  usbDevices?: UsbDeviceSource;
  listSerialPorts?: () => Promise<SerialPortListing[]>;
  onWarning?: (message: string) => void;
}

export async function scanLab(options: ScanOptions = {}): Promise<ScannedProbe[]> {
  const warn = options.onWarning ?? (() => undefined);
  let stlinks: AttachedStlink[];
  try {
    stlinks = await enumerateStlinks(options.usbDevices);
  } catch (err) {
    warn(`USB scan unavailable: ${(err as Error).message}`);
    return [];
  }
  if (stlinks.length === 0) return [];
  let ports: SerialPortListing[] = [];
  try {
    ports = await (options.listSerialPorts ?? (() => SerialPort.list()))();
  } catch (err) {
    warn(`serial port listing unavailable: ${(err as Error).message}`);
  }
  return stlinks.map(({ label, model, productId, serial }) => ({
    label,
    model,
    productId,
    serial,
    serialPorts: ports
      .filter((p) => p.vendorId?.toLowerCase() === '0483' && serial && p.serialNumber === serial)
      .map((p) => (p.pnpId ? `/dev/serial/by-id/${p.pnpId}` : p.path)),
  }));
}

/** A starting hardware map from a scan: one entry per probe with a readable serial; board ids to fill in by hand. */
export function draftLabMap(scanned: ScannedProbe[], previous?: LabMap): LabMap {
  const known = new Map((previous?.boards ?? []).map((b) => [b.probeSerial, b]));
  const boards = scanned.filter((p) => p.serial).map((p) => known.get(p.serial!) ?? {
    boardId: UNASSIGNED, probeSerial: p.serial!, serialPort: p.serialPorts[0] ?? null, available: true,
  });
  return { version: 1, boards };
}
