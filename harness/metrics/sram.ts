// SRAM use of one model on one board: what was measured, what the planner predicted, what the board has left.

export interface SramPart { name: string; bytes: number; }
export interface SramInput {
  /** Measured parts, e.g. arena high-water mark, peak stack, static .data + .bss. */
  measured: readonly SramPart[];
  /** The memory planner's arena figure for the same model (bytes). */
  plannedArena: number;
  /** Name of the measured part that corresponds to the planned arena (default 'arena'). */
  arenaPart?: string;
  /** The board's SRAM in bytes. */
  boardSram: number;
}

export interface SramSummary {
  parts: SramPart[];
  measuredTotal: number;
  plannedArena: number;
  measuredArena?: number;
  /** measuredArena − plannedArena (positive: the plan under-estimated). */
  planError?: number;
  boardSram: number;
  /** boardSram − measuredTotal; negative means it does not fit. */
  headroom: number;
  headroomFraction: number;
  fits: boolean;
}

export function summarizeSram(input: SramInput): SramSummary {
  for (const p of input.measured) {
    if (!Number.isInteger(p.bytes) || p.bytes < 0) throw new Error(`SRAM part '${p.name}' has ${p.bytes} bytes; expected a non-negative integer`);
  }
  if (!(input.boardSram > 0)) throw new Error(`board SRAM ${input.boardSram} must be positive`);
  const measuredTotal = input.measured.reduce((s, p) => s + p.bytes, 0);
  const arena = input.measured.find((p) => p.name === (input.arenaPart ?? 'arena'));
  const headroom = input.boardSram - measuredTotal;
  return {
    parts: [...input.measured], measuredTotal, plannedArena: input.plannedArena,
    measuredArena: arena?.bytes, planError: arena ? arena.bytes - input.plannedArena : undefined,
    boardSram: input.boardSram, headroom, headroomFraction: headroom / input.boardSram, fits: headroom >= 0,
  };
}
