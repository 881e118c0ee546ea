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
