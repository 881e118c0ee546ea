// Finds ST-LINK probes on USB (vendor 0x0483); cheap, never opens a device. The lab's hardware map builds on this.

export const ST_VENDOR_ID = 0x0483;

/** ST-LINK product ids (V2, V2-1 with and without mass storage, V3 variants). */
const STLINK_PRODUCTS: Record<number, string> = {
  0x3748: 'ST-LINK/V2',
  0x374b: 'ST-LINK/V2-1',
  0x3752: 'ST-LINK/V2-1',
  0x374e: 'STLINK-V3',
  0x374f: 'STLINK-V3',
  0x3753: 'STLINK-V3',
  0x3754: 'STLINK-V3',
};

export interface AttachedProbe {
  vendorId: number;
  productId: number;
  kind: string;
  serial: string | null;
}

export type ProbeScan = { scanned: true; probes: AttachedProbe[] } | { scanned: false; reason: string };

export async function scanStlinkProbes(): Promise<ProbeScan> {
  try {
    const { usb } = await import('usb');
    const devices = await usb.getDevices();
    const probes = devices
      .filter((d) => d.vendorId === ST_VENDOR_ID && d.productId in STLINK_PRODUCTS)
      .map((d) => ({ vendorId: d.vendorId, productId: d.productId, kind: STLINK_PRODUCTS[d.productId], serial: d.serialNumber ?? null }));
    return { scanned: true, probes };
  } catch (err) {
    // No USB bus (containers, CI) or no permission: say so rather than claim nothing is attached.
    return { scanned: false, reason: (err as Error).message };
  }
}
