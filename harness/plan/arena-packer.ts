// Packs buffers with lifetimes into one arena. Alias classes (in-place chains) move as one block: every
// member at the same offset, each member only blocking bytes during its own lifetime.
import { aliasClasses, ArenaItem, liveProfile } from './arena';
import { AliasLink, BufferPlacement } from './types';

type Ban = [number, number];
interface Placed { item: ArenaItem; offset: number }

function timesOverlap(a: ArenaItem, b: ArenaItem): boolean {
  return a.firstStep <= b.lastStep && b.firstStep <= a.lastStep;
}

/** Open intervals of offsets a class may not start at, given what is already placed. */
function forbidden(members: ArenaItem[], placed: Placed[]): Ban[] {
  const out: Ban[] = [];
  for (const m of members) {
    for (const p of placed) if (timesOverlap(m, p.item)) out.push([p.offset - m.bytes, p.offset + p.item.bytes]);
  }
  return out;
}

function fits(offset: number, bans: Ban[]): boolean {
  return bans.every(([lo, hi]) => offset <= lo || offset >= hi);
}

const alignUp = (o: number, a: number) => Math.ceil(o / a) * a;
const alignDown = (o: number, a: number) => Math.floor(o / a) * a;

/** Lowest aligned free offset: free space starts at 0 or at the end of a ban, rounded up to `align`. */
function lowestOffset(bans: Ban[], align: number): number {
  const candidates = [0, ...bans.map(([, hi]) => alignUp(hi, align))].filter((o) => o >= 0).sort((a, b) => a - b);
  return candidates.find((o) => fits(o, bans))!;
}

function highestOffset(bans: Ban[], limit: number, align: number): number | undefined {
  const candidates = [limit, ...bans.map(([lo]) => lo)].map((o) => alignDown(o, align))
    .filter((o) => o >= 0 && o <= limit).sort((a, b) => b - a);
  return candidates.find((o) => fits(o, bans));
}

const maxBytes = (c: ArenaItem[]) => Math.max(...c.map((m) => m.bytes));
const firstStep = (c: ArenaItem[]) => Math.min(...c.map((m) => m.firstStep));
const span = (c: ArenaItem[]) => Math.max(...c.map((m) => m.lastStep)) - firstStep(c);
const area = (c: ArenaItem[]) => c.reduce((s, m) => s + m.bytes * (m.lastStep - m.firstStep + 1), 0);

/** Class orders tried by the first-fit packer; each is a well-known heuristic for some graph shape. */
const ORDERS: { name: string; order: (classes: ArenaItem[][]) => ArenaItem[][] }[] = [
  { name: 'greedy-by-size', order: (c) => [...c].sort((a, b) => maxBytes(b) - maxBytes(a) || firstStep(a) - firstStep(b)) },
  { name: 'in-order', order: (c) => [...c].sort((a, b) => firstStep(a) - firstStep(b) || maxBytes(b) - maxBytes(a)) },
  { name: 'greedy-by-area', order: (c) => [...c].sort((a, b) => area(b) - area(a) || firstStep(a) - firstStep(b)) },
  // A long-lived buffer (patch-stage output, residual trunk) settled first, short-lived ones packed around it.
  { name: 'longest-lived-then-in-order', order: (c) => {
    const pinned = [...c].sort((a, b) => span(b) - span(a) || maxBytes(b) - maxBytes(a))[0];
    return [pinned, ...c.filter((x) => x !== pinned).sort((a, b) => firstStep(a) - firstStep(b) || maxBytes(b) - maxBytes(a))];
  } },
];

/**
 * Places classes in `order`: lowest free offset, except at the positions in `flipped`, which take the highest
 * free offset below `limit` (the two-ended move); a class that would cross `limit` is also tried high.
 * Returns undefined when a bounded placement fails.
 */
