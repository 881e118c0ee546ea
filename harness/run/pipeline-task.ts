// What an evaluation measures for a (model, dataset) pair, and how one output is scored for it:
//  - classification: a single score vector and labelled samples (dataset labels, or person presence for a
//    2-class person model on VOC: [no person, person] in every shared VWW model);
//  - detection: a known YOLO head layout on a VOC set → boxes in VOC pixels and VOC class indices, for mAP;
//  - raw: anything else; outputs are hashed and kept, no accuracy.
import { Dataset, GroundTruthBox, Sample } from '../data';
import { VOC_CLASSES } from '../data/voc';
import { DTYPE_BYTES, DType, Graph, IoDescriptor } from '../model/graph';
import { classify } from '../metrics/classification';
import {
  Detection, HeadTensor, MCUNET_PERSON_DET, ST_SSD_PERSON, ST_YOLO_LC_PERSON, decodeStSsd, isStSsdLayout, YOLO_FASTEST_COCO, YOLO_FASTEST_PERSON, YoloModelConfig,
  cocoToVocDetections, decodeYolo, nms, toImageCoordinates,
} from '../metrics/detection';

/** darknet `detector map` defaults: keep boxes down to 0.005 confidence so the PR curve is complete. */
export const DETECTION_SCORE_THRESHOLD = 0.005;
export const DETECTION_NMS_IOU = 0.45;
const VOC_PERSON = (VOC_CLASSES as readonly string[]).indexOf('person');

export type Task =
  | { kind: 'classification'; dtype: DType; labelOffset: number; labels: 'dataset' | 'voc-person'; classes: number }
  | { kind: 'detection'; config: YoloModelConfig; outputs: IoDescriptor[]; classMap: 'coco-to-voc' | 'person'; vocClasses: number[]; decoder?: 'st-ssd' }
  | { kind: 'raw'; reason: string };

/** The part of a journal record that a task adds for one sample. */
export interface TaskRecord {
  label?: number;
  predicted?: number;
  top5?: number[];
  /** Detection: boxes after NMS, in VOC pixel coordinates and VOC class indices. */
  detections?: Detection[];
  /** Detection: the ground truth of this image (so the journal alone reproduces the mAP). */
  truth?: GroundTruthBox[];
}

const elements = (io: IoDescriptor): number => io.shape.reduce((a, b) => a * b, 1);

function yoloConfigFor(outputs: IoDescriptor[]): YoloModelConfig | undefined {
  return [YOLO_FASTEST_COCO, YOLO_FASTEST_PERSON, MCUNET_PERSON_DET, ST_YOLO_LC_PERSON].find((config) =>
    config.heads.length === outputs.length &&
    config.heads.every((h) => outputs.some((o) => o.shape.length === 4 && o.shape[1] === h.gridH && o.shape[2] === h.gridW &&
      o.shape[3] === h.anchors.length * (5 + config.numClasses))));
}

