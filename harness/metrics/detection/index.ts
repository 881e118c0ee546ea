export * from './types';
export * from './anchors';
export { iou } from './box';
export { nms } from './nms';
export { decodeYolo, toImageCoordinates } from './yolo';
export type { HeadTensor } from './yolo';
export { COCO80_DARKNET, COCO_TO_VOC, cocoToVocDetections } from './coco-voc';
export * from './voc-ap';
export { ST_SSD_PERSON, decodeStSsd, isStSsdLayout, type SsdModelConfig } from './st-ssd';
