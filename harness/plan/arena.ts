// Live-set accounting and arena packing for buffers with lifetimes, where in-place aliases share an offset.
import { AliasLink, BufferPlacement } from './types';

/**
 * A buffer to place: `tensor` is its key, live over steps [firstStep, lastStep]. `align` (default 1) is the
 * byte alignment its offset needs: the executor reads int32/float tensors with word loads.
 */
export type ArenaItem = Omit<BufferPlacement, 'offset'> & { align?: number };

/** Groups of tensors that must share one offset (the transitive closure of the alias links). */
export function aliasClasses(items: ArenaItem[], links: AliasLink[]): number[][] {
  const parent = new Map<number, number>();
  for (const it of items) parent.set(it.tensor, it.tensor);
  const find = (t: number): number => {
    let r = t;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(t, r);
    return r;
  };
  for (const l of links) parent.set(find(l.output), find(l.input));
  const groups = new Map<number, number[]>();
  for (const it of items) {
    const r = find(it.tensor);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(it.tensor);
  }
  return [...groups.values()];
}

/** Bytes live at each step: per alias class, the largest member live then (they overlap from one offset). */
export function liveProfile(items: ArenaItem[], links: AliasLink[], steps: number): number[] {
  const byTensor = new Map(items.map((it) => [it.tensor, it]));
  const live = new Array<number>(steps).fill(0);
  for (const cls of aliasClasses(items, links)) {
    const footprint = new Array<number>(steps).fill(0);
    for (const t of cls) {
      const it = byTensor.get(t)!;
      for (let s = it.firstStep; s <= it.lastStep; s++) footprint[s] = Math.max(footprint[s], it.bytes);
    }
    for (let s = 0; s < steps; s++) live[s] += footprint[s];
  }
  return live;
}

/** Incremental alias classes for the planners: who shares a buffer with whom, and until when it is read. */
export class AliasSets {
  private readonly parent = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly pinned = new Set<number>();

  /** `pinned`: tensors that must survive the whole run (graph outputs), so their class is never overwritten. */
  constructor(items: ArenaItem[], pinned: (t: number) => boolean) {
    for (const it of items) {
      this.parent.set(it.tensor, it.tensor);
      this.last.set(it.tensor, it.lastStep);
      if (pinned(it.tensor)) this.pinned.add(it.tensor);
    }
  }

  private root(t: number): number {
    let r = t;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    this.parent.set(t, r);
    return r;
  }

  /** True when no member of t's class is read after `step` or pinned: the buffer may be overwritten at `step`. */
  diesAt(t: number, step: number): boolean {
    const r = this.root(t);
    return this.last.get(r)! <= step && !this.pinned.has(r);
  }

  join(input: number, output: number): void {
    const a = this.root(input);
    const b = this.root(output);
    if (a === b) return;
    this.parent.set(b, a);
    this.last.set(a, Math.max(this.last.get(a)!, this.last.get(b)!));
    if (this.pinned.has(b)) this.pinned.add(a);
  }
}
