// Preprocessing presets describe, per model family, how an image becomes the model's input tensor.
import type { DType } from '../../model/graph';
import type { ColorMode } from '../image';

/**
 * The model input the tensor is made for: the IR's IoDescriptor gives shape and `external` dtype/scale/zero point
 * (see `inputSpecFromIo`). scale/zeroPoint are needed only when a float normalisation must be quantized.
 */
export interface InputSpec { dtype: DType; shape: number[]; scale?: number; zeroPoint?: number; }

export type ResizePolicy =
  /** Resize the whole image to the input's H×W, ignoring aspect ratio. */
  | { kind: 'stretch'; interpolation: 'bilinear' | 'nearest' }
  /** torchvision Resize(trunc(crop / cropFraction)) on the short side, then CenterCrop to the input's H×W. */
  | { kind: 'shortSideCenterCrop'; cropFraction: number };

export type PixelEncoding =
  /** int8 value = pixel − 128, fed directly (no quantization step); needs an int8 input. */
  | { kind: 'int8Offset' }
  /** uint8 value = pixel, fed directly; needs a uint8 input. */
  | { kind: 'uint8Raw' }
  /**
   * float = (pixel / 255 − mean[c]) / std[c], each step rounded to float32 as numpy/PyTorch do; written as float32
   * or quantized with the input's scale/zero point (round half away from zero, like TFLite's QUANTIZE).
   */
  | { kind: 'float'; mean: [number, number, number]; std: [number, number, number] };

export interface Preset {
  id: string;
  description: string;
  color: ColorMode;
  /** Channel order of a colour input tensor (default rgb; bgr for Caffe-style models). */
  channelOrder?: 'rgb' | 'bgr';
  layout: 'NHWC' | 'NCHW';
  resize: ResizePolicy;
  pixels: PixelEncoding;
  /** Where the recipe comes from (data-inventory.md entry / upstream script) and how it was verified here. */
  source: string;
  /** Index the model's class 0 has in its output (1 for the 1001-class TF-slim models with background). */
  labelOffset: number;
}
