// SRAM of the bench firmware, one formula for both sides of a run: the need estimated before building (planned
// arena, estimated static data, the stack size) and the peak measured after running (arena and stack high-water
// marks, the ELF's static data).

export interface SramParts {
  /** Arena (with kernel scratch): its size before building, its high-water mark after running. */
  arenaBytes: number;
  /** .data + .bss: estimated before building, read from the ELF after. */
  staticBytes: number;
  /** The stack: its size before building, its high-water mark after running. */
  stackBytes: number;
}

/** Bytes of main SRAM the parts take; a chip with CCM keeps the stack there, outside main SRAM. */
export function mainSramBytes(parts: SramParts, stackInCcm = false): number {
  for (const [name, bytes] of Object.entries(parts)) {
    if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`SRAM part '${name}' has ${bytes} bytes; expected a non-negative integer`);
  }
  return parts.arenaBytes + parts.staticBytes + (stackInCcm ? 0 : parts.stackBytes);
}
