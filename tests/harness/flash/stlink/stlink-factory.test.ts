// The factory on the real `usb` package (v3 WebUSB API): a machine without a USB bus gives a FlashError, not a crash.
import * as fs from 'fs';
import { FlashError } from '../../../../harness/flash/probe';
import { StlinkProbeFactory } from '../../../../harness/flash/stlink';

describe('StlinkProbeFactory on the real usb package', () => {
  it('lists ST-Links, or explains that USB cannot be listed', async () => {
    const factory = new StlinkProbeFactory();
    if (fs.existsSync('/sys/bus/usb/devices')) {
      const probes = await factory.list();
      expect(probes.every((p) => p.kind === 'stlink' && p.vendorId === 0x0483)).toBe(true);
    } else {
      const error = await factory.list().catch((e) => e);
      expect(error).toBeInstanceOf(FlashError);
      expect(error.message).toMatch(/^cannot list USB devices: .*\/sys\/bus\/usb\/devices/);
      await expect(factory.open()).rejects.toThrow(/^cannot list USB devices: /);
    }
  });
});
