// UsbTransport over a WebUSB-style device from the `usb` package (v3): open, configuration 1, interface 0, bulk
// transfers on the model's endpoints. Timeouts are enforced here so a silent probe can never hang the bench.
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

export function describeDevice(device: UsbDeviceLike): string {
  const model = stlinkModelOf(device);
  const where = device.bus !== undefined && device.address !== undefined ? `bus ${device.bus} addr ${device.address}` : `serial ${device.serialNumber ?? '?'}`;
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
    this.serial = device.serialNumber ?? null;
  }

  static async open(device: UsbDeviceLike): Promise<WebUsbTransport> {
    const model = stlinkModelOf(device);
    if (!model) throw new FlashError(`USB device 0x${device.vendorId.toString(16)}:0x${device.productId.toString(16)} is not a known ST-Link`);
    const transport = new WebUsbTransport(device, model);
    try {
      if (!device.opened) await device.open();
      await device.selectConfiguration(1);
      await device.claimInterface(0);
    } catch (err) {
      throw new FlashError(`${transport.label}: cannot open (${(err as Error).message}); is another tool (st-flash, OpenOCD, STM32CubeProgrammer) using it, or are udev permissions missing?`);
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
