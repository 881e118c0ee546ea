// MCUNet-style network (TinyNAS MBConv chain). The defaults reproduce the structure of mcunet-in3
// (320 kB / 1 MB ImageNet model, shared/models/mcunet-in3_320kb-1mb_imagenet.tflite), read from that file:
// 3×3 s2 stem, a 3×3 depthwise first block, 17 MBConv blocks with per-block kernel and expansion,
// PyTorch-style symmetric padding, global average pool, 1×1 conv classifier and RESHAPE.
import { Graph } from '../../model/graph';
import { GraphBuilder } from './graph-builder';
import { makeDivisible } from './mobilenetv2';

/** Per MBConv block: kernel, expansion, output channels, stride (mcunet-in3). */
export const MCUNET_IN3_BLOCKS: { kernel: number; expansion: number; channels: number; stride: number }[] = [
  { kernel: 7, expansion: 3, channels: 16, stride: 2 }, { kernel: 3, expansion: 5, channels: 16, stride: 1 },
  { kernel: 7, expansion: 5, channels: 16, stride: 1 }, { kernel: 5, expansion: 4, channels: 16, stride: 1 },
  { kernel: 5, expansion: 5, channels: 24, stride: 2 }, { kernel: 5, expansion: 5, channels: 24, stride: 1 },
  { kernel: 5, expansion: 5, channels: 24, stride: 1 }, { kernel: 3, expansion: 5, channels: 40, stride: 2 },
  { kernel: 7, expansion: 6, channels: 40, stride: 1 }, { kernel: 5, expansion: 4, channels: 40, stride: 1 },
  { kernel: 5, expansion: 5, channels: 48, stride: 1 }, { kernel: 7, expansion: 5, channels: 48, stride: 1 },
  { kernel: 3, expansion: 5, channels: 48, stride: 1 }, { kernel: 3, expansion: 6, channels: 96, stride: 2 },
  { kernel: 7, expansion: 5, channels: 96, stride: 1 }, { kernel: 3, expansion: 4, channels: 96, stride: 1 },
  { kernel: 7, expansion: 5, channels: 160, stride: 1 },
];

export interface McuNetOptions {
  resolution: number;
  width: number;
  classes: number;
  /** One kernel size / expansion per MBConv block (defaults: mcunet-in3). */
  kernels: number[];
  expansions: number[];
}

export function mcuNet(options: McuNetOptions, source: string): Graph {
  const { resolution, width, classes, kernels, expansions } = options;
  const ch = (c: number) => makeDivisible(c * width);
  const b = new GraphBuilder(source);
  let x = b.input(resolution, resolution, 3);
  x = b.conv(x, ch(16), { kernel: 3, stride: 2, pad: 'symmetric' });
  x = b.depthwise(x, { kernel: 3, stride: 1, pad: 'symmetric' });
  x = b.conv(x, ch(8), { kernel: 1, stride: 1, pad: 'symmetric' }, 'NONE');
  MCUNET_IN3_BLOCKS.forEach((blk, i) => {
    const cin = b.shape(x)[3];
    const cout = ch(blk.channels);
    let y = b.conv(x, cin * expansions[i], { kernel: 1, stride: 1, pad: 'symmetric' });
    y = b.depthwise(y, { kernel: kernels[i], stride: blk.stride, pad: 'symmetric' });
    y = b.conv(y, cout, { kernel: 1, stride: 1, pad: 'symmetric' }, 'NONE');
    x = blk.stride === 1 && cin === cout ? b.add(x, y) : y;
  });
  x = b.averagePool(x, { kernel: b.shape(x)[1], stride: 1, pad: 'valid' });
  x = b.conv(x, classes, { kernel: 1, stride: 1, pad: 'symmetric' }, 'NONE');
  return b.build(b.reshape(x, [1, classes]));
}
