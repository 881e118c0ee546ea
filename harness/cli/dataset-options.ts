// Dataset options shared by `eval` and `run` (declared once): how `--limit` draws, what the layout cannot tell
// (synset list, VOC image set), and a preprocessing recipe for models outside the presets.
import type { Command } from 'commander';
import { DEFAULT_LIMIT_SEED, LIMIT_ORDERS, type DatasetOptions, type LimitOrder } from '../data';
import { PreprocessSpecError, parsePreprocessSpec } from '../data/preprocess';
import { UsageError } from '../errors';

export interface DatasetCliOptions { limitOrder?: string; seed?: string; synsets?: string; imageSet?: string; preprocess?: string; preset?: string; }

export function addDatasetOptions(command: Command): Command {
  return command
    .option('--limit-order <order>', `with --limit: 'stratified' (a seeded draw taking every class in turn, default) or 'sorted' (the first n)`)
    .option('--seed <n>', `with --limit: seed of the stratified draw (default ${DEFAULT_LIMIT_SEED})`)
    .option('--synsets <file>', 'ImageNet class folders: the synset list giving each folder its class index')
    .option('--image-set <name>', 'Pascal VOC: evaluate the images listed in ImageSets/Main/<name>.txt')
    .option('--preprocess <spec>', "preprocessing for a model outside the presets, e.g. 'color=bgr,size=256,mean=103.94/116.78/123.68' (see harness/data/README.md)");
}

export interface DatasetSettings { limitOrder?: LimitOrder; seed?: number; datasetOptions: DatasetOptions; preset?: string; }

export function datasetSettings(o: DatasetCliOptions): DatasetSettings {
  if (o.limitOrder !== undefined && !LIMIT_ORDERS.includes(o.limitOrder as LimitOrder)) {
    throw new UsageError(`--limit-order ${o.limitOrder}: expected ${LIMIT_ORDERS.join(' or ')}`);
  }
  if (o.seed !== undefined && !/^\s*\d+\s*$/.test(o.seed)) throw new UsageError(`--seed ${o.seed}: expected a whole number`);
  if (o.preprocess !== undefined && o.preset !== undefined) throw new UsageError('give --preset or --preprocess, not both');
  if (o.preprocess !== undefined) {
    try {
      parsePreprocessSpec(o.preprocess, 1 << 30); // syntax only; the model input size is checked when the run starts
    } catch (e) {
      if (e instanceof PreprocessSpecError && !/larger than the resized image/.test(e.message)) throw new UsageError(e.message);
      if (!(e instanceof PreprocessSpecError)) throw e;
    }
  }
  return {
    limitOrder: o.limitOrder as LimitOrder | undefined,
    seed: o.seed === undefined ? undefined : Number(o.seed),
    datasetOptions: { synsetFile: o.synsets, imageSet: o.imageSet },
    preset: o.preprocess !== undefined ? `custom:${o.preprocess}` : o.preset,
  };
}
