// Row-band streaming with no recomputation (`--schedule stream`): ops [0, split) run row band by row band,
// demand-driven from the stage output's rows; every tensor inside the stage (the input image included) is kept
// only as a ring of the rows its readers still need (row y in slot y mod rows), the stage output is written
// whole. Every output row of every op is computed exactly once, so the MACs are the layer schedule's. The rest
// runs layer by layer as in a patch plan. docs/memory-plan.md §7 is the contract.
import { DTYPE_BYTES, Graph } from '../model/graph';
import { AliasSets, ArenaItem, liveProfile } from './arena';
import { legalSplits } from './search';
import { packWithAliases } from './arena-packer';
import { validateArena } from './arena-validator';
import { inPlaceCandidates } from './in-place';
import { lastUse, scratchFor } from './layer-planner';
import { activationBytes, activationInputs, DataFlow, dataFlow, elementAlign, macsPerOutputPixel, opMacs, opWindow, Window } from './op-analysis';
import { analyseStage, PATCHABLE_OPS, UNARY_PIXELWISE_OPS } from './patch-stage';
import { PlanError } from './plan-error';
import { AliasLink, BufferPlacement } from './types';

/**
 * One op producing row y0 (y1 = y0 + 1) of its output, columns [x0, x1) (the strip's window of that tensor; the
 * full width when the segment runs as one strip), reading each input as it is then held.
 */
export interface StreamStep {
  op: number;
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  /** Rows of the output's ring below this are dropped before the step writes (whole outputs: 0). */
  keepFrom: number;
  /** Per activation input of the op: the rows held, [lo, hi) (a whole tensor from outside: all its rows). */
  inputs: { tensor: number; lo: number; hi: number }[];
}

/**
 * A tensor held as a ring of `rows` rows of at most `width` columns (its widest strip window), each `rowBytes`
 * long. The runtime keeps the held rows in order from the ring's start, each as long as the current window.
 */
export interface StreamRing { tensor: number; rows: number; height: number; width: number; rowBytes: number; bytes: number }

/**
 * Ops [first, end) run row by row, `strips` times: strip k computes columns [x0, x1) of the output of op end−1
 * (the output's width split evenly) and of every tensor inside only the columns those need, so columns near a
 * strip boundary are computed by both strips (with 1 strip: none twice). Tensors produced inside and read only
 * inside are rings, restarted at each strip; the output of op end−1 is written whole; inputs from before the
 * segment are whole tensors, except the network input of a segment starting at op 0, which is a ring filled
 * row by row from the caller's input (op −1 steps).
 */
export interface StreamSegment {
  first: number;
  end: number;
  output: number;
  strips: number;
  rings: StreamRing[];
  steps: StreamStep[];
}

export interface StreamPlan {
  schedule: 'stream';
  /** End of the segment that starts at the network input (0: none). */
  split: number;
  /** Strips of the segment that starts at the network input (1 when none). */
  strips: number;
  segments: StreamSegment[];
  peakBytes: number;
  peakStep: number;
  arenaBytes: number;
  scratchBytes: number;
  /** MACs as run: the layer schedule's plus the columns strips compute twice (1 strip: none). */
  macs: number;
  macOverhead: number;
  /** Bytes of all rings, and of the whole tensors they stand for. */
  ringBytes: number;
  ringedTensorBytes: number;
  buffers: BufferPlacement[];
  aliases: AliasLink[];
  liveBytes: number[];
  packing: string;
}

/** Rings the C executor tracks at once (MCB_STREAM_MAX_RINGS in runtime_internal.h). */
export const MAX_RINGS = 64;

/** Most strips the search tries for the segment from the input. */
export const MAX_STREAM_STRIPS = 4;

/** MAC budget of `--schedule stream` when none is given: strips may recompute at most this much. */
export const DEFAULT_STREAM_MAX_MAC_OVERHEAD = 0.05;

export interface StreamPlanOptions {
  pack?: boolean;
  /** Later runs of ops [first, end) to stream too (inverted-residual blocks); default none. */
  later?: [number, number][];
  /** Strips of the segment from the input; default 1 (no column computed twice). */
  strips?: number;
}

/** Input rows [first, end) an op reads to produce output rows [y0, y1), clipped to the input's height. */
function inputRows(win: Window, y0: number, y1: number, height: number): [number, number] {
  const first = y0 * win.sh - win.padTop;
  const end = (y1 - 1) * win.sh - win.padTop + (win.kh - 1) * win.dh + 1;
  return [Math.max(0, Math.min(height, first)), Math.max(0, Math.min(height, end))];
}

