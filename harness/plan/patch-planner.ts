// MCUNetV2 patch-based plan: ops [0, split) run patch by patch on a p×p grid over the stage output,
// the rest layer by layer. Buffers, in-place links, live sets, packing and MACs for the whole schedule.
import { DTYPE_BYTES, Graph } from '../model/graph';
import { AliasSets, ArenaItem, liveProfile } from './arena';
import { packWithAliases } from './arena-packer';
import { validateArena } from './arena-validator';
import { inPlaceCandidates, inPlaceScratch } from './in-place';
import { lastUse, layerAliases, layerItems, scratchFor } from './layer-planner';
import { activationBytes, dataFlow, DataFlow, elementAlign, macsPerOutputPixel, opMacs } from './op-analysis';
import { analyseStage, StageInfo } from './patch-stage';
import { patchSchedule } from './patch-regions';
import { PlanError } from './plan-error';
import { regionArea, regionsEqual } from './regions';
import { AliasLink, Patch, PatchPlan, Region } from './types';

export interface PatchPlanOptions {
  /** Skip arena packing (the search only needs live sets); buffers then carry offset -1. */
  pack?: boolean;
}

function regionBytes(graph: Graph, tensor: number, r: Region): number {
  const t = graph.tensors[tensor];
  return regionArea(r) * t.shape[3] * DTYPE_BYTES[t.dtype];
}

/** Region each stage tensor's buffer holds in a patch (all readers of a tensor agree on it). */
function heldRegions(patch: Patch, graph: Graph): Map<number, Region> {
  const held = new Map<number, Region>();
  for (const s of patch.steps) {
    graph.operators[s.op].inputs.forEach((t, i) => {
      const r = s.inRegions[i];
      if (r && !held.has(t)) held.set(t, r);
    });
  }
  return held;
}

/** Arena items of the stage: the input patch, one max-size buffer per internal tensor, the full stage output. */
function stageItems(graph: Graph, flow: DataFlow, stage: StageInfo, patches: Patch[]): ArenaItem[] {
  const lastInStage = (t: number) => flow.consumers[t].filter((c) => c < stage.split).pop()!;
  const held = patches.map((pt) => heldRegions(pt, graph));
  const maxBytes = (t: number) => Math.max(...held.map((h) => regionBytes(graph, t, h.get(t)!)));
  const align = (t: number) => elementAlign(graph, t);
  const items: ArenaItem[] = [{ tensor: stage.input, bytes: maxBytes(stage.input), align: align(stage.input), firstStep: 0, lastStep: lastInStage(stage.input) }];
  for (const t of stage.internal) {
    items.push({ tensor: t, bytes: maxBytes(t), align: align(t), firstStep: flow.producer[t], lastStep: lastInStage(t) });
  }
  items.push({ tensor: stage.output, bytes: activationBytes(graph, stage.output), align: align(stage.output), firstStep: 0, lastStep: lastUse(graph, flow, stage.output, stage.split - 1) });
  return items;
}

/** In-place inside the stage: the layer rules, plus the region conditions holding in every patch. */
function stageAliases(graph: Graph, flow: DataFlow, stage: StageInfo, patches: Patch[], items: ArenaItem[]): AliasLink[] {
  const links: AliasLink[] = [];
  const sets = new AliasSets(items, () => false);
  for (const op of graph.operators.slice(0, stage.split)) {
    if (op.outputs[0] === stage.output) continue;
    const cand = inPlaceCandidates(graph, op, flow).find((c) => {
      if (!sets.diesAt(c.input, op.index)) return false;
      const inputIndex = op.inputs.indexOf(c.input);
      return patches.every((pt) => {
        const step = pt.steps[op.index];
        const held = step.inRegions[inputIndex]!;
        if (c.kind === 'depthwise') return regionArea(step.outRegion) <= regionArea(held);
        return regionsEqual(step.outRegion, held);
      });
    });
    if (!cand) continue;
    links.push({ op: op.index, input: cand.input, output: op.outputs[0], kind: cand.kind });
    sets.join(cand.input, op.outputs[0]);
  }
  return links;
}

