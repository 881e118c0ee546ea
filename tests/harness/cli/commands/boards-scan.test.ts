// `mcubench boards --scan [--write lab.json]`: spawned as a user runs it on this machine (no probe), and driven
// in-process with simulated ST-Links and a serial-port listing to check the table and the written map.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { boardsScan } from '../../../../harness/cli/commands/boards-scan';
import { SimulatedStlink } from '../../../../harness/flash/stlink/sim';
import type { SerialPortListing } from '../../../../harness/lab';
import { REPO_ROOT } from '../../../support/paths';

const CLI = path.join(REPO_ROOT, 'bin', 'mcubench.js');
const hasUsbBus = fs.existsSync('/sys/bus/usb/devices');

function mcubench(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { cwd: REPO_ROOT, timeout: 60000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

const tempLab = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-scan-')), 'lab.json');

describe('mcubench boards --scan (spawned)', () => {
  it('says no ST-Link probes are attached, exits 0 and writes nothing', async () => {
    const lab = tempLab();
    const { code, out, err } = await mcubench(['boards', '--scan', '--write', lab]);
    expect(code).toBe(0);
    if (!hasUsbBus) {
      expect(out).toBe('no ST-Link probes attached\n');
      expect(err).toMatch(/^note: USB scan unavailable: .+\nnothing written to .+lab\.json: no probe to list\n$/);
      expect(fs.existsSync(lab)).toBe(false);
    } else {
      expect(out).toMatch(/^(no ST-Link probes attached|probe\s+serial\s+serial port\s+board)\n/); // a lab PC: whatever is plugged in
    }
  });

  it('refuses --write without --scan', async () => {
    const { code, err } = await mcubench(['boards', '--write', tempLab()]);
    expect(code).toBe(1);
    expect(err).toBe('mcubench: --write <lab.json> goes with --scan: mcubench boards --scan --write lab.json\n');
  });
});

describe('boardsScan with simulated probes', () => {
  const f412Probe = new SimulatedStlink(null, { serial: '0671FF3833', address: 7 });
  const v3Probe = new SimulatedStlink(null, { serial: '003A00', productId: 0x374e, address: 9 });
  const ports: SerialPortListing[] = [
    { path: '/dev/ttyACM0', serialNumber: '0671FF3833', vendorId: '0483', pnpId: 'usb-STMicroelectronics_STM32_STLink_0671FF3833-if02' },
  ];
  const scan = { usbDevices: async () => [f412Probe, v3Probe], listSerialPorts: async () => ports };

  async function run(options: { write?: string; lab?: string; json?: boolean }): Promise<{ out: string; note: string }> {
    let out = '';
    let note = '';
    await boardsScan({ ...options, scan, out: (t) => { out += t; }, note: (t) => { note += t; } });
    return { out, note };
  }

  it('prints one row per probe and drafts a map whose new entries are "unassigned"', async () => {
    const lab = tempLab();
    const { out, note } = await run({ write: lab });
    expect(note).toBe('');
    const lines = out.split('\n');
    expect(lines.slice(0, 3).map((line) => line.split(/ {2,}/))).toEqual([
      ['probe', 'serial', 'serial port', 'board'],
      ['ST-Link V2-1 at bus 1 addr 7', '0671FF3833', '/dev/serial/by-id/usb-STMicroelectronics_STM32_STLink_0671FF3833-if02', '-'],
      ['ST-Link V3 at bus 1 addr 9', '003A00', '-', '-'],
    ]);
    // Columns line up: each cell starts where its header does.
    for (const column of ['serial', 'serial port', 'board']) {
      const at = lines[0].indexOf(column);
      expect(lines.slice(1, 3).every((line) => line[at - 1] === ' ' && line[at] !== ' ')).toBe(true);
    }
    expect(lines.slice(3)).toEqual([`wrote ${lab}: 2 boards; set "boardId" of the 2 "unassigned" one(s) to one of: nucleo-f412zg, stm32f746g-disco`, '']);
    expect(JSON.parse(fs.readFileSync(lab, 'utf8'))).toEqual({
      version: 1,
      boards: [
        { boardId: 'unassigned', probeSerial: '0671FF3833', serialPort: '/dev/serial/by-id/usb-STMicroelectronics_STM32_STLink_0671FF3833-if02', available: true },
        { boardId: 'unassigned', probeSerial: '003A00', serialPort: null, available: true },
      ],
    });
  });

  it('updates a map in place: hand-set boards stay, unplugged boards stay, the table names the boards', async () => {
    const lab = tempLab();
    const handMade = [
      { boardId: 'nucleo-f412zg', probeSerial: '0671FF3833', serialPort: '/dev/ttyACM0', available: true, notes: 'left bench' },
      { boardId: 'stm32f746g-disco', probeSerial: 'UNPLUGGED1', serialPort: '/dev/ttyACM3', available: false },
    ];
    fs.writeFileSync(lab, JSON.stringify({ version: 1, boards: handMade }));
    const { out } = await run({ write: lab });
    expect(out.split('\n')[1]).toMatch(/^ST-Link V2-1 at bus 1 addr 7 +0671FF3833 +\/dev\/serial\/by-id\/\S+ +nucleo-f412zg$/);
    expect(out).toContain(`wrote ${lab}: 3 boards; set "boardId" of the 1 "unassigned" one(s)`);
    const written = JSON.parse(fs.readFileSync(lab, 'utf8')) as { boards: unknown[] };
    expect(written.boards).toEqual([handMade[0], { boardId: 'unassigned', probeSerial: '003A00', serialPort: null, available: true }, handMade[1]]);
  });

  it('labels rows from a map without writing, prints JSON on request, and refuses a file that is not a map', async () => {
    const lab = tempLab();
    fs.writeFileSync(lab, JSON.stringify({ version: 1, boards: [{ boardId: 'nucleo-f412zg', probeSerial: '003A00', serialPort: null, available: true }] }));
    const json = JSON.parse((await run({ lab, json: true })).out) as { probes: Array<{ serial: string; boardId?: string }> };
    expect(json.probes.map((p) => [p.serial, p.boardId])).toEqual([['0671FF3833', undefined], ['003A00', 'nucleo-f412zg']]);
    fs.writeFileSync(lab, '{"boards": 3}');
    await expect(run({ write: lab })).rejects.toThrow(`${lab} is not a hardware map`);
  });
});