/** Input columns [first, end) an op reads to produce output columns [x0, x1), clipped to the input's width. */
function inputColumns(win: Window, x0: number, x1: number, width: number): [number, number] {
  const first = x0 * win.sw - win.padLeft;
  const end = (x1 - 1) * win.sw - win.padLeft + (win.kw - 1) * win.dw + 1;
  return [Math.max(0, Math.min(width, first)), Math.max(0, Math.min(width, end))];
}

/**
 * Column window [x0, x1) of every tensor the segment computes (and of its ringed input) for one strip of the
 * output's columns: what the readers inside the segment need, walked back from the output.
 */
function stripWindows(graph: Graph, flow: DataFlow, first: number, end: number, ringed: Set<number>, x0: number, x1: number): Map<number, [number, number]> {
  const ops = graph.operators;
  const windows = new Map<number, [number, number]>([[ops[end - 1].outputs[0], [x0, x1]]]);
  for (let j = end - 1; j >= first; j--) {
    const own = windows.get(ops[j].outputs[0]);
    if (!own) throw new PlanError(`${graph.source}: op ${j} computes nothing the stream segment ${first}..${end - 1} needs`);
    const win = opWindow(graph, ops[j]);
    for (const t of activationInputs(ops[j], flow)) {
      if (!ringed.has(t)) continue;
      const [a, b] = inputColumns(win, own[0], own[1], graph.tensors[t].shape[2]);
      const had = windows.get(t);
      windows.set(t, had ? [Math.min(had[0], a), Math.max(had[1], b)] : [a, b]);
    }
  }
  return windows;
}

/** Row-by-row execution of one segment, strip by strip, pulling each row when a reader needs it; ring sizes follow. */
function simulateSegment(graph: Graph, flow: DataFlow, first: number, end: number, ringedInput: number | undefined, strips = 1): StreamSegment {
  const ops = graph.operators;
  const output = ops[end - 1].outputs[0];
  const height = (t: number) => graph.tensors[t].shape[1];
  const width = (t: number) => graph.tensors[t].shape[2];
  const pixelBytes = (t: number) => graph.tensors[t].shape[3] * DTYPE_BYTES[graph.tensors[t].dtype];
  const internal = ops.slice(first, end - 1).map((op) => op.outputs[0]);
  const ringed = [...(ringedInput === undefined ? [] : [ringedInput]), ...internal];
  const isRing = new Set(ringed);
  if (!Number.isInteger(strips) || strips < 1 || strips > width(output)) {
    throw new PlanError(`${graph.source}: ${strips} strips for a stream segment whose output is ${width(output)} columns wide`);
  }
  const rows = new Map<number, number>(ringed.map((t) => [t, 0]));
  const widest = new Map<number, number>(ringed.map((t) => [t, 0]));
  const readers = (t: number) => flow.consumers[t].filter((c) => c >= first && c < end);
  const steps: StreamStep[] = [];
  const xs = Array.from({ length: strips + 1 }, (_, k) => Math.floor((k * width(output)) / strips));
  for (let k = 0; k < strips; k++) {
    const windows = stripWindows(graph, flow, first, end, isRing, xs[k], xs[k + 1]);
    for (const t of ringed) widest.set(t, Math.max(widest.get(t)!, windows.get(t)![1] - windows.get(t)![0]));
    const produced = new Map<number, number>();
    const rowsOf = (t: number) => (isRing.has(t) || t === output ? produced.get(t) ?? 0 : height(t));
    const lowestNeeded = (t: number): number => Math.min(...readers(t).map((c) => {
      const out = ops[c].outputs[0];
      const next = rowsOf(out);
      return next >= height(out) ? height(t) : inputRows(opWindow(graph, ops[c]), next, next + 1, height(t))[0];
    }));
    const held = (t: number) => (isRing.has(t) ? { tensor: t, lo: lowestNeeded(t), hi: rowsOf(t) } : { tensor: t, lo: 0, hi: height(t) });
    const ensure = (t: number, rowsWanted: number): void => {
      const until = Math.min(rowsWanted, height(t));
      while (rowsOf(t) < until) {
        const y = rowsOf(t);
        const j = t === ringedInput ? -1 : flow.producer[t];
        let inputs: StreamStep['inputs'] = [];
        if (j >= 0) {
          const reads = activationInputs(ops[j], flow);
          for (const i of reads) ensure(i, inputRows(opWindow(graph, ops[j]), y, y + 1, height(i))[1]);
          inputs = reads.map(held);
        }
        // The ring keeps rows [keepFrom, y] while row y is written.
        const keepFrom = isRing.has(t) ? Math.min(lowestNeeded(t), y) : 0;
        if (isRing.has(t)) rows.set(t, Math.max(rows.get(t)!, y + 1 - keepFrom));
        const [x0, x1] = windows.get(t)!;
        steps.push({ op: j, y0: y, y1: y + 1, x0, x1, keepFrom, inputs });
        produced.set(t, y + 1);
      }
    };
    ensure(output, height(output));
  }
  const rings = ringed.map((t) => {
    const n = rows.get(t)!;
    const w = widest.get(t)!;
    return { tensor: t, rows: n, height: height(t), width: w, rowBytes: w * pixelBytes(t), bytes: n * w * pixelBytes(t) };
  });
  return { first, end, output, strips, rings, steps };
}