function stageScratch(graph: Graph, stageLinks: AliasLink[], patches: Patch[]): number {
  let scratch = 0;
  for (const l of stageLinks) {
    const cout = graph.tensors[l.output].shape[3];
    for (const pt of patches) scratch = Math.max(scratch, inPlaceScratch(l.kind, regionArea(pt.steps[l.op].outRegion), cout));
  }
  return scratch;
}

export function planPatches(graph: Graph, split: number, p: number, options: PatchPlanOptions = {}): PatchPlan {
  const flow = dataFlow(graph);
  const stage = analyseStage(graph, flow, split);
  const [, height, width] = graph.tensors[stage.output].shape;
  if (!Number.isInteger(p) || p < 1 || p > Math.min(height, width)) {
    throw new PlanError(`${graph.source}: ${p}×${p} patches do not fit the ${height}×${width} stage output of split ${split}; use 1..${Math.min(height, width)}`);
  }
  const patches = patchSchedule(graph, flow, stage, p);
  const items = stageItems(graph, flow, stage, patches);
  for (const t of graph.inputs) {
    if (t !== stage.input) items.push({ tensor: t, bytes: activationBytes(graph, t), firstStep: 0, lastStep: lastUse(graph, flow, t, 0) });
  }
  items.push(...layerItems(graph, flow, split));
  const stageLinks = stageAliases(graph, flow, stage, patches, items);
  let links = layerAliases(graph, flow, items, split, [...stageLinks]);
  let liveBytes = liveProfile(items, links, graph.operators.length);
  const peakBytes = Math.max(...liveBytes);

  let buffers = items.map((it) => ({ ...it, offset: -1 }));
  let arenaBytes = -1;
  let packing = 'none';
  if (options.pack !== false) {
    const packed = packWithAliases(items, links, graph.operators.length);
    const problems = validateArena(packed.placements, packed.links, packed.arenaBytes);
    if (problems.length) throw new Error(`internal planner error for ${graph.source}: ${problems[0]}`);
    ({ placements: buffers, arenaBytes, strategy: packing, links, liveBytes } = packed);
  }
  const inStage = (l: AliasLink) => l.op < split;

  const macsPerPatch = patches.map((pt) => pt.steps.reduce(
    (s, st) => s + regionArea(st.outRegion) * macsPerOutputPixel(graph, graph.operators[st.op]), 0));
  const stageMacs = macsPerPatch.reduce((a, b) => a + b, 0);
  const stageLayerMacs = graph.operators.slice(0, split).reduce((s, op) => s + opMacs(graph, op), 0);
  const restMacs = graph.operators.slice(split).reduce((s, op) => s + opMacs(graph, op), 0);
  const layerMacs = stageLayerMacs + restMacs;
  const inputRegions = patches.map((pt) => heldRegions(pt, graph).get(stage.input)!);
  return {
    split,
    patches: p,
    stageInput: stage.input,
    stageOutput: stage.output,
    inputPatch: [Math.max(...inputRegions.map((r) => r.y1 - r.y0)), Math.max(...inputRegions.map((r) => r.x1 - r.x0))],
    peakBytes,
    peakStep: liveBytes.indexOf(peakBytes),
    arenaBytes,
    inputImageBytes: activationBytes(graph, stage.input),
    scratchBytes: Math.max(stageScratch(graph, links.filter(inStage), patches), scratchFor(graph, links.filter((l) => !inStage(l)))),
    macs: stageMacs + restMacs,
    stageMacs,
    macsPerPatch,
    stageLayerMacs,
    macOverhead: layerMacs === 0 ? 0 : (stageMacs + restMacs) / layerMacs - 1,
    buffers,
    aliases: links,
    patchList: patches,
    liveBytes,
    packing,
  };
}
