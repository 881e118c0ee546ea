// Where tests find the repository and the read-only shared material (models, golden vectors, datasets).
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED = process.env.MCUBENCH_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
export const SHARED_MODELS = path.join(SHARED, 'models');
export const SHARED_GOLDEN = path.join(SHARED, 'golden');
export const SHARED_DATASETS = path.join(SHARED, 'datasets');

export function sharedModel(name: string): string {
  return path.join(SHARED_MODELS, name.endsWith('.tflite') ? name : `${name}.tflite`);
}
