// YOLO head configurations of the shared detectors. Anchors are (w, h) in input pixels.
// Sources (shared/research): data-inventory.md §1 "Decoding constants" (Yolo-Fastest 1.1 COCO and person anchors,
// masks 0,1,2 → 20×20 head and 3,4,5 → 10×10 head, as in the darknet cfg), mcunetv2-paper.md §4 (TinyEngine
// `assets/detection_config.json`: 1 class, strides 32/16/8 with the anchors below).

export interface YoloHeadConfig { gridH: number; gridW: number; anchors: [number, number][]; }
export interface YoloModelConfig {
  name: string;
  inputWidth: number;
  inputHeight: number;
  numClasses: number;
  heads: YoloHeadConfig[];
  /** Darknet `scale_x_y` (1 = classic YOLOv3 box centre). */
  scaleXY: number;
  /** Class scores: independent sigmoids (YOLOv3) or a softmax over the classes (YOLOv2 region layer). Default sigmoid. */
  classActivation?: 'sigmoid' | 'softmax';
}

const pairs = (flat: number[]): [number, number][] => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);

export const YOLO_FASTEST_COCO: YoloModelConfig = {
  name: 'yolo-fastest-1.1-int8', inputWidth: 320, inputHeight: 320, numClasses: 80, scaleXY: 1,
  heads: [
    { gridH: 20, gridW: 20, anchors: pairs([12, 18, 37, 49, 52, 132]) },
    { gridH: 10, gridW: 10, anchors: pairs([115, 73, 119, 199, 242, 238]) },
  ],
};

export const YOLO_FASTEST_PERSON: YoloModelConfig = {
  name: 'yolo-fastest-1.1-person-int8', inputWidth: 320, inputHeight: 320, numClasses: 1, scaleXY: 1,
  heads: [
    { gridH: 20, gridW: 20, anchors: pairs([8, 18, 23, 55, 48, 126]) },
    { gridH: 10, gridW: 10, anchors: pairs([179, 94, 94, 214, 216, 261]) },
  ],
};

/** MCUNet/TinyEngine person detector, input W160 × H128; NMS 0.45 and score 0.3 in mcunet eval_det.py. */
export const MCUNET_PERSON_DET: YoloModelConfig = {
  name: 'tinyengine_person_detection', inputWidth: 160, inputHeight: 128, numClasses: 1, scaleXY: 1,
  heads: [
    { gridH: 4, gridW: 5, anchors: pairs([116, 90, 156, 198, 373, 326]) },
    { gridH: 8, gridW: 10, anchors: pairs([30, 61, 62, 45, 59, 119]) },
    { gridH: 16, gridW: 20, anchors: pairs([10, 13, 16, 30, 33, 23]) },
  ],
};

export const MCUNET_PERSON_DET_THRESHOLDS = { score: 0.3, nmsIou: 0.45 };

/**
 * ST YOLO LC v1 (tiny-YOLOv2 style, 192×192, person), decoded as the ST model zoo's `tiny_yolo_v2_decode`
 * (object_detection/src/postprocessing/tiny_yolo_v2_postprocess.py): per cell and anchor [tx, ty, tw, th, conf, cls],
 * centre (σ(t) + cell) / grid, size exp(t) · anchor, score σ(conf) · softmax(cls) (1 for one class). Anchors from
 * data-inventory.md §1 (normalised to the input, here in input pixels: × 192).
 */
export const ST_YOLO_LC_PERSON: YoloModelConfig = {
  name: 'st_yolo_lc_v1_192_person_int8', inputWidth: 192, inputHeight: 192, numClasses: 1, scaleXY: 1, classActivation: 'softmax',
  heads: [{ gridH: 12, gridW: 12, anchors: pairs([0.0252, 0.06, 0.0772, 0.1829, 0.1696, 0.4167, 0.3339, 0.6559, 0.7226, 0.7348].map((v) => v * 192)) }],
};