/** Ops [first, end) can run row by row with whole tensors from outside: spatial ops only, one tensor leaving. */
export function segmentIsStreamable(graph: Graph, flow: DataFlow, first: number, end: number): boolean {
  if (end - first < 2) return false;
  const nhwc = (t: number) => {
    const s = graph.tensors[t].shape;
    return s.length === 4 && s[0] === 1 && ['int8', 'uint8'].includes(graph.tensors[t].dtype);
  };
  for (let j = first; j < end; j++) {
    const op = graph.operators[j];
    if (!(PATCHABLE_OPS as readonly string[]).includes(op.type) || op.outputs.length !== 1) return false;
    const out = op.outputs[0];
    if (![...activationInputs(op, flow), out].every(nhwc)) return false;
    if ((op.type === 'ADD' || op.type === 'MUL') && !op.inputs.every((t) => flow.isActivation[t] && graph.tensors[t].shape.join() === graph.tensors[out].shape.join())) return false;
    if ((UNARY_PIXELWISE_OPS as readonly string[]).includes(op.type) && graph.tensors[op.inputs[0]].shape.join() !== graph.tensors[out].shape.join()) return false;
    if (op.type !== 'CONV_2D' && op.type !== 'DEPTHWISE_CONV_2D' && op.type !== 'AVERAGE_POOL_2D' && op.type !== 'QUANTIZE' && graph.tensors[out].dtype !== 'int8') return false;
    if (j < end - 1) {
      const readers = flow.consumers[out];
      if (readers.length === 0 || flow.graphOutputs.has(out) || readers.some((c) => c >= end)) return false;
    }
  }
  return true;
}

