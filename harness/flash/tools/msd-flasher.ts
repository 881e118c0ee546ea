// --flasher msd: the ST-Link's mass-storage drive (V2-1 and V3 on Nucleo/Discovery boards). Copy the .bin onto
// the mounted drive; the probe programs the target, drops off the bus and comes back with a fresh FAT, holding
// FAIL.TXT when programming failed. The drive is found by the probe's serial (/dev/disk/by-id) or, with a single
// ST-Link attached, by its DETAILS.TXT.
import * as fs from 'fs';
import * as path from 'path';
import { FlashError, hex32 } from '../probe';
import type { ResolvedBoard } from '../../boards';
import { refuseForeignFirmware, type Flasher, type FlashReport, type FlashRequest } from '../flasher';
import { StlinkFlasher } from '../stlink/stlink-flasher';
import { flatBinary } from './flat-binary';

export interface DriveLookup {
  /** Folder of /dev/disk/by-id-style links: usb-<vendor>_<model>_<serial>-0:0 → the block device. */
  byIdDir?: string;
  /** A /proc/mounts-style table: device, mount point, type, … */
  mountsFile?: string;
  /** How long to wait for the drive to drop off and come back after the copy. */
  reenumerateTimeoutMs?: number;
  pollMs?: number;
}

/** /proc/mounts escapes spaces and the like as octal (\040). */
const unescapeMount = (field: string): string => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

function mountTable(mountsFile: string): Array<{ device: string; mountPoint: string }> {
  let text: string;
  try {
    text = fs.readFileSync(mountsFile, 'utf8');
  } catch (err) {
    throw new FlashError(`cannot read the mount table ${mountsFile}: ${(err as Error).message}`);
  }
  return text.split('\n').filter(Boolean).map((line) => {
    const [device, mountPoint] = line.split(/\s+/);
    return { device: unescapeMount(device), mountPoint: unescapeMount(mountPoint ?? '') };
  });
}

const isStlinkDrive = (dir: string): boolean => fs.existsSync(path.join(dir, 'DETAILS.TXT'));

/** The mount point of the ST-Link drive for this probe serial (or the only ST-Link drive when no serial is given). */
export function findStlinkDrive(serial: string | undefined, lookup: DriveLookup = {}): string {
  const byIdDir = lookup.byIdDir ?? '/dev/disk/by-id';
  const mounts = mountTable(lookup.mountsFile ?? '/proc/mounts');
  const candidates = mounts.filter((m) => m.mountPoint && isStlinkDrive(m.mountPoint));
  if (serial !== undefined) {
    const links = fs.existsSync(byIdDir) ? fs.readdirSync(byIdDir) : [];
    // Whole-disk links only (no -partN): the ST-Link's drive has no partition table.
    const link = links.find((name) => name.startsWith('usb-') && name.toUpperCase().endsWith(`_${serial.toUpperCase()}-0:0`));
    if (!link) {
      throw new FlashError(`no mass-storage drive of ST-Link ${serial} in ${byIdDir}; this probe may have no drive (V2 dongles, "no MSD" firmware) ` +
        `— use --flasher stlink, openocd or st-flash`);
    }
    const device = fs.realpathSync(path.join(byIdDir, link));
    const mount = mounts.find((m) => m.device === device || (fs.existsSync(m.device) && fs.realpathSync(m.device) === device));
    if (!mount) throw new FlashError(`the drive of ST-Link ${serial} (${device}) is not mounted; mount it (e.g. udisksctl mount -b ${device}) and retry`);
    if (!isStlinkDrive(mount.mountPoint)) throw new FlashError(`${mount.mountPoint} (${device}) has no DETAILS.TXT: not an ST-Link drive`);
    return mount.mountPoint;
  }
  if (candidates.length === 1) return candidates[0].mountPoint;
  if (candidates.length === 0) throw new FlashError('no mounted ST-Link drive (a volume with DETAILS.TXT) was found; is the board plugged in and its drive mounted?');
  throw new FlashError(`${candidates.length} ST-Link drives are mounted (${candidates.map((c) => c.mountPoint).join(', ')}); choose one with --probe <serial>`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The drive always resets the target after programming, so `halt` cannot be honoured: the firmware starts at once,
 * and the run path's resume() resets it again (through the same ST-Link's debug interface) after the console opens.
 */
export class MsdFlasher implements Flasher {
  readonly method = 'msd';

  constructor(private readonly lookup: DriveLookup = {}, private readonly resetter: Flasher = new StlinkFlasher()) {}

  async flash(job: FlashRequest): Promise<FlashReport> {
    refuseForeignFirmware(job);
    const { board, chip } = job.board;
    const image = flatBinary(job.firmware, chip.flash.base);
    if (image.address !== chip.flash.base) {
      throw new FlashError(`${job.firmware} starts at ${hex32(image.address)}, but the ST-Link drive always programs from the flash base ${hex32(chip.flash.base)}; use --flasher stlink`);
    }
    const drive = findStlinkDrive(job.probeSerial, this.lookup);
    const staleFail = path.join(drive, 'FAIL.TXT');
    const name = 'FIRMWARE.BIN';
    const target = path.join(drive, name);
    job.onProgress?.({ phase: 'program', done: 0, total: image.data.length });
    // Write and fsync: the probe starts programming when the FAT entry and data reach it.
    const fd = fs.openSync(target, 'w');
    try {
      fs.writeSync(fd, image.data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    job.onProgress?.({ phase: 'program', done: image.data.length, total: image.data.length });
    job.onProgress?.({ phase: 'verify', done: 0, total: 1 });
    await this.awaitReenumeration(drive, target, staleFail, job.probeSerial);
    if (fs.existsSync(staleFail)) {
      const why = fs.readFileSync(staleFail, 'utf8').trim();
      throw new FlashError(`the ST-Link drive at ${drive} refused ${path.basename(job.firmware)} for ${board.id}: FAIL.TXT says "${why}"`);
    }
    job.onProgress?.({ phase: 'verify', done: 1, total: 1 });
    return {
      probe: { label: `ST-Link drive ${drive}`, serial: job.probeSerial ?? null }, bytesProgrammed: image.data.length, erasedSectors: [],
      verify: 'ok (the drive re-enumerated without FAIL.TXT; the probe verifies internally)',
      details: [`copied ${image.data.length} bytes as ${name}`, 'the probe reset the target (it does so after every copy)'],
    };
  }

  reset(board: ResolvedBoard, probeSerial?: string): Promise<void> {
    return this.resetter.reset(board, probeSerial);
  }

  /** The drive drops off the bus (or at least loses our file) and comes back with DETAILS.TXT. */
  private async awaitReenumeration(drive: string, copied: string, failFile: string, serial: string | undefined): Promise<void> {
    const timeoutMs = this.lookup.reenumerateTimeoutMs ?? 30_000;
    const poll = this.lookup.pollMs ?? 100;
    const deadline = Date.now() + timeoutMs;
    while (fs.existsSync(copied) && !fs.existsSync(failFile)) {
      if (Date.now() > deadline) {
        throw new FlashError(`the ST-Link drive at ${drive} still shows the copied file after ${timeoutMs / 1000} s: the probe did not take it ` +
          '(is the file manager holding the drive? is it an ST-Link drive?)');
      }
      await sleep(poll);
    }
    while (!isStlinkDrive(drive)) {
      if (Date.now() > deadline) {
        throw new FlashError(`the ST-Link drive${serial ? ` of ${serial}` : ''} did not come back within ${timeoutMs / 1000} s after programming; ` +
          'check dmesg, and that the automounter remounts it at the same place');
      }
      await sleep(poll);
    }
  }
}