export function chooseTask(graph: Graph, dataset: Dataset, labelOffset: number): Task {
  const outputs = graph.io?.outputs ?? [];
  const isVoc = dataset.layout === 'voc';
  const yolo = yoloConfigFor(outputs);
  if (yolo) {
    if (!isVoc) return { kind: 'raw', reason: `${yolo.name} is a detector; mAP needs a VOC-style dataset with box annotations` };
    const coco = yolo.numClasses === 80;
    return { kind: 'detection', config: yolo, outputs, classMap: coco ? 'coco-to-voc' : 'person', vocClasses: coco ? VOC_CLASSES.map((_, i) => i) : [VOC_PERSON] };
  }
  if (isStSsdLayout(outputs.map((o) => o.shape), ST_SSD_PERSON)) {
    if (!isVoc) return { kind: 'raw', reason: `${ST_SSD_PERSON.name} is a detector; mAP needs a VOC-style dataset with box annotations` };
    const config: YoloModelConfig = { name: ST_SSD_PERSON.name, inputWidth: ST_SSD_PERSON.inputWidth, inputHeight: ST_SSD_PERSON.inputHeight, numClasses: 1, scaleXY: 1, heads: [] };
    return { kind: 'detection', config, outputs, classMap: 'person', vocClasses: [VOC_PERSON], decoder: 'st-ssd' };
  }
  if (outputs.length !== 1) return { kind: 'raw', reason: `${outputs.length} outputs and no known detection head layout` };
  const classes = elements(outputs[0]);
  const dtype = outputs[0].external.dtype;
  if (isVoc) {
    if (classes === 2) return { kind: 'classification', dtype, labelOffset: 0, labels: 'voc-person', classes };
    return { kind: 'raw', reason: `a VOC set labels person presence only for 2-class models; this one has ${classes} outputs` };
  }
  if (dataset.layout === 'tensor-folder' && !sampleHasLabel(dataset)) return { kind: 'raw', reason: 'the tensor files carry no labels' };
  if (classes < 2) return { kind: 'raw', reason: `output has ${classes} element(s); not a score vector` };
  return { kind: 'classification', dtype, labelOffset, labels: 'dataset', classes };
}

function sampleHasLabel(dataset: Dataset): boolean {
  for (const s of dataset.samples()) return s.label !== undefined;
  return false;
}

/** Why a sample cannot be scored for this task (recorded as skipped), or undefined. */
export function unusableForTask(task: Task, sample: Sample): string | undefined {
  if (task.kind === 'classification' && task.labels === 'dataset' && sample.label === undefined) return 'no label';
  if (task.kind === 'classification' && task.labels === 'dataset' && sample.label! >= task.classes - task.labelOffset) {
    return `label ${sample.label} is outside the model's ${task.classes - task.labelOffset} classes`;
  }
  if (task.kind === 'detection' && (!sample.width || !sample.height)) return 'annotation has no image <size>; boxes cannot be mapped back';
  return undefined;
}

function splitOutputs(output: Uint8Array, outputs: IoDescriptor[]): HeadTensor[] {
  let at = 0;
  const heads = outputs.map((io) => {
    const bytes = elements(io) * DTYPE_BYTES[io.external.dtype];
    const head: HeadTensor = { data: output.subarray(at, at + bytes), shape: io.shape, dtype: io.external.dtype, scale: io.external.scale, zeroPoint: io.external.zeroPoint };
    at += bytes;
    return head;
  });
  if (at !== output.length) throw new Error(`output is ${output.length} bytes; the model's outputs add up to ${at}`);
  return heads;
}

export function scoreSample(task: Task, sample: Sample, output: Uint8Array): TaskRecord {
  if (task.kind === 'classification') {
    const label = task.labels === 'voc-person' ? Number((sample.boxes ?? []).some((b) => b.classIndex === VOC_PERSON)) : sample.label!;
    const r = classify(output, task.dtype, label, task.labelOffset);
    return { label, predicted: r.predicted, top5: r.top5 };
  }
  if (task.kind === 'detection') {
    const { config } = task;
    const heads = splitOutputs(output, task.outputs);
    const raw = task.decoder === 'st-ssd' ? decodeStSsd(heads, ST_SSD_PERSON, DETECTION_SCORE_THRESHOLD) : decodeYolo(heads, config, DETECTION_SCORE_THRESHOLD);
    const decoded = nms(raw, DETECTION_NMS_IOU);
    const mapped = task.classMap === 'coco-to-voc' ? cocoToVocDetections(decoded) : decoded.map((d) => ({ ...d, classIndex: VOC_PERSON }));
    const detections = toImageCoordinates(mapped, config.inputWidth, config.inputHeight, sample.width!, sample.height!, true);
    const truth = (sample.boxes ?? []).filter((b) => task.vocClasses.includes(b.classIndex));
    return { detections, truth };
  }
  return {};
}
