// Dataset loaders, image decoding and preprocessing: the data side of an evaluation run.
export * from './types';
export { DatasetError } from './errors';
export { detectDataset, EXPECTED_LAYOUTS } from './detect';
export { loadImagenetFolders, readSynsetList } from './imagenet';
export { loadLabelledCsv } from './labelled-csv';
export { loadVoc, parseVocAnnotation, VOC_CLASSES } from './voc';
export { loadClassFolders } from './class-folders';
export { loadTensorFolder } from './tensor-folder';
export { decodeImage, ImageDecodeError, rgbToGray } from './image';
export { prepareSamples, inputBytes } from './prepare';
export type { PreparedSample } from './prepare';
export type { DatasetOptions } from './detect';
export { limitSamples, LIMIT_ORDERS, DEFAULT_LIMIT_SEED } from './limit';
export type { LimitOrder, LimitOptions } from './limit';
export { findMlperfLabels } from './tensor-folder';
