// The build identity the bench firmware carries in its non-allocated ELF section .mcb_build_info
// (firmware/cmake/templates/model_image.S.in): the board id and the model image's SHA-256. Flashers compare it
// with the board they are asked to program before anything is erased.
import * as fs from 'fs';
import { FlashError } from '../probe';
import { isElf } from './firmware-image';

export const BUILD_INFO_SECTION = '.mcb_build_info';
const MAGIC = 'mcubench-build-info';

export interface BuildInfo {
  board: string;
  /** SHA-256 (hex) of the packed model image linked in, or null when built without one. */
  modelSha256: string | null;
}

/** A firmware built for another board or model: refused before erasing. */
export class FirmwareMismatchError extends FlashError {
  constructor(message: string) {
    super(message);
  }
}

/** Reads .mcb_build_info from an ELF; null for a .bin or an ELF without the section (not built by mcubench). */
export function readBuildInfo(bytes: Uint8Array, name: string): BuildInfo | null {
  if (!isElf(bytes) || bytes.length < 52) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => {
    throw new FlashError(`${name}: ${why}`);
  };
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  const shstrndx = view.getUint16(50, true);
  if (shnum === 0 || shoff === 0) return null; // stripped of section headers
  if (shentsize < 40 || shoff + shnum * shentsize > bytes.length) fail(`section header table (${shnum} × ${shentsize} bytes at ${shoff}) runs past the end of the file`);
  if (shstrndx >= shnum) fail(`section name table index ${shstrndx} is not below the section count ${shnum}`);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return { name: view.getUint32(at, true), offset: view.getUint32(at + 16, true), size: view.getUint32(at + 20, true) };
  };
  const names = header(shstrndx);
  if (names.offset + names.size > bytes.length) fail('section name table runs past the end of the file');
  const nameAt = (offset: number): string => {
    let end = names.offset + offset;
    while (end < names.offset + names.size && bytes[end] !== 0) end++;
    return Buffer.from(bytes.subarray(names.offset + offset, end)).toString('latin1');
  };
  for (let i = 0; i < shnum; i++) {
    const section = header(i);
    if (section.name >= names.size || nameAt(section.name) !== BUILD_INFO_SECTION) continue;
    if (section.offset + section.size > bytes.length) fail(`${BUILD_INFO_SECTION} runs past the end of the file`);
    const fields = Buffer.from(bytes.subarray(section.offset, section.offset + section.size)).toString('latin1').split('\0');
    if (fields[0] !== MAGIC) fail(`${BUILD_INFO_SECTION} does not start with '${MAGIC}'`);
    const value = (key: string): string | undefined => fields.find((f) => f.startsWith(`${key}=`))?.slice(key.length + 1);
    const board = value('board');
    if (!board) fail(`${BUILD_INFO_SECTION} names no board`);
    const sha = value('model-sha256');
    return { board: board!, modelSha256: sha && sha !== 'none' ? sha.toLowerCase() : null };
  }
  return null;
}

export interface FirmwareExpectation {
  boardId: string;
  /** The model image the caller is about to run against this firmware, if any. */
  modelSha256?: string;
}

/**
 * Throws FirmwareMismatchError when the firmware file says it was built for another board (or model); returns the
 * build info (null when the file carries none: a .bin or a foreign ELF, then only the probe's chip-id check applies).
 */
export function checkFirmwareFor(file: string, expected: FirmwareExpectation): BuildInfo | null {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new FlashError(`cannot read firmware '${file}': ${(err as Error).message}`);
  }
  const info = readBuildInfo(bytes, file);
  if (!info) return null;
  if (info.board !== expected.boardId) {
    throw new FirmwareMismatchError(`${file} was built for board '${info.board}', not for '${expected.boardId}': refusing to flash it ` +
      `(nothing was erased); build one for this board with mcubench build --board ${expected.boardId} --out firmware.elf`);
  }
  if (expected.modelSha256 !== undefined && info.modelSha256 !== expected.modelSha256.toLowerCase()) {
    throw new FirmwareMismatchError(`${file} (board '${info.board}') carries model image ${info.modelSha256 ?? 'none'}, but this run needs ` +
      `${expected.modelSha256.toLowerCase()}: refusing to flash it (nothing was erased); rebuild with mcubench build --board ${expected.boardId} --model <model>`);
  }
  return info;
}
