// Renders a plan report as the CLI's table or as its JSON object (the schema docs/memory-plan.md lists).
import { PlanReport } from './index';
import type { StreamPlan } from './stream-planner';
import { PatchPlan } from './types';

const int = (n: number) => n.toLocaleString('en-US');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`; // KiB (1024 B) as in every report
const macsText = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;

function patchSummary(p: PatchPlan): string[] {
  const where = p.peakStep < p.split ? 'inside the patch stage' : 'in the layer-based rest';
  return [
    `patch-based: first ${p.split} ops on ${p.patches}x${p.patches} patches, input patch ${p.inputPatch[0]}x${p.inputPatch[1]}`,
    `  peak ${int(p.peakBytes)} B (${kb(p.peakBytes)}) at op ${p.peakStep} (${where}), arena ${int(p.arenaBytes)} B (${p.packing})`,
    `  input image ${int(p.inputImageBytes)} B streamed per patch (not in the arena), in-place scratch ${int(p.scratchBytes)} B`,
    `  MACs ${macsText(p.macs)} (${pct(p.macOverhead)} overall; stage ${macsText(p.stageMacs)} vs ${macsText(p.stageLayerMacs)} layer by layer)`,
  ];
}

function streamSummary(s: StreamPlan): string[] {
  const first = s.segments[0];
  const prefix = s.split > 0 ? `ops 0..${s.split - 1} from the input row by row` : 'no segment from the input';
  const later = s.segments.filter((g) => g.first >= s.split && g !== (s.split > 0 ? first : undefined));
  const strips = s.strips > 1 ? `, in ${s.strips} column strips (their halo columns computed twice)` : '';
  return [
    `stream-based: ${prefix}${strips}${later.length ? `; later blocks ${later.map((g) => `${g.first}..${g.end - 1}`).join(', ')}` : ''} (rings${s.macOverhead > 0 ? '' : ', no recomputation'})`,
    `  peak ${int(s.peakBytes)} B (${kb(s.peakBytes)}) at op ${s.peakStep}, arena ${int(s.arenaBytes)} B (${s.packing})`,
    `  rings ${int(s.ringBytes)} B stand for ${int(s.ringedTensorBytes)} B of whole tensors; MACs ${macsText(s.macs)} (${pct(s.macOverhead)})`,
  ];
}

/** JSON of a stream plan without its per-row steps (thousands of them; the image carries them). */
export function streamJson(s: StreamPlan): object {
  return {
    split: s.split, strips: s.strips, peakBytes: s.peakBytes, peakStep: s.peakStep, arenaBytes: s.arenaBytes, scratchBytes: s.scratchBytes,
    macs: s.macs, macOverhead: s.macOverhead, ringBytes: s.ringBytes, ringedTensorBytes: s.ringedTensorBytes, packing: s.packing,
    segments: s.segments.map((g) => ({ first: g.first, end: g.end, output: g.output, strips: g.strips, steps: g.steps.length, rings: g.rings })),
    liveBytes: s.liveBytes, buffers: s.buffers, aliases: s.aliases,
  };
}

export function planText(r: PlanReport): string {
  const { layer } = r;
  const lines = [`${r.source}: ${layer.ops.length} operators, ${macsText(layer.macs)} MACs (conv, depthwise, FC)`, ''];
  lines.push(`${'op'.padStart(4)}  ${'type'.padEnd(24)} ${'output'.padEnd(18)} ${'MACs'.padStart(12)} ${'live bytes'.padStart(12)}`);
  for (const o of layer.ops) {
    const mark = o.index === layer.peakOp ? ' *' : '';
    lines.push(`${String(o.index).padStart(4)}  ${o.type.padEnd(24)} ${o.outputShape.join('x').padEnd(18)} ${int(o.macs).padStart(12)} ${int(o.liveBytes).padStart(12)}${mark}`);
  }
  lines.push('');
  lines.push(`layer-based: peak ${int(layer.peakBytes)} B (${kb(layer.peakBytes)}) at op ${layer.peakOp} (*), arena ${int(layer.arenaBytes)} B (${layer.packing}), in-place scratch ${int(layer.scratchBytes)} B`);
  if (r.search) {
    lines.push('', `search: ${r.search.candidates.length} candidates; Pareto front (peak, MAC overhead):`);
    for (const p of r.search.pareto) {
      const c = r.search.chosen;
      const chosen = p === c || (p.schedule === c.schedule && p.split === c.split && p.patches === c.patches && p.strips === c.strips) ? '  <- chosen' : '';
      const label = p.schedule === 'stream' ? `stream${p.split > 0 ? ` (input..op ${p.split - 1}${(p.strips ?? 1) > 1 ? `, ${p.strips} strips` : ''})` : ''}`
        : p.split === 0 ? 'layer-based' : `split ${p.split}, ${p.patches}x${p.patches}`;
      lines.push(`  ${label.padEnd(22)} ${int(p.peakBytes).padStart(12)} B ${pct(p.macOverhead).padStart(9)}${chosen}`);
    }
    if (r.search.chosen.schedule === 'layer') lines.push(`  no patch or stream plan within ${pct(r.search.maxMacOverhead)} MACs beats layer-based`);
  }
  if (r.patch) lines.push('', ...patchSummary(r.patch));
  if (r.stream) lines.push('', ...streamSummary(r.stream));
  return lines.join('\n') + '\n';
}

export function planJson(r: PlanReport): object {
  const { layer, patch, search, stream } = r;
  return {
    source: r.source,
    macs: layer.macs,
    ops: layer.ops,
    layerBased: {
      peakBytes: layer.peakBytes, peakOp: layer.peakOp, arenaBytes: layer.arenaBytes, scratchBytes: layer.scratchBytes,
      packing: layer.packing, buffers: layer.buffers, aliases: layer.aliases,
    },
    ...(patch ? { patchBased: patch } : {}),
    ...(stream ? { streamBased: streamJson(stream) } : {}),
    ...(search ? { pareto: search.pareto, search: { maxMacOverhead: search.maxMacOverhead, chosen: search.chosen, candidates: search.candidates } } : {}),
  };
}
