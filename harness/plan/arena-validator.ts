// Independent check of a packed arena: no two buffers live at the same step may share a byte unless one is
// the declared in-place alias of the other at the same offset.
import { AliasLink, BufferPlacement } from './types';

/** Returns one message per violation; an empty list means the packing is safe to replay. */
export function validateArena(buffers: BufferPlacement[], links: AliasLink[], arenaBytes: number): string[] {
  const problems: string[] = [];
  const linked = new Set(links.map((l) => `${Math.min(l.input, l.output)}:${Math.max(l.input, l.output)}`));
  const byTensor = new Map(buffers.map((b) => [b.tensor, b]));
  for (const l of links) {
    const a = byTensor.get(l.input);
    const b = byTensor.get(l.output);
    if (!a || !b) problems.push(`alias at op ${l.op}: tensor ${!a ? l.input : l.output} has no buffer`);
    else if (a.offset !== b.offset) problems.push(`alias at op ${l.op}: tensors ${l.input} and ${l.output} at different offsets`);
    else if (l.kind !== 'reshape' && a.lastStep > l.op) problems.push(`in-place op ${l.op} overwrites tensor ${l.input}, which is read later (step ${a.lastStep})`);
  }
  for (const b of buffers) {
    if (b.offset < 0 || b.offset + b.bytes > arenaBytes) problems.push(`tensor ${b.tensor} [${b.offset}, ${b.offset + b.bytes}) outside the ${arenaBytes}-byte arena`);
  }
  for (let i = 0; i < buffers.length; i++) {
    for (let j = i + 1; j < buffers.length; j++) {
      const a = buffers[i];
      const b = buffers[j];
      const timeOverlap = a.firstStep <= b.lastStep && b.firstStep <= a.lastStep;
      const byteOverlap = a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
      if (!timeOverlap || !byteOverlap) continue;
      const key = `${Math.min(a.tensor, b.tensor)}:${Math.max(a.tensor, b.tensor)}`;
      if (linked.has(key) && a.offset === b.offset) continue;
      problems.push(`tensors ${a.tensor} and ${b.tensor} are live together (steps ${Math.max(a.firstStep, b.firstStep)}..${Math.min(a.lastStep, b.lastStep)}) and overlap in bytes`);
    }
  }
  return problems;
}
