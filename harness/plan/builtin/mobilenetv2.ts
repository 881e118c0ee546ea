// Standard MobileNetV2 (Sandler et al. 2018) at any width/resolution, as an int8 TFLite-style graph.
import { Graph } from '../../model/graph';
import { GraphBuilder } from './graph-builder';

/** Channel rounding used by every MobileNetV2 implementation: nearest multiple of 8, never below 90 %. */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** (expansion t, output channels c, repeats n, first stride s) per stage, from the paper's Table 2. */
export const MOBILENETV2_STAGES: [number, number, number, number][] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

export interface MobileNetV2Options { width: number; resolution: number; classes: number }

/** Inverted residual: [1×1 expand] → 3×3 depthwise → 1×1 linear project [→ ADD with the block input]. */
function invertedResidual(b: GraphBuilder, x: number, expansion: number, cout: number, stride: number): number {
  const cin = b.shape(x)[3];
  let y = x;
  if (expansion !== 1) y = b.conv(y, cin * expansion, { kernel: 1, stride: 1, pad: 'same' });
  y = b.depthwise(y, { kernel: 3, stride, pad: 'same' });
  y = b.conv(y, cout, { kernel: 1, stride: 1, pad: 'same' }, 'NONE');
  return stride === 1 && cin === cout ? b.add(x, y) : y;
}

export function mobileNetV2(options: MobileNetV2Options, source: string): Graph {
  const { width, resolution, classes } = options;
  const b = new GraphBuilder(source);
  let x = b.input(resolution, resolution, 3);
  x = b.conv(x, makeDivisible(32 * width), { kernel: 3, stride: 2, pad: 'same' });
  for (const [t, c, n, s] of MOBILENETV2_STAGES) {
    for (let i = 0; i < n; i++) x = invertedResidual(b, x, t, makeDivisible(c * width), i === 0 ? s : 1);
  }
  x = b.conv(x, width > 1 ? makeDivisible(1280 * width) : 1280, { kernel: 1, stride: 1, pad: 'same' });
  x = b.averagePool(x, { kernel: b.shape(x)[1], stride: 1, pad: 'valid' });
  x = b.reshape(x, [1, b.shape(x)[3]]);
  return b.build(b.fullyConnected(x, classes));
}
