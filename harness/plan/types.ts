// The memory plan: what the planners produce and what the packer and the C executor replay byte for byte.
// docs/memory-plan.md is the prose version of this contract; keep the two in step.

/**
 * A rectangle of a feature map in full-tensor coordinates (rows y, columns x), half-open: [y0, y1) × [x0, x1).
 * Channels are always complete, batch is always 1.
 */
export interface Region { y0: number; y1: number; x0: number; x1: number; }

/** Zero-padding rows/columns a kernel sees around the part of its input it reads (non-zero only at image edges). */
export interface EdgePadding { top: number; bottom: number; left: number; right: number; }

/**
 * Why an op may write its output over its input. The executor must use the matching in-place algorithm:
 * - `reshape`: no work at all; the output *is* the input bytes.
 * - `depthwise`: compute one output channel plane into `scratchBytes`, then scatter it into the output's channel
 *   slots (the input's channel c is fully read before c is written).
 * - `pointwise`: 1×1 conv, stride 1, Cout <= Cin: go pixel by pixel in order, computing pixel p's Cout outputs into
 *   a Cout-byte scratch before storing them at p·Cout (never beyond the unread input pixels p+1…).
 * - `elementwise`: ADD/MUL (or LEAKY_RELU), pixel by pixel into the operand with the output's exact shape.
 */
export type AliasKind = 'reshape' | 'depthwise' | 'pointwise' | 'elementwise';

/** `output` of operator `op` lives at the same arena offset as `input` (one of op's inputs). */
export interface AliasLink { op: number; input: number; output: number; kind: AliasKind; }

/**
 * One arena buffer: a tensor (layer-based), or a per-patch buffer of a tensor (patch stage). It occupies
 * [offset, offset + bytes) from the start of step `firstStep` through the end of step `lastStep` (inclusive).
 * Steps are operator indices; in a patch plan steps 0..split-1 are the stage ops of *one* patch, repeated per patch.
 */
export interface BufferPlacement {
  tensor: number;
  offset: number;
  bytes: number;
  firstStep: number;
  lastStep: number;
}

/** Per-operator figures of the layer-based schedule. */
export interface OpReport {
  index: number;
  type: string;
  outputShape: number[];
  /** Multiply-accumulates of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED; 0 for every other op. */
  macs: number;
  /** Bytes of activation buffers live while the op runs (shared in-place buffers counted once). */
  liveBytes: number;
}

export interface LayerPlan {
  ops: OpReport[];
  macs: number;
  peakBytes: number;
  /** First operator whose live set equals `peakBytes`. */
  peakOp: number;
  /** Packed extent: the arena the executor needs (>= peakBytes). */
  arenaBytes: number;
  /** Largest in-place scratch (depthwise: outH·outW, pointwise: Cout bytes); not part of the arena. */
  scratchBytes: number;
  /** Packing strategy that produced the offsets. */
  packing: string;
  /** Every activation tensor (graph inputs/outputs included) and its arena place. */
  buffers: BufferPlacement[];
  aliases: AliasLink[];
}

/** One stage operator for one patch: what to compute and where its operands are. */
export interface PatchStep {
  op: number;
  /** Output rectangle this step computes, full-tensor coordinates of the op's output. */
  outRegion: Region;
  /**
   * Per op input (same order as `Operator.inputs`): the rectangle the input's patch buffer holds for this patch
   * (its row-major [h][w][C] layout), or null for constants. For the stage input this is the image rectangle
   * copied into the input-patch buffer.
   */
  inRegions: (Region | null)[];
  /**
   * Per op input: the sub-rectangle of `inRegions[i]` the kernel actually reads (the receptive field of
   * `outRegion`, clipped to the tensor), or null for constants.
   */
  inViews: (Region | null)[];
  /** Zero rows/columns the kernel must imagine around `inViews[0]`; equals the op's own padding only on image edges. */
  padding: EdgePadding;
}

export interface Patch {
  row: number;
  col: number;
  /** The stage-output tile this patch produces; tiles cover the stage output exactly once. */
  tile: Region;
  /** Stage ops 0..split-1 in execution order. */
  steps: PatchStep[];
}

export interface PatchPlan {
  split: number;
  patches: number;
  /** Graph input streamed patch by patch (not in the arena) and the tensor written tile by tile. */
  stageInput: number;
  stageOutput: number;
  /** Largest input-patch rectangle [h, w] over all patches. */
  inputPatch: [number, number];
  peakBytes: number;
  /** Step (operator index) of the peak; < split means inside the patch stage. */
  peakStep: number;
  arenaBytes: number;
  inputImageBytes: number;
  scratchBytes: number;
  /** Total MACs with patching (stage MACs on actual regions, so halo recomputation is included). */
  macs: number;
  stageMacs: number;
  /** Stage MACs of each patch, in `patchList` order (edge patches differ from interior ones). */
  macsPerPatch: number[];
  /** MACs of the same stage ops run layer by layer. */
  stageLayerMacs: number;
  macOverhead: number;
  /**
   * Arena buffers. For a stage-internal tensor and for the stage input (the "input patch"), `bytes` is the
   * largest region over all patches (h·w·C·elementBytes); the region for the current patch is stored compactly
   * row-major from `offset`. The stage output and all later tensors are full size, NHWC, as in the layer plan.
   * The network input image itself has no placement.
   */
  buffers: BufferPlacement[];
  aliases: AliasLink[];
  /** Patches in execution order (row-major over the p×p grid). */
  patchList: Patch[];
  /** Live bytes per step (0..split-1 for one patch plus the stage output, then per later op). */
  liveBytes: number[];
  packing: string;
}

/** Which executor a plan is for: whole tensors op by op, MCUNetV2 patches, or row-band streaming. */
export type ScheduleKind = 'layer' | 'patch' | 'stream';

/** A candidate plan; a stream plan's `strips` is its prefix segment's (patches 0). */
export interface ParetoPoint { schedule: ScheduleKind; split: number; patches: number; strips?: number; peakBytes: number; macOverhead: number; }

export interface SearchResult {
  /** Every legal (split, p) evaluated, plus the layer-based baseline as split 0, p 1. */
  candidates: ParetoPoint[];
  /** Non-dominated candidates in (peakBytes, macOverhead), sorted by peakBytes. */
  pareto: ParetoPoint[];
  /** Lowest peak with macOverhead <= the limit; split 0 means layer-based is best. */
  chosen: ParetoPoint;
  maxMacOverhead: number;
}
