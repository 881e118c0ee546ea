// Public entry of the model image writer: normalised graph + memory plan → model image bytes.
export { packImage, PackedImage } from './pack-image';
export { Schedule } from './schedule';
export { selectSchedule, ScheduleRequest } from './select-schedule';
export { ImageError } from './image-error';
export { readImageSummary, ImageSummary, isModelImage } from './read-image';
export { imageForModel, ModelImage } from './image-for-model';
export { foldShapeOps } from './fold-shape-ops';
