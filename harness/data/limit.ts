// `--limit N`: which N samples of a dataset to evaluate. By default a stratified, seeded draw: classes take turns
// (each class's own samples in a seeded shuffle), so a 2-class folder limited to 10 gives 5 + 5, not the first 10
// of class 0. `sorted` keeps the first N in dataset order (the old behaviour, for reproducing earlier runs).
// Either way the chosen samples are returned in dataset order, so results and journals read the same.

export type LimitOrder = 'stratified' | 'sorted';
export const LIMIT_ORDERS: readonly LimitOrder[] = ['stratified', 'sorted'];
export const DEFAULT_LIMIT_SEED = 1;

import { seededRandom } from '../seeded-random';

export interface LimitOptions { order?: LimitOrder; seed?: number; }


function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Picks `limit` of `items` (all of them when limit is undefined or not smaller). `stratumOf` names each item's
 * class; unlabelled items form one stratum of their own.
 */
export function limitSamples<T>(items: readonly T[], limit: number | undefined, stratumOf: (item: T) => string | number | undefined, options: LimitOptions = {}): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  if (options.order === 'sorted') return items.slice(0, limit);
  const random = seededRandom(options.seed ?? DEFAULT_LIMIT_SEED);
  const strata = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = String(stratumOf(item) ?? '');
    strata.set(key, [...(strata.get(key) ?? []), i]);
  });
  // Strata in a seeded order, so with more classes than the limit the classes that get a sample vary with the seed.
  const queues = shuffle([...strata.keys()].sort(), random).map((k) => shuffle([...strata.get(k)!], random));
  const picked: number[] = [];
  while (picked.length < limit) {
    for (const q of queues) {
      if (picked.length >= limit) break;
      const next = q.shift();
      if (next !== undefined) picked.push(next);
    }
  }
  return picked.sort((a, b) => a - b).map((i) => items[i]);
}
