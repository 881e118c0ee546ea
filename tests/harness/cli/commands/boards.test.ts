import { listBoards } from '../../../../harness/cli/commands/boards';
import { boardsScan } from '../../../../harness/cli/commands/boards-scan';
import { main } from '../../../../harness/cli/main';
import { SimulatedStlink } from '../../../../harness/flash/stlink/sim';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out += String(chunk); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err += String(chunk); return true; });
  try {
    const code = await main(['node', 'mcubench', ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('mcubench boards', () => {
  it('lists every board with its chip limits and where it runs', async () => {
    const { code, out } = await run(['boards', '--no-scan']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^board\s+type\s+chip\s+core\s+SRAM\s+flash\s+clock\s+runs on$/);
    expect(lines).toContainEqual(expect.stringMatching(/^emu-f405\s+qemu\s+stm32f405\s+cortex-m4\s+192 KB \(64 KB CCM\)\s+1024 KB\s+168 MHz\s+qemu netduinoplus2$/));
    expect(lines).toContainEqual(expect.stringMatching(/^stm32f746g-disco\s+mcu\s+stm32f746\s+cortex-m7\s+320 KB\s+1024 KB\s+216 MHz\s+stlink$/));
    expect(lines).toContainEqual(expect.stringMatching(/^nucleo-f412zg\s+mcu\s+stm32f412\s+cortex-m4\s+256 KB\s+1024 KB\s+100 MHz\s+stlink$/));
    expect(lines[lines.length - 1]).toBe('attached ST-LINK probes: not scanned (--no-scan)');
  });

  it('prints the resolved boards as JSON', async () => {
    const { code, out } = await run(['boards', '--json', '--no-scan']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { boards: { id: string; linkRegions: { name: string; origin: number }[] }[] };
    expect(parsed.boards.map((b) => b.id)).toEqual(['emu-f405', 'emu-f412', 'emu-f746', 'nucleo-f412zg', 'stm32f746g-disco']);
    expect(parsed.boards[2].linkRegions[0]).toEqual({ name: 'FLASH', origin: 0, size: 1048576 });
  });

  it('says whether the USB scan ran instead of claiming no probe is attached', async () => {
    const { code, out } = await run(['boards']);
    expect(code).toBe(0);
    expect(out).toMatch(/attached ST-LINK probes: (none|not scanned \(.+\)|.*ST-Link.*)\n$/);
  });
});

describe('boards and boards --scan enumerate probes the same way', () => {
  const v21 = new SimulatedStlink(null, { serial: '0671FF3833', address: 7 });
  const v3 = new SimulatedStlink(null, { serial: '003A00', productId: 0x374e, address: 9 });
  const keyboard = Object.assign(Object.create(v21) as SimulatedStlink, { vendorId: 0x046d, productId: 0xc31c, serialNumber: 'KB1' });
  const usbDevices = async () => [v21, keyboard, v3];

  it('lists the same ST-Links, by label and serial, and ignores other USB devices', async () => {
    let listed = '';
    await listBoards({ usbDevices, out: (t) => { listed += t; } });
    const probesLine = listed.trim().split('\n').pop();
    expect(probesLine).toBe('attached ST-LINK probes: ST-Link V2-1 at bus 1 addr 7 (serial 0671FF3833), ST-Link V3 at bus 1 addr 9 (serial 003A00)');

    let json = '';
    await listBoards({ usbDevices, json: true, out: (t) => { json += t; } });
    const fromBoards = (JSON.parse(json) as { usb: { probes: { label: string; serial: string }[] } }).usb.probes;

    let scanned = '';
    await boardsScan({ json: true, scan: { usbDevices, listSerialPorts: async () => [] }, lab: '/nonexistent/lab.json', out: (t) => { scanned += t; }, note: () => undefined });
    const fromScan = (JSON.parse(scanned) as { probes: { label: string; serial: string }[] }).probes;

    expect(fromBoards.map((p) => [p.label, p.serial])).toEqual([['ST-Link V2-1 at bus 1 addr 7', '0671FF3833'], ['ST-Link V3 at bus 1 addr 9', '003A00']]);
    expect(fromScan.map((p) => [p.label, p.serial])).toEqual(fromBoards.map((p) => [p.label, p.serial]));
  });

  it('both say the scan could not run rather than claim no probe is attached', async () => {
    const noBus = async (): Promise<never> => { throw new Error('LIBUSB_ERROR_NO_DEVICE'); };
    let listed = '';
    await listBoards({ usbDevices: noBus, out: (t) => { listed += t; } });
    expect(listed.trim().split('\n').pop()).toBe('attached ST-LINK probes: not scanned (LIBUSB_ERROR_NO_DEVICE)');
    let note = '';
    await boardsScan({ scan: { usbDevices: noBus }, lab: '/nonexistent/lab.json', out: () => undefined, note: (t) => { note += t; } });
    expect(note).toBe('note: USB scan unavailable: LIBUSB_ERROR_NO_DEVICE\n');
  });
});
