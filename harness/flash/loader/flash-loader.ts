// Our STM32F4/F7 flash loader (stm32f4-flash-loader.S), assembled on demand with the Debian Arm toolchain and
// cached by the hash of its source, so the image the host loads is always the one the source says.
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FlashError } from '../probe';

const SOURCE = path.join(__dirname, 'stm32f4-flash-loader.S');
const LINKER_SCRIPT = path.join(__dirname, 'loader.ld');
const CACHE_ROOT = path.resolve(__dirname, '..', '..', '..', '.cache', 'flash-loader');

export interface FlashLoaderImage {
  /** Position-independent code: load it anywhere in SRAM (word aligned). */
  code: Uint8Array;
  /** Byte offsets of the two entry points (Thumb; the host sets PC there with xPSR.T). */
  programEntry: number;
  crcEntry: number;
}

/** Parameter block layout shared with the assembly source (byte offsets). */
export const LoaderParams = {
  FLASH_IF: 0x00,
  STATUS: 0x04,
  /** Buffer descriptor i at BUFFER0 + i * BUFFER_STRIDE: flag, destination, length, data address. */
  BUFFER0: 0x08,
  BUFFER_STRIDE: 0x10,
  SIZE: 0x28,
} as const;
export const BufferFlag = { FREE: 0, FULL: 1, STOP: 2 } as const;

let cached: FlashLoaderImage | null = null;

function tool(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new FlashError(`'${command}' is not installed; the flash loader is assembled with the Debian gcc-arm-none-eabi package (scripts/setup.sh installs it)`);
    throw new FlashError(`assembling the flash loader failed (${command}): ${e.stderr?.toString().trim() ?? e.message}`);
  }
}

/** The loader image: from .cache/flash-loader/<hash>/ when built before, else assembled and linked now. */
export function flashLoaderImage(): FlashLoaderImage {
  if (cached) return cached;
  const hash = crypto.createHash('sha256').update(fs.readFileSync(SOURCE)).update(fs.readFileSync(LINKER_SCRIPT)).digest('hex').slice(0, 24);
  const dir = path.join(CACHE_ROOT, hash);
  const bin = path.join(dir, 'loader.bin');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(CACHE_ROOT, { recursive: true });
    const work = fs.mkdtempSync(path.join(CACHE_ROOT, '.build-')); // same filesystem: the rename below is atomic
    tool('arm-none-eabi-as', ['-mthumb', '-o', path.join(work, 'loader.o'), SOURCE]);
    tool('arm-none-eabi-ld', ['-T', LINKER_SCRIPT, '-o', path.join(work, 'loader.elf'), path.join(work, 'loader.o')]);
    tool('arm-none-eabi-objcopy', ['-O', 'binary', path.join(work, 'loader.elf'), path.join(work, 'loader.bin')]);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      fs.renameSync(work, dir);
    } catch {
      fs.rmSync(work, { recursive: true, force: true }); // another process won the race; its build is identical
    }
  }
  const code = new Uint8Array(fs.readFileSync(bin));
  if (code.length === 0 || code.length % 2 !== 0) throw new FlashError(`flash loader image ${bin} is ${code.length} bytes; delete ${dir} and retry`);
  // The source starts with two branches: PROGRAM at 0, CRC at 2.
  cached = { code: code.length % 4 === 0 ? code : Uint8Array.from([...code, 0, 0]), programEntry: 0, crcEntry: 2 };
  return cached;
}
