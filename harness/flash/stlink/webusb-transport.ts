// UsbTransport over a WebUSB-style device from the `usb` package (v3): open, claim interface 0, bulk transfers on
// the model's endpoints. Timeouts are enforced here so a silent probe can never hang the bench.
import { FlashError } from '../probe';
import { STLINK_MODELS, ST_VENDOR_ID, type StlinkModel } from './constants';
import type { UsbDeviceLike, UsbDeviceSource, UsbTransport } from './usb-transport';

/** Default device source: every device the `usb` package can see. Throws when there is no USB bus at all. */
export const nodeUsbDevices: UsbDeviceSource = async () => {
  const { WebUSB } = await import('usb');
  const webusb = new WebUSB({ allowAllDevices: true });
  // usb v3 adds transferIn/transferOut (the WebUSB methods) to UsbDevice at run time (dist/index.js); its typings get
  // them from the global USBDevice of @types/w3c-web-usb, which our tsconfig "types" list does not load.
  return (await webusb.getDevices()) as unknown as UsbDeviceLike[];
};

export function stlinkModelOf(device: Pick<UsbDeviceLike, 'vendorId' | 'productId'>): StlinkModel | undefined {
  return device.vendorId === ST_VENDOR_ID ? STLINK_MODELS.get(device.productId) : undefined;
}

/**
 * The probe's serial as printable hex. Old V2 dongles report 12 raw bytes as their serial string; OpenOCD and
 * stlink-org print those bytes as 24 hex digits, and so do we everywhere (hardware map, --probe, errors).
 */
export function probeSerial(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw.length === 0) return null;
  if (/^[0-9A-Fa-f]+$/.test(raw)) return raw.toUpperCase();
  if (/^[\x20-\x7e]+$/.test(raw)) return raw; // printable, not hex: keep as the device says it
  return Array.from(raw, (ch) => (ch.charCodeAt(0) & 0xff).toString(16).toUpperCase().padStart(2, '0')).join('');
}

export function describeDevice(device: UsbDeviceLike): string {
  const model = stlinkModelOf(device);
  const where = device.bus !== undefined && device.address !== undefined ? `bus ${device.bus} addr ${device.address}` : `serial ${probeSerial(device.serialNumber) ?? '?'}`;
  return `ST-Link ${model?.name ?? `PID 0x${device.productId.toString(16)}`} at ${where}`;
}

export class WebUsbTransport implements UsbTransport {
  readonly label: string;
  readonly productId: number;
  readonly serial: string | null;
  private broken: string | null = null;

  private constructor(private readonly device: UsbDeviceLike, private readonly model: StlinkModel) {
    this.label = describeDevice(device);
    this.productId = device.productId;
    this.serial = probeSerial(device.serialNumber);
  }

  static async open(device: UsbDeviceLike): Promise<WebUsbTransport> {
    const model = stlinkModelOf(device);
    if (!model) throw new FlashError(`USB device 0x${device.vendorId.toString(16)}:0x${device.productId.toString(16)} is not a known ST-Link`);
    const transport = new WebUsbTransport(device, model);
    let step = 'open the device';
    try {
      if (!device.opened) await device.open();
      // Linux answers SET_CONFIGURATION with EBUSY while cdc_acm (the VCP) or usb-storage hold an interface, even
      // for the current value; the kernel configured the probe on enumeration, so only an unconfigured one needs it
      // (stlink-org and OpenOCD check first; pyOCD and probe-rs only claim).
      if (device.configuration?.configurationValue !== 1) {
        step = 'select configuration 1';
        // A binding that cannot tell the active configuration still gets EBUSY when drivers hold interfaces, and
        // that EBUSY itself proves the device is configured: go on and claim.
        await device.selectConfiguration(1).catch((err: Error) => {
          if (!/BUSY/i.test(err.message)) throw err;
        });
      }
      step = 'claim interface 0';
      await device.claimInterface(0);
    } catch (err) {
      throw new FlashError(`${transport.label}: cannot ${step} (${(err as Error).message}); ${openHint((err as Error).message)}`);
    }
    return transport;
  }

  async transferOut(data: Uint8Array, timeoutMs: number): Promise<void> {
    const result = await this.guard('send', timeoutMs, () => this.device.transferOut(this.model.outEndpoint, data));
    if (result.status !== 'ok' || result.bytesWritten !== data.length) {
      throw new FlashError(`${this.label}: USB write of ${data.length} bytes ended with status '${result.status}' after ${result.bytesWritten} bytes`);
    }
  }

  async transferIn(length: number, timeoutMs: number): Promise<Uint8Array> {
    const result = await this.guard('receive', timeoutMs, () => this.device.transferIn(this.model.inEndpoint, length));
    const data = result.data;
    if (result.status !== 'ok' || !data) throw new FlashError(`${this.label}: USB read of ${length} bytes ended with status '${result.status}'`);
    if (data.byteLength !== length) throw new FlashError(`${this.label}: expected a ${length}-byte reply, got ${data.byteLength} bytes`);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }

  /** Releases and closes; bounded in time, since a device that stopped answering may never finish either. */
  async close(timeoutMs = 1000): Promise<void> {
    const release = async (): Promise<void> => {
      try {
        await this.device.releaseInterface(0);
      } finally {
        await this.device.close();
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FlashError(`${this.label}: USB close timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([release(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one transfer with a deadline; after a timeout the probe's state is unknown, so later calls fail fast. */
  private async guard<T>(what: string, timeoutMs: number, transfer: () => Promise<T>): Promise<T> {
    if (this.broken) throw new FlashError(`${this.label}: unusable after an earlier failure (${this.broken}); unplug and replug the probe`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FlashError(`${this.label}: USB ${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([transfer(), deadline]);
    } catch (err) {
      this.broken = (err as Error).message;
      if (err instanceof FlashError) throw err;
      throw new FlashError(`${this.label}: USB ${what} failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What to check for a failed open, by the libusb error in the message. */
function openHint(message: string): string {
  if (/ACCESS|EACCES|permission/i.test(message)) return 'no permission: install the udev rule from the README ("Real hardware") and replug the probe';
  if (/BUSY/i.test(message)) return 'another program (st-flash, st-util, OpenOCD, STM32CubeProgrammer, a running mcubench) holds the debug interface; stop it and retry';
  if (/NO_DEVICE|NOT_FOUND|ENODEV/i.test(message)) return 'the probe went away (unplugged, or re-enumerating after a mass-storage copy); wait a moment and retry';
  return 'is another tool (st-flash, OpenOCD, STM32CubeProgrammer) using it, or are udev permissions missing?';
}
