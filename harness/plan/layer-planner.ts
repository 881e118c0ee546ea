// Layer-based plan: every activation gets a lifetime over the execution order, in-place ops share buffers,
// and the arena is packed to concrete offsets.
import { Graph } from '../model/graph';
import { AliasSets, ArenaItem } from './arena';
import { packWithAliases } from './arena-packer';
import { validateArena } from './arena-validator';
import { inPlaceCandidates, inPlaceScratch } from './in-place';
import { activationBytes, DataFlow, dataFlow, elementAlign, opMacs } from './op-analysis';
import { PlanError } from './plan-error';
import { AliasLink, LayerPlan } from './types';

/** Last step a tensor must survive: its last reader, or the end for graph outputs. */
export function lastUse(graph: Graph, flow: DataFlow, tensor: number, fallback: number): number {
  if (flow.graphOutputs.has(tensor)) return graph.operators.length - 1;
  const readers = flow.consumers[tensor];
  return readers.length ? readers[readers.length - 1] : fallback;
}

/** Items for the activations produced at ops >= fromOp (and the graph inputs when fromOp is 0). */
export function layerItems(graph: Graph, flow: DataFlow, fromOp: number): ArenaItem[] {
  const items: ArenaItem[] = [];
  if (fromOp === 0) {
    for (const t of graph.inputs) items.push({ tensor: t, bytes: activationBytes(graph, t), align: elementAlign(graph, t), firstStep: 0, lastStep: lastUse(graph, flow, t, 0) });
  }
  for (const op of graph.operators.slice(fromOp)) {
    for (const t of op.outputs) {
      if (t < 0 || flow.graphInputs.has(t)) continue;
      items.push({ tensor: t, bytes: activationBytes(graph, t), align: elementAlign(graph, t), firstStep: op.index, lastStep: lastUse(graph, flow, t, op.index) });
    }
  }
  return items;
}

/**
 * Walks ops >= fromOp and links each output to an input it may overwrite: structurally allowed (in-place.ts),
 * and the input's whole alias class is read for the last time by this op and is not a graph output.
 */
export function layerAliases(graph: Graph, flow: DataFlow, items: ArenaItem[], fromOp: number, links: AliasLink[] = []): AliasLink[] {
  const inArena = new Set(items.map((it) => it.tensor));
  const sets = new AliasSets(items, (t) => flow.graphOutputs.has(t));
  for (const l of links) sets.join(l.input, l.output);
  for (const op of graph.operators.slice(fromOp)) {
    const out = op.outputs[0];
    if (!inArena.has(out)) continue;
    const cand = inPlaceCandidates(graph, op, flow)
      .find((c) => inArena.has(c.input) && (c.kind === 'reshape' || sets.diesAt(c.input, op.index)));
    if (!cand) continue;
    links.push({ op: op.index, input: cand.input, output: out, kind: cand.kind });
    sets.join(cand.input, out);
  }
  return links;
}

export function scratchFor(graph: Graph, links: AliasLink[]): number {
  let scratch = 0;
  for (const l of links) {
    const out = graph.tensors[l.output].shape;
    const pixels = out.slice(0, -1).reduce((a, b) => a * b, 1);
    scratch = Math.max(scratch, inPlaceScratch(l.kind, pixels, out[out.length - 1]));
  }
  return scratch;
}

export function planLayers(graph: Graph): LayerPlan {
  if (graph.operators.length === 0) throw new PlanError(`${graph.source}: the graph has no operators to plan`);
  const flow = dataFlow(graph);
  const items = layerItems(graph, flow, 0);
  const packing = packWithAliases(items, layerAliases(graph, flow, items, 0), graph.operators.length);
  const { links, liveBytes: live } = packing;
  const peakBytes = Math.max(...live);
  const problems = validateArena(packing.placements, links, packing.arenaBytes);
  if (problems.length) throw new Error(`internal planner error for ${graph.source}: ${problems[0]}`);
  const ops = graph.operators.map((op) => ({
    index: op.index,
    type: op.type,
    outputShape: [...graph.tensors[op.outputs[0]].shape],
    macs: opMacs(graph, op),
    liveBytes: live[op.index],
  }));
  return {
    ops,
    macs: ops.reduce((s, o) => s + o.macs, 0),
    peakBytes,
    peakOp: live.indexOf(peakBytes),
    arenaBytes: packing.arenaBytes,
    scratchBytes: scratchFor(graph, links),
    packing: packing.strategy,
    buffers: packing.placements,
    aliases: links,
  };
}