function place(order: ArenaItem[][], limit: number, flipped: Set<number>, bounded: boolean): Map<number, number> | undefined {
  const placed: Placed[] = [];
  const offsets = new Map<number, number>();
  for (let i = 0; i < order.length; i++) {
    const cls = order[i];
    const bans = forbidden(cls, placed);
    const top = limit - maxBytes(cls);
    const align = Math.max(...cls.map((m) => m.align ?? 1));
    let offset: number | undefined = flipped.has(i) ? highestOffset(bans, top, align) : lowestOffset(bans, align);
    if (offset === undefined || offset > top) offset = highestOffset(bans, top, align);
    if (offset === undefined) {
      if (bounded) return undefined;
      offset = lowestOffset(bans, align);
    }
    for (const m of cls) {
      placed.push({ item: m, offset });
      offsets.set(m.tensor, offset);
    }
  }
  return offsets;
}

export interface Packing { placements: BufferPlacement[]; arenaBytes: number; strategy: string }

function packingOf(items: ArenaItem[], offsets: Map<number, number>, strategy: string): Packing {
  const placements = items.map(({ align: _align, ...it }) => ({ ...it, offset: offsets.get(it.tensor)! }));
  return { placements, arenaBytes: placements.reduce((m, p) => Math.max(m, p.offset + p.bytes), 0), strategy };
}

/**
 * Smallest arena found: each order packed first-fit (unbounded); if none reaches the live-set peak, a
 * limited-discrepancy search over "this class goes to the top end instead" (one flip per order) within
 * an arena of exactly `peakBytes`.
 */
export function packArena(items: ArenaItem[], links: AliasLink[], peakBytes: number): Packing {
  const byTensor = new Map(items.map((it) => [it.tensor, it]));
  const classes = aliasClasses(items, links).map((c) => c.map((t) => byTensor.get(t)!));
  let best: Packing | undefined;
  for (const o of ORDERS) {
    const p = packingOf(items, place(o.order(classes), Infinity, new Set(), false)!, o.name);
    if (!best || p.arenaBytes < best.arenaBytes) best = p;
    if (best.arenaBytes === peakBytes) return best;
  }
  for (const o of ORDERS) {
    const order = o.order(classes);
    for (let i = 0; i < order.length; i++) {
      const offsets = place(order, peakBytes, new Set([i]), true);
      if (offsets) return packingOf(items, offsets, `${o.name}+two-ended`);
    }
  }
  // Seeded random swaps of the size order (reproducible), first fit, a bounded number of tries.
  let seed = 12345;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const bases = ORDERS.map((o) => o.order(classes));
  for (let trial = 0; trial < 400; trial++) {
    const order = [...bases[trial % bases.length]];
    for (let k = 0; k < 1 + (trial % 8); k++) {
      const i = Math.floor(rand() * order.length), j = Math.floor(rand() * order.length);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const p = packingOf(items, place(order, Infinity, new Set(), false)!, 'randomised-first-fit');
    if (p.arenaBytes < best!.arenaBytes) best = p;
    if (best!.arenaBytes === peakBytes) break;
  }
  return best!;
}

export interface AliasedPacking extends Packing { links: AliasLink[]; liveBytes: number[] }

/**
 * Packs; if the arena exceeds the live peak, drops the in-place links the peak does not need (an in-place
 * projection ties a short-lived wide buffer to a long-lived narrow one, which can fragment the arena), one
 * at a time while the peak stays the same, and keeps the smaller arena.
 */
export function packWithAliases(items: ArenaItem[], links: AliasLink[], steps: number): AliasedPacking {
  const liveBytes = liveProfile(items, links, steps);
  const peak = Math.max(...liveBytes);
  const first = { ...packArena(items, links, peak), links, liveBytes };
  if (first.arenaBytes === peak) return first;
  let kept = links;
  for (const link of links) {
    if (link.kind === 'reshape') continue;
    const trial = kept.filter((l) => l !== link);
    if (Math.max(...liveProfile(items, trial, steps)) === peak) kept = trial;
  }
  if (kept.length === links.length) return first;
  const second = { ...packArena(items, kept, peak), links: kept, liveBytes: liveProfile(items, kept, steps) };
  return second.arenaBytes < first.arenaBytes ? second : first;
}