export function planStream(graph: Graph, split: number, options: StreamPlanOptions = {}): StreamPlan {
  const flow = dataFlow(graph);
  const n = graph.operators.length;
  const segments: StreamSegment[] = [];
  if (split > 0) {
    const stage = analyseStage(graph, flow, split);
    segments.push(simulateSegment(graph, flow, 0, split, stage.input, options.strips ?? 1));
  }
  for (const [a, b] of options.later ?? []) {
    if (a < split || !segmentIsStreamable(graph, flow, a, b) || segments.some((x) => a < x.end && x.first < b)) {
      throw new PlanError(`${graph.source}: ops ${a}..${b - 1} cannot stream as a segment of their own`);
    }
    segments.push(simulateSegment(graph, flow, a, b, undefined));
  }
  segments.sort((x, y) => x.first - y.first);
  const segmentOf = (op: number) => segments.find((s) => op >= s.first && op < s.end);
  const ring = new Map<number, { ring: StreamRing; seg: StreamSegment }>();
  for (const seg of segments) for (const r of seg.rings) ring.set(r.tensor, { ring: r, seg });

  // Lifetimes in op steps: a segment's ops all run in every row band, so what it reads or writes lives over it all.
  const lastStepOf = (t: number): number => {
    let last = lastUse(graph, flow, t, flow.producer[t] < 0 ? 0 : flow.producer[t]);
    for (const c of flow.consumers[t]) {
      const seg = segmentOf(c);
      if (seg) last = Math.max(last, seg.end - 1);
    }
    return last;
  };
  const items: ArenaItem[] = [];
  const activations = new Set<number>([...graph.inputs, ...graph.operators.flatMap((op) => op.outputs.filter((t) => t >= 0))]);
  for (const t of activations) {
    const align = elementAlign(graph, t);
    const r = ring.get(t);
    if (r) {
      items.push({ tensor: t, bytes: r.ring.bytes, align, firstStep: r.seg.first, lastStep: r.seg.end - 1 });
      continue;
    }
    const producer = flow.producer[t];
    const seg = producer >= 0 ? segmentOf(producer) : undefined;
    items.push({ tensor: t, bytes: activationBytes(graph, t), align, firstStep: seg ? seg.first : Math.max(producer, 0), lastStep: lastStepOf(t) });
  }
  // In-place only between whole tensors of ops run layer by layer.
  const sets = new AliasSets(items, (t) => flow.graphOutputs.has(t));
  let links: AliasLink[] = [];
  for (const op of graph.operators) {
    if (segmentOf(op.index)) continue;
    const out = op.outputs[0];
    const cand = inPlaceCandidates(graph, op, flow).find((c) => !ring.has(c.input) && (c.kind === 'reshape' || sets.diesAt(c.input, op.index)));
    if (!cand || out < 0) continue;
    links.push({ op: op.index, input: cand.input, output: out, kind: cand.kind });
    sets.join(cand.input, out);
  }
  let liveBytes = liveProfile(items, links, n);
  const peakBytes = Math.max(...liveBytes);
  let buffers: BufferPlacement[] = items.map((it) => ({ ...it, offset: -1 }));
  let arenaBytes = -1;
  let packing = 'none';
  if (options.pack !== false) {
    const packed = packWithAliases(items, links, n);
    const problems = validateArena(packed.placements, packed.links, packed.arenaBytes);
    if (problems.length) throw new Error(`internal planner error for ${graph.source}: ${problems[0]}`);
    ({ placements: buffers, arenaBytes, strategy: packing, links, liveBytes } = packed);
  }
  const rings = segments.flatMap((s) => s.rings);
  if (rings.length > MAX_RINGS) {
    throw new PlanError(`${graph.source}: the stream plan needs ${rings.length} rings; the runtime tracks at most ${MAX_RINGS} — stream fewer ops`);
  }
  // Each step computes one row of its window; ops outside segments run whole.
  const layerMacs = graph.operators.reduce((sum, op) => sum + opMacs(graph, op), 0);
  let macs = graph.operators.filter((op) => !segmentOf(op.index)).reduce((sum, op) => sum + opMacs(graph, op), 0);
  for (const seg of segments) for (const st of seg.steps) if (st.op >= 0) macs += (st.x1 - st.x0) * macsPerOutputPixel(graph, graph.operators[st.op]);
  return {
    schedule: 'stream',
    split,
    strips: segments.find((x) => x.first === 0 && split > 0)?.strips ?? 1,
    segments,
    peakBytes,
    peakStep: liveBytes.indexOf(peakBytes),
    arenaBytes,
    scratchBytes: scratchFor(graph, links),
    macs,
    macOverhead: layerMacs > 0 ? macs / layerMacs - 1 : 0,
    ringBytes: rings.reduce((s, r) => s + r.bytes, 0),
    ringedTensorBytes: rings.reduce((s, r) => s + activationBytes(graph, r.tensor), 0),
    buffers,
    aliases: links,
    liveBytes,
    packing,
  };
}

/** Longest later segment tried around a peak: an inverted-residual block with its residual ADD is 4 ops. */
const MAX_LATER_SEGMENT = 5;

export interface StreamChoice { split: number; strips: number; later: [number, number][]; peakBytes: number; macOverhead: number }

/** The plan of a searched choice. */
export function planStreamChoice(graph: Graph, choice: StreamChoice, pack = true): StreamPlan {
  return planStream(graph, choice.split, { later: choice.later, strips: choice.strips, pack });
}

/** A choice that streams some ops (the search returns none when no run of ops can stream). */
export function streamsAnything(choice: StreamChoice): boolean {
  return choice.split > 0 || choice.later.length > 0;
}

/** The plan of the stream search's choice for `--schedule stream`; a PlanError when nothing can stream. */
export function chosenStreamPlan(graph: Graph, choice: StreamChoice): StreamPlan {
  if (!streamsAnything(choice)) {
    throw new PlanError(`${graph.source}: no stream plan exists (no run of its operators can stream row by row: they need a 1×H×W×C chain of ${PATCHABLE_OPS.join(', ')}); use --schedule layer`);
  }
  return planStreamChoice(graph, choice);
}

