// The narrow USB boundary the ST-Link protocol runs on: bulk out, bulk in, close. The real binding
// (webusb-transport.ts over the `usb` package) and the simulator (sim/) both sit behind it.

export interface UsbTransport {
  /** "ST-Link V2-1 at bus 1 addr 5": every error names the probe this way. */
  readonly label: string;
  readonly productId: number;
  readonly serial: string | null;
  /** Sends bytes on the probe's bulk OUT endpoint. */
  transferOut(data: Uint8Array, timeoutMs: number): Promise<void>;
  /** Reads exactly `length` bytes from the bulk IN endpoint. */
  transferIn(length: number, timeoutMs: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** The subset of the `usb` package's WebUSB device (v3) the binding uses; the simulator implements it too. */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string | null | undefined;
  /** node-usb extras; absent on a plain WebUSB device. */
  readonly bus?: string;
  readonly address?: number;
  readonly opened: boolean;
  /** The active configuration (WebUSB); the kernel configures an ST-Link on enumeration, so it is normally 1. */
  readonly configuration?: { readonly configurationValue: number } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferOut(endpointNumber: number, data: Uint8Array): Promise<{ status: string; bytesWritten: number }>;
  transferIn(endpointNumber: number, length: number): Promise<{ status: string; data?: DataView }>;
}

/** Lists USB devices (all of them; callers filter by vendor and product). */
export type UsbDeviceSource = () => Promise<UsbDeviceLike[]>;
