// Preset per model family, and which shared model uses which. Sources: shared/research/data-inventory.md
// (§1 input table, §3 accuracy pairings); "golden" marks presets whose output was checked byte-for-byte against
// shared/golden/<model>/*.bin inputs made from the named dataset images (tests/harness/data/golden-inputs.test.ts).
import { Preset } from './types';

const INT8: Preset['pixels'] = { kind: 'int8Offset' };
const UINT8: Preset['pixels'] = { kind: 'uint8Raw' };
const STRETCH: Preset['resize'] = { kind: 'stretch', interpolation: 'bilinear' };
const IMAGENET_CROP: Preset['resize'] = { kind: 'shortSideCenterCrop', cropFraction: 224 / 256 };

export const PRESETS: Record<string, Preset> = {
  'mcunet-imagenet': {
    id: 'mcunet-imagenet', description: 'short side → trunc(size·256/224), centre crop, RGB, int8 = pixel − 128',
    color: 'rgb', layout: 'NHWC', resize: IMAGENET_CROP, pixels: INT8, labelOffset: 0,
    source: 'data-inventory.md §3 "mcunet-in3" (mcunet eval_tflite.py: Resize(201), CenterCrop(176)); golden: mcunet-in3 in_* (8/8 bit-exact)',
  },
  'tf-imagenet-uint8': {
    id: 'tf-imagenet-uint8', description: 'short side → trunc(size·256/224), centre crop, RGB, raw uint8; output index 0 = background',
    color: 'rgb', layout: 'NHWC', resize: IMAGENET_CROP, pixels: UINT8, labelOffset: 1,
    source: 'data-inventory.md §3 "mobilenet_v1_0.25_128_quant" / "tf2_mobilenet_v2_1.0_224_ptq" (argmax − 1); golden: tf2_mobilenet_v2 in_* (2/2 bit-exact)',
  },
  'torchvision-imagenet-nchw': {
    id: 'torchvision-imagenet-nchw', description: 'short side 256, crop 224, (pixel/255 − mean)/std torchvision, NCHW, quantized',
    color: 'rgb', layout: 'NCHW', resize: IMAGENET_CROP, labelOffset: 0,
    pixels: { kind: 'float', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    source: 'data-inventory.md §1 and §3 "mobilenet_v2_quantized_1x3x224x224"; no image golden (only random1), not verified bit-exact',
  },
  'tflm-person-detect': {
    id: 'tflm-person-detect', description: 'Pillow grey (L) then stretch to 96×96, int8 = grey − 128',
    color: 'gray', layout: 'NHWC', resize: STRETCH, pixels: INT8, labelOffset: 0,
    source: 'data-inventory.md §1 "person_detect.tflite" (feed gray−128); golden: person_detect voc_* (4/4) and person/no_person BMPs with int8Pixels (2/2) bit-exact',
  },
  'mlperf-vww': {
    id: 'mlperf-vww', description: 'stretch to 96×96, RGB, int8 = pixel − 128',
    color: 'rgb', layout: 'NHWC', resize: STRETCH, pixels: INT8, labelOffset: 0,
    source: 'data-inventory.md §3 "mlperf VWW 96"; golden: mlperf_tiny_vww_96_int8 voc_* (4/4 bit-exact)',
  },
  'mlperf-ic-cifar': {
    id: 'mlperf-ic-cifar', description: 'CIFAR 32×32 as is (stretch is the identity), RGB, int8 = pixel − 128',
    color: 'rgb', layout: 'NHWC', resize: STRETCH, pixels: INT8, labelOffset: 0,
    source: 'data-inventory.md §3 "mlperf ResNet-8" (int8 = rgb−128, no resize); golden: mlperf_tiny_ic cifar_* (6/6 bit-exact)',
  },
  'yolo-fastest': {
    id: 'yolo-fastest', description: 'stretch to 320×320, RGB, int8 = pixel − 128',
    color: 'rgb', layout: 'NHWC', resize: STRETCH, pixels: INT8, labelOffset: 0,
    source: 'data-inventory.md §1/§3 "yolo-fastest-1.1" (plain resize, rgb−128); golden: yolo-fastest-1.1-int8 voc_* (2/2 bit-exact)',
  },
  'tinyengine-float': {
    id: 'tinyengine-float', description: 'stretch to input H×W, RGB, float32 = pixel/255·2 − 1',
    color: 'rgb', layout: 'NHWC', resize: STRETCH, labelOffset: 0,
    pixels: { kind: 'float', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    source: 'data-inventory.md §1/§3 "tinyengine_vww", "tinyengine_person_detection" (rgb/255·2−1, W160×H128); golden: tinyengine_vww (4/4) and tinyengine_person_detection (2/2) bit-exact float32',
  },
  'st-uint8-nearest': {
    id: 'st-uint8-nearest', description: 'stretch with nearest neighbour to 192×192, RGB, raw uint8',
    color: 'rgb', layout: 'NHWC', resize: { kind: 'stretch', interpolation: 'nearest' }, pixels: UINT8, labelOffset: 0,
    source: 'data-inventory.md §1 "st_yolo_lc_v1" (raw RGB; ST config: nearest interpolation) and "st_ssd_mobilenet_v1" (ST config scale 127.5 offset −1 = uint8 input); ST uses "fit" aspect ratio = stretch; no image golden, not verified',
  },
};

/** Shared model file stem → preset id. KWS and AD models take raw tensors (tensor-folder datasets), no preset. */
export const MODEL_PRESETS: Record<string, string> = {
  'mcunet-in3_320kb-1mb_imagenet': 'mcunet-imagenet',
  'mobilenet_v1_0.25_128_quant': 'tf-imagenet-uint8',
  'tf2_mobilenet_v2_1.0_224_ptq': 'tf-imagenet-uint8',
  mobilenet_v2_quantized_1x3x224x224: 'torchvision-imagenet-nchw',
  person_detect: 'tflm-person-detect',
  mlperf_tiny_vww_96_int8: 'mlperf-vww',
  mlperf_tiny_ic_pretrainedResnet_quant: 'mlperf-ic-cifar',
  'yolo-fastest-1.1-int8': 'yolo-fastest',
  'yolo-fastest-1.1-person-int8': 'yolo-fastest',
  tinyengine_vww: 'tinyengine-float',
  tinyengine_person_detection: 'tinyengine-float',
  tinyengine_mcunetv2_large: 'tinyengine-float',
  st_yolo_lc_v1_192_person_int8: 'st-uint8-nearest',
  st_ssd_mobilenet_v1_025_192_person_int8: 'st-uint8-nearest',
};

/** The preset for a model file or stem; MCUNet ImageNet models other than in3 (`mcunet-in*`) share its recipe. */
export function presetForModel(model: string): Preset {
  const stem = model.replace(/^.*[\\/]/, '').replace(/\.tflite$/, '');
  const id = MODEL_PRESETS[stem] ?? (/^mcunet-in\d/.test(stem) ? 'mcunet-imagenet' : undefined);
  if (!id) {
    throw new Error(`no preprocessing preset for model '${stem}'; known models: ${Object.keys(MODEL_PRESETS).join(', ')}; ` +
      `or choose one of the presets ${Object.keys(PRESETS).join(', ')} explicitly`);
  }
  return PRESETS[id];
}
