// Per-patch regions: for each tile of the stage output, walk the stage backwards and find the rectangle
// every stage tensor must hold (the bounding box over all its readers) and what each step reads.
import { Graph } from '../model/graph';
import { DataFlow, opWindow } from './op-analysis';
import { StageInfo } from './patch-stage';
import { boundingBox, gridTiles, inputRegionFor } from './regions';
import { EdgePadding, Patch, PatchStep, Region } from './types';

export function patchSchedule(graph: Graph, flow: DataFlow, stage: StageInfo, p: number): Patch[] {
  const [, height, width] = graph.tensors[stage.output].shape;
  const stageOps = graph.operators.slice(0, stage.split);
  return gridTiles(height, width, p).map(({ row, col, tile }) => {
    const need = new Map<number, Region>([[stage.output, tile]]);
    const partial: { op: number; outRegion: Region; inViews: (Region | null)[]; padding: EdgePadding }[] = [];
    for (let j = stage.split - 1; j >= 0; j--) {
      const op = stageOps[j];
      const outRegion = need.get(op.outputs[0])!;
      const win = opWindow(graph, op);
      let padding: EdgePadding = { top: 0, bottom: 0, left: 0, right: 0 };
      const inViews = op.inputs.map((t, i) => {
        if (t < 0 || !flow.isActivation[t]) return null;
        const [, h, w] = graph.tensors[t].shape;
        const r = inputRegionFor(win, outRegion, h, w);
        if (i === 0) padding = r.padding;
        need.set(t, boundingBox(need.get(t), r.view));
        return r.view;
      });
      partial.push({ op: j, outRegion, inViews, padding });
    }
    const steps: PatchStep[] = partial.reverse().map((s) => ({
      op: s.op,
      outRegion: s.outRegion,
      inRegions: stageOps[s.op].inputs.map((t) => (t >= 0 && flow.isActivation[t] ? { ...need.get(t)! } : null)),
      inViews: s.inViews,
      padding: s.padding,
    }));
    return { row, col, tile, steps };
  });
}