/**
 * The stream plan with the lowest peak within the MAC budget (ties: fewer MACs, then fewer strips): the best
 * prefix segments (every legal split, and none, ranked by their own peak), then, while the peak step lies in ops
 * run layer by layer, the short segment around it that lowers the peak most; while the peak lies in the prefix
 * segment, more strips (1..MAX_STREAM_STRIPS, as the budget allows) narrow its rings.
 */
export function searchStream(graph: Graph, maxMacOverhead = DEFAULT_STREAM_MAX_MAC_OVERHEAD, prefixesTried = 4): StreamChoice {
  const flow = dataFlow(graph);
  const planOf = (split: number, strips: number, later: [number, number][]) => planStream(graph, split, { pack: false, later, strips });
  // Plans the runtime could not run (too many rings) are not candidates.
  const tryPlan = (split: number, strips: number, later: [number, number][]): StreamPlan | undefined => {
    try {
      return planOf(split, strips, later);
    } catch (err) {
      if (err instanceof PlanError) return undefined;
      throw err;
    }
  };
  // Later segments can lower the rest but not the prefix segment: rank prefixes by their own peak.
  const prefixes = [0, ...legalSplits(graph)].flatMap((split) => {
    const plan = tryPlan(split, 1, []);
    return plan ? [{ split, own: split === 0 ? 0 : Math.max(...plan.liveBytes.slice(0, split)), peak: plan.peakBytes }] : [];
  }).sort((x, y) => x.own - y.own || x.peak - y.peak);
  const lowestPeak = Math.min(...prefixes.map((q) => q.peak));
  const better = (x: StreamChoice, y: StreamChoice | undefined) => !y || x.peakBytes < y.peakBytes ||
    (x.peakBytes === y.peakBytes && (x.macOverhead < y.macOverhead || (x.macOverhead === y.macOverhead && x.strips < y.strips)));
  let best: StreamChoice | undefined;
  const tried = new Set<number>();
  for (const prefix of prefixes.slice(0, prefixesTried).concat(prefixes.filter((p) => p.peak === lowestPeak))) {
    if (tried.has(prefix.split)) continue;
    tried.add(prefix.split);
    let choice = addLaterSegments(graph, flow, { split: prefix.split, strips: 1, later: [], peakBytes: prefix.peak, macOverhead: 0 }, planOf);
    const width = prefix.split > 0 ? graph.tensors[graph.operators[prefix.split - 1].outputs[0]].shape[2] : 1;
    for (let strips = 2; strips <= Math.min(MAX_STREAM_STRIPS, width); strips++) {
      const plan = tryPlan(choice.split, strips, choice.later);
      if (!plan || plan.macOverhead > maxMacOverhead) break;
      const wider = addLaterSegments(graph, flow, { ...choice, strips, peakBytes: plan.peakBytes, macOverhead: plan.macOverhead }, planOf);
      if (wider.peakBytes < choice.peakBytes) choice = wider;
    }
    if (better(choice, best)) best = choice;
  }
  return best!;
}

function addLaterSegments(graph: Graph, flow: DataFlow, start: StreamChoice,
  planOf: (split: number, strips: number, later: [number, number][]) => StreamPlan): StreamChoice {
  let best = start;
  for (;;) {
    const plan = planOf(best.split, best.strips, best.later);
    const step = plan.peakStep;
    const taken = (a: number, b: number) => a < best.split || best.later.some(([x, y]) => a < y && x < b);
    // A segment helps when it lowers the peak, or (several blocks peaking alike) lowers this step's live bytes.
    let improved: StreamChoice | undefined;
    let improvedAtStep = plan.liveBytes[step];
    for (let a = Math.max(best.split, step - MAX_LATER_SEGMENT + 1); a <= step; a++) {
      for (let b = Math.max(a + 2, step + 1); b <= Math.min(graph.operators.length, a + MAX_LATER_SEGMENT); b++) {
        if (taken(a, b) || !segmentIsStreamable(graph, flow, a, b)) continue;
        const later: [number, number][] = [...best.later, [a, b]];
        let trial: StreamPlan;
        try {
          trial = planOf(best.split, best.strips, later);
        } catch (err) {
          if (err instanceof PlanError) continue;
          throw err;
        }
        const bound = improved?.peakBytes ?? best.peakBytes;
        if (trial.peakBytes < bound || (trial.peakBytes === bound && trial.liveBytes[step] < improvedAtStep)) {
          improved = { ...best, later, peakBytes: trial.peakBytes };
          improvedAtStep = trial.liveBytes[step];
        }
      }
    }
    if (!improved) return best;
    best = improved;
  }
}
