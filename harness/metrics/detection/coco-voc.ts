// COCO-80 (darknet names) → the 20 VOC classes. The darknet coco.names spells six classes the VOC way
// (aeroplane, motorbike, sofa, pottedplant, diningtable, tvmonitor), so the map is by exact name
// (data-inventory.md §1; names as in shared/models/labels/coco80_darknet.names).
import { VOC_CLASSES } from '../../data/voc';

export const COCO80_DARKNET = [
  'person', 'bicycle', 'car', 'motorbike', 'aeroplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'sofa', 'pottedplant', 'bed',
  'diningtable', 'toilet', 'tvmonitor', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
] as const;

/** COCO-80 index → VOC-20 index, or −1 for COCO classes VOC does not have. */
export const COCO_TO_VOC: readonly number[] = COCO80_DARKNET.map((name) => (VOC_CLASSES as readonly string[]).indexOf(name));

/** Keeps detections of VOC classes and renumbers them to VOC indices. */
export function cocoToVocDetections<T extends { classIndex: number }>(dets: readonly T[]): T[] {
  return dets.filter((d) => COCO_TO_VOC[d.classIndex] >= 0).map((d) => ({ ...d, classIndex: COCO_TO_VOC[d.classIndex] }));
}
