// Turns a runtime rejection (image error + record index) into words: which operator, of what type, and why.
import { IMAGE_ERRORS, OP_CODES, SECTION_IDS } from './image-ids';
import { PATCH_HEADER_BYTES } from './image-layout';
import { readImageSummary, readOpCodes } from './read-image';

/** Errors whose index is an operator index, and what each means for that operator. */
const OP_REASONS: Partial<Record<keyof typeof IMAGE_ERRORS, string>> = {
  BAD_OP: 'its code, operand list or operand storage is invalid',
  BAD_PARAMS: 'its parameter block or operand shapes/dtypes are not what its kernel needs',
  UNSUPPORTED_OP: 'this runtime build has no kernel for it',
  SCRATCH_TOO_SMALL: 'it needs more scratch than the image reserves',
  KERNEL_FAILED: 'its kernel failed',
  SCHEDULE_ORDER: 'the schedule runs it twice or never, or it reads a tensor no earlier operator wrote',
  ARENA_OVERLAP: 'its output shares arena bytes with a tensor that is still live (not an in-place write over an input read for the last time)',
};

const OP_NAMES = new Map<number, string>(Object.entries(OP_CODES).map(([name, code]) => [code, name]));

function opName(image: Uint8Array, index: number): string | undefined {
  const code = readOpCodes(image)[index];
  return code === undefined ? undefined : (OP_NAMES.get(code) ?? `op code ${code}`);
}

/** "operator 12 (CONV_2D): <why>" for operator errors, "patch 3, stage step 2 (operator 2, ADD): ..." for
 *  patch steps; undefined when the error does not point at an operator or the image cannot say more. */
export function describeImageErrorSite(image: Uint8Array, detail: string, index: number): string | undefined {
  try {
    const reason = OP_REASONS[detail as keyof typeof IMAGE_ERRORS];
    if (reason) {
      const name = opName(image, index);
      return name ? `operator ${index} (${name}): ${reason}` : undefined;
    }
    if (detail === 'BAD_SCHEDULE' && index >= 0) {
      const sections = readImageSummary(image).sections;
      const patch = sections.find((s) => s.id === SECTION_IDS.PATCH_SCHEDULE);
      if (sections.some((s) => s.id === SECTION_IDS.STREAM_SCHEDULE) && !patch) {
        return `stream schedule record ${index} (a segment, ring or row step): its ops, rows, ring sizes or offsets do not fit the model, the arena or the row order`;
      }
      if (!patch) return `layer schedule entry ${index} names no operator of the image`;
      const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
      const stageOps = view.getUint32(patch.offset, true);
      if (stageOps === 0) return undefined;
      const k = index % stageOps;
      const op = view.getUint32(patch.offset + PATCH_HEADER_BYTES + 4 * k, true);
      return `patch ${Math.floor(index / stageOps)}, stage step ${k} (operator ${op}, ${opName(image, op) ?? '?'}): ` +
        'its windows, tile offsets or operands do not fit the tensors, the arena, or the tiles earlier steps wrote';
    }
  } catch {
    return undefined;
  }
  return undefined;
}
