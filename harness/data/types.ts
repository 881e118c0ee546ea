// What every dataset loader hands to the evaluation runner.

/** One ground-truth object of a detection sample, in source-image pixels (VOC convention: 1-based, inclusive). */
export interface GroundTruthBox {
  className: string;
  /** Index into the loader's `classNames` (VOC: the 20-name order of voc20.names). */
  classIndex: number;
  xmin: number; ymin: number; xmax: number; ymax: number;
  /** VOC `difficult`: evaluation neither rewards nor penalises detections of it. */
  difficult: boolean;
  truncated: boolean;
}

export interface Sample {
  /** Stable, unique within the dataset; the journal de-duplicates by it. */
  name: string;
  /** Absolute path of the image or raw tensor file. */
  file: string;
  /** Class index for classification sets. */
  label?: number;
  /** Ground-truth boxes for detection sets. */
  boxes?: GroundTruthBox[];
  /** Source image size when the annotation states it (VOC). */
  width?: number;
  height?: number;
}

/** A file that was listed but could not be used; evaluation reports these instead of crashing. */
export interface SkippedSample { file: string; reason: string; }

export type DatasetLayout = 'imagenet-folders' | 'labelled-csv' | 'voc' | 'class-folders' | 'tensor-folder';

export interface Dataset {
  layout: DatasetLayout;
  root: string;
  /** Class names in index order, when the layout defines them. */
  classNames?: string[];
  /** Number of classes the labels say the model has, when the layout states it (MLPerf Tiny label lists). */
  classCount?: number;
  /** Yields samples lazily, in a stable order; appends unusable entries to `skipped` as it goes. */
  samples(): Generator<Sample>;
  /** Grows while samples are read (loader problems) and while they are prepared (decode failures). */
  skipped: SkippedSample[];
}

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff'];

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Records a skip once per file, so iterating a dataset twice does not double its skip list. */
export function recordSkip(skipped: SkippedSample[], entry: SkippedSample): void {
  if (!skipped.some((s) => s.file === entry.file)) skipped.push(entry);
}
