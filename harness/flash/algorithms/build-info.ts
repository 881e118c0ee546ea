// The build identity the bench firmware carries in its non-allocated ELF section .mcb_build_info
// (firmware/cmake/templates/model_image.S.in): the board id and the model image's SHA-256. Flashers compare it
// with the board they are asked to program before anything is erased.
import * as fs from 'fs';
import { FlashError } from '../probe';
import { ElfFormatError, isElf, readElf, SHT_NOBITS } from '../../build/elf';

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
  if (!isElf(bytes)) return null;
  let sections;
  try {
    sections = readElf(bytes, name).sections;
  } catch (err) {
    if (err instanceof ElfFormatError) throw new FlashError(err.message);
    throw err;
  }
  const section = sections.find((s) => s.name === BUILD_INFO_SECTION);
  if (!section) return null;
  const fail = (why: string): never => {
    throw new FlashError(`${name}: ${why}`);
  };
  if (section.type === SHT_NOBITS || section.offset + section.size > bytes.length) fail(`${BUILD_INFO_SECTION} has no bytes in the file`);
  const fields = Buffer.from(bytes.subarray(section.offset, section.offset + section.size)).toString('latin1').split('\0');
  if (fields[0] !== MAGIC) fail(`${BUILD_INFO_SECTION} does not start with '${MAGIC}'`);
  const value = (key: string): string | undefined => fields.find((f) => f.startsWith(`${key}=`))?.slice(key.length + 1);
  const board = value('board');
  if (!board) fail(`${BUILD_INFO_SECTION} names no board`);
  const sha = value('model-sha256');
  return { board: board!, modelSha256: sha && sha !== 'none' ? sha.toLowerCase() : null };
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
