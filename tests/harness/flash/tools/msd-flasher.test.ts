// The mass-storage path against a folder laid out like a mounted ST-Link drive (DETAILS.TXT, MBED.HTM), found
// through a by-id link and a mount table like Linux's; a timer plays the probe: it takes the file and remounts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBoard } from '../../../../harness/boards';
import { findStlinkDrive, MsdFlasher } from '../../../../harness/flash/tools/msd-flasher';
import { imageBytes } from '../stlink/sim-fixture';

const SERIAL = '0671FF515049657187212345';

function lab() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-msd-'));
  const drive = path.join(root, 'media', 'NODE_F412ZG');
  const dev = path.join(root, 'dev');
  const byId = path.join(dev, 'disk', 'by-id');
  fs.mkdirSync(drive, { recursive: true });
  fs.mkdirSync(byId, { recursive: true });
  fs.writeFileSync(path.join(dev, 'sdz'), '');
  fs.symlinkSync('../../sdz', path.join(byId, `usb-MBED_microcontroller_${SERIAL}-0:0`));
  fs.writeFileSync(path.join(drive, 'DETAILS.TXT'), 'Version: 0221\r\nBuild:   Jun 14 2016 14:16:48\r\n');
  fs.writeFileSync(path.join(drive, 'MBED.HTM'), `<meta http-equiv="refresh" content="0; URL=http://mbed.org/device/?code=${SERIAL}"/>`);
  const mounts = path.join(root, 'mounts');
  fs.writeFileSync(mounts, `/dev/sda1 / ext4 rw 0 0\n${path.join(dev, 'sdz')} ${drive} vfat rw,nosuid 0 0\n`);
  return { root, drive, lookup: { byIdDir: byId, mountsFile: mounts, reenumerateTimeoutMs: 3000, pollMs: 10 } };
}

/** Plays the ST-Link: when a .BIN lands, it vanishes with the drive, which comes back (with FAIL.TXT if told). */
function playProbe(drive: string, failWith?: string): { received: () => Buffer | null; stop: () => void } {
  let received: Buffer | null = null;
  const timer = setInterval(() => {
    const bin = fs.readdirSync(drive).find((f) => f.endsWith('.BIN'));
    if (!bin) return;
    received = fs.readFileSync(path.join(drive, bin));
    const details = fs.readFileSync(path.join(drive, 'DETAILS.TXT'));
    fs.rmSync(drive, { recursive: true }); // off the bus
    setTimeout(() => {
      fs.mkdirSync(drive);
      fs.writeFileSync(path.join(drive, 'DETAILS.TXT'), details);
      if (failWith) fs.writeFileSync(path.join(drive, 'FAIL.TXT'), failWith);
    }, 50);
    clearInterval(timer);
  }, 5);
  return { received: () => received, stop: () => clearInterval(timer) };
}

function firmware(root: string, bytes: Uint8Array): string {
  const file = path.join(root, 'firmware.bin');
  fs.writeFileSync(file, bytes);
  return file;
}

describe('mass-storage flashing (a folder laid out like a mounted ST-Link drive)', () => {
  it('finds the drive by probe serial, copies the .bin byte for byte, waits for re-enumeration, reports success', async () => {
    const { root, drive, lookup } = lab();
    expect(findStlinkDrive(SERIAL.toLowerCase(), lookup)).toBe(drive);
    const image = imageBytes(5000, 21);
    const probe = playProbe(drive);
    const phases: string[] = [];
    const report = await new MsdFlasher(lookup).flash({
      board: loadBoard('nucleo-f412zg'), firmware: firmware(root, image), probeSerial: SERIAL, halt: false,
      onProgress: (p: { phase: string; done: number; total: number }) => phases.push(`${p.phase} ${p.done}/${p.total}`),
    });
    probe.stop();
    expect(Buffer.compare(probe.received()!, Buffer.from(image))).toBe(0);
    expect(report.bytesProgrammed).toBe(5000);
    expect(report.probe).toEqual({ label: `ST-Link drive ${drive}`, serial: SERIAL });
    expect(phases).toEqual(['program 0/5000', 'program 5000/5000', 'verify 0/1', 'verify 1/1']);
  });

  it('reads FAIL.TXT when the probe could not program the target', async () => {
    const { root, drive, lookup } = lab();
    const probe = playProbe(drive, 'The interface firmware FAILED to reset/halt the target MCU\r\n');
    await expect(new MsdFlasher(lookup).flash({ board: loadBoard('nucleo-f412zg'), firmware: firmware(root, imageBytes(64, 1)), probeSerial: SERIAL, halt: false }))
      .rejects.toThrow(`the ST-Link drive at ${drive} refused firmware.bin for nucleo-f412zg: FAIL.TXT says "The interface firmware FAILED to reset/halt the target MCU"`);
    probe.stop();
  });

  it('says so when the drive never takes the file', async () => {
    const { root, lookup } = lab();
    await expect(new MsdFlasher({ ...lookup, reenumerateTimeoutMs: 200 }).flash({ board: loadBoard('nucleo-f412zg'), firmware: firmware(root, imageBytes(64, 2)), halt: false }))
      .rejects.toThrow(/still shows the copied file after 0.2 s: the probe did not take it/);
  });

  it('names the probe whose drive is missing, and finds the only drive without a serial', () => {
    const { drive, lookup } = lab();
    expect(() => findStlinkDrive('066DFF000000000000000000', lookup)).toThrow("no mass-storage drive of ST-Link 066DFF000000000000000000 in");
    expect(findStlinkDrive(undefined, lookup)).toBe(drive);
  });
});
