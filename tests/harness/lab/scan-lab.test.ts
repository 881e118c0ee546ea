// The hardware map: scanning (with and without devices), drafting, loading and validating lab.json.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { draftLabMap, findLabEntry, loadLabMap, saveLabMap, scanLab, validateLabMap } from '../../../harness/lab';
import { SimulatedStlink } from '../../../harness/flash/stlink/sim';

describe('scanLab', () => {
  it('runs on the real usb package: [] with the reason when there is no USB bus, only ST-Links otherwise', async () => {
    const warnings: string[] = [];
    const found = await scanLab({ onWarning: (w) => warnings.push(w) });
    if (!fs.existsSync('/sys/bus/usb/devices')) {
      expect(found).toEqual([]); // containers and CI: no bus at all
      expect(warnings[0]).toMatch(/^USB scan unavailable: /);
    } else {
      expect(found.every((p) => /^ST-Link (V2|V2-1|V3) at /.test(p.label))).toBe(true); // a lab PC: whatever is plugged in
    }
  });

  it('returns [] when only non-ST devices are present, without listing serial ports', async () => {
    const listSerialPorts = jest.fn(async () => []);
    const stlinkWithForeignIds = new SimulatedStlink(null);
    const keyboard = Object.assign(Object.create(stlinkWithForeignIds) as SimulatedStlink, { vendorId: 0x046d, productId: 0xc31c });
    expect(await scanLab({ usbDevices: async () => [keyboard], listSerialPorts })).toEqual([]);
    expect(listSerialPorts).not.toHaveBeenCalled();
  });

  it('lists ST-Links and matches their virtual COM ports by USB serial, preferring the by-id path', async () => {
    const a = new SimulatedStlink(null, { serial: '0671FF3833', address: 7 });
    const b = new SimulatedStlink(null, { serial: '003A00', productId: 0x374e, address: 9 });
    const warnings: string[] = [];
    const found = await scanLab({
      usbDevices: async () => [a, b],
      listSerialPorts: async () => [
        { path: '/dev/ttyACM0', serialNumber: '0671FF3833', vendorId: '0483', productId: '374b', pnpId: 'usb-STMicroelectronics_STM32_STLink_0671FF3833-if02' },
        { path: '/dev/ttyACM1', serialNumber: '003A00', vendorId: '0483', productId: '374e' },
        { path: '/dev/ttyUSB0', serialNumber: '0671FF3833', vendorId: '0403' }, // an FTDI cable that happens to share nothing but a serial
      ],
      onWarning: (w) => warnings.push(w),
    });
    expect(found).toEqual([
      { label: 'ST-Link V2-1 at bus 1 addr 7', model: 'V2-1', productId: 0x374b, serial: '0671FF3833', serialPorts: ['/dev/serial/by-id/usb-STMicroelectronics_STM32_STLink_0671FF3833-if02'] },
      { label: 'ST-Link V3 at bus 1 addr 9', model: 'V3', productId: 0x374e, serial: '003A00', serialPorts: ['/dev/ttyACM1'] },
    ]);
    expect(warnings).toEqual([]);
  });

  it('still lists probes when serial ports cannot be listed (no udevadm)', async () => {
    const warnings: string[] = [];
    const found = await scanLab({
      usbDevices: async () => [new SimulatedStlink(null, { serial: 'X1' })],
      listSerialPorts: async () => { throw new Error('spawn udevadm ENOENT'); },
      onWarning: (w) => warnings.push(w),
    });
    expect(found.map((p) => [p.serial, p.serialPorts])).toEqual([['X1', []]]);
    expect(warnings).toEqual(['serial port listing unavailable: spawn udevadm ENOENT']);
  });
});

describe('lab.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-lab-'));

  it('drafts entries to fill in, keeps known ones, and refuses to load until board ids are set', () => {
    const scanned = [
      { label: 'a', model: 'V2-1', productId: 0x374b, serial: 'S1', serialPorts: ['/dev/ttyACM0'] },
      { label: 'b', model: 'V2-1', productId: 0x374b, serial: 'S2', serialPorts: [] },
      { label: 'c', model: 'V2-1', productId: 0x374b, serial: null, serialPorts: [] },
    ];
    const previous = { version: 1 as const, boards: [{ boardId: 'nucleo-f412zg', probeSerial: 'S2', serialPort: '/dev/x', available: false }] };
    const draft = draftLabMap(scanned, previous);
    expect(draft.boards).toEqual([
      { boardId: 'unassigned', probeSerial: 'S1', serialPort: '/dev/ttyACM0', available: true },
      { boardId: 'nucleo-f412zg', probeSerial: 'S2', serialPort: '/dev/x', available: false },
    ]);
    const file = path.join(dir, 'lab.json');
    saveLabMap(draft, file);
    expect(() => loadLabMap(file)).toThrow(`${file}: field 'boards[0].boardId' is "unassigned", not a board; set it to one of: emu-f405, emu-f412, emu-f746, nucleo-f412zg, stm32f746g-disco`);
    draft.boards[0].boardId = 'stm32f746g-disco';
    saveLabMap(draft, file);
    const map = loadLabMap(file);
    expect(findLabEntry(map, 'stm32f746g-disco').probeSerial).toBe('S1');
    expect(() => findLabEntry(map, 'nucleo-f412zg')).toThrow("every 'nucleo-f412zg' in the hardware map is marked unavailable");
    expect(() => findLabEntry(map, 'emu-f746')).toThrow("the hardware map has no 'emu-f746'; boards listed: stm32f746g-disco, nucleo-f412zg");
  });

  it('names the field for each kind of mistake', () => {
    const entry = { boardId: 'nucleo-f412zg', probeSerial: 'S', serialPort: null, available: true };
    const check = (raw: unknown) => () => validateLabMap(raw, 'lab.json');
    expect(check({ version: 2, boards: [] })).toThrow("lab.json does not match docs/lab.schema.json; fix these fields (or redraft it with 'mcubench boards --scan --write lab.json'):\n  field 'version': must be 1, got 2");
    expect(check({ version: 1, boards: [{ ...entry, boardId: 'emu-f412' }] })).toThrow("field 'boards[0].boardId' 'emu-f412' is an emulated board");
    expect(check({ version: 1, boards: [entry, entry] })).toThrow("field 'boards[1].probeSerial' 'S' is listed twice");
    expect(check({ version: 1, boards: [{ ...entry, availble: true }] })).toThrow("field 'boards[0].availble': is not a known field (typo?)");
    expect(check({ version: 1, boards: [{ ...entry, available: 'yes' }] })).toThrow("field 'boards[0].available': must be of type boolean, got the string \"yes\" (false takes the board out of use without deleting its entry)");
    expect(check({ version: 1, boards: [{ ...entry, serialPort: 3, probeSerial: '' }] })).toThrow(/field 'boards\[0\]\.probeSerial': must not be empty \(the USB serial string of the board's ST-Link\)\n  field 'boards\[0\]\.serialPort': must be string or null, got number 3 \(console port, .*\)$/);
    expect(check([entry])).toThrow("field '(root)': must be of type object, got an array");
    expect(() => loadLabMap(path.join(dir, 'missing.json'))).toThrow(/cannot read hardware map .*missing\.json: ENOENT/);
  });
});
