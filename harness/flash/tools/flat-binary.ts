// The flashers that take a raw binary (st-flash, the ST-Link drive) get the image as one contiguous block: ELF
// segments placed at their load addresses, gaps filled with 0xFF (erased flash).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadFirmwareImage, toWordBlocks } from '../algorithms/firmware-image';

export interface FlatBinary {
  address: number;
  data: Uint8Array;
}

export function flatBinary(file: string, flashBase: number): FlatBinary {
  const blocks = toWordBlocks(loadFirmwareImage(file, flashBase), file);
  const start = blocks[0].address;
  const last = blocks[blocks.length - 1];
  const data = new Uint8Array(last.address + last.data.length - start).fill(0xff);
  for (const block of blocks) data.set(block.data, block.address - start);
  return { address: start, data };
}

/** Writes the flat binary to a fresh temporary file; the caller removes its folder. */
export function writeTempBinary(image: FlatBinary, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-flash-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, image.data);
  return file;
}
