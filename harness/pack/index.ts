// Public entry of the model image writer: normalised graph + memory plan → model image bytes.
export { packImage, PackedImage } from './pack-image';
export { Schedule } from './schedule';
export { selectSchedule, ScheduleRequest } from './select-schedule';
export { ImageError } from './image-error';
export { readImage, readImageSummary, inputLivesInArena, inputIsStreamed, outputLivesInArena, isModelImage, type ImageRecords, type ImageSummary, type IoRecord, type TensorRecord } from './read-image';
export { imageForModel, planImage, type ModelImage, type PlannedImage } from './image-for-model';
export { foldShapeOps } from './fold-shape-ops';
