// The compile definitions that link into a firmware only the operators one model image uses
// (native/runtime/src/op_table.c: MCB_OPS_ONLY_USED + one MCB_USE_OP_<NAME> per op type in the image).
import { OP_CODES } from '../pack/image-ids';
import { readOpCodes } from '../pack/read-image';

const OP_NAMES = new Map(Object.entries(OP_CODES).map(([name, code]) => [code, name]));

/** The op type names an image's operator records use, sorted (an unknown code is left for the loader to refuse). */
export function opTypesInImage(image: Uint8Array): string[] {
  const names = new Set<string>();
  for (const code of readOpCodes(image)) {
    const name = OP_NAMES.get(code);
    if (name) names.add(name);
  }
  return [...names].sort();
}

/** Definitions for buildFirmware's `defines`: only the image's operators (and their kernels) are linked. */
export function opsOnlyUsedDefines(image: Uint8Array): Record<string, number> {
  const defines: Record<string, number> = { MCB_OPS_ONLY_USED: 1 };
  for (const name of opTypesInImage(image)) defines[`MCB_USE_OP_${name}`] = 1;
  return defines;
}
