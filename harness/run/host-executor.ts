// The host reference executor: the model image runs in the native addon (bit-exact with TFLM), loaded once;
// batches go to the addon's worker pool so evaluation uses every thread it is given.
import { Graph } from '../model/graph';
import { NativeModel } from '../native';
import { packImage } from '../pack/pack-image';
import type { Schedule as PackSchedule } from '../pack/schedule';
import type { Schedule } from '../report/results';
import { Executor, ExecutorDescription, ExecutorRun, ExecutorSample } from './executor';
import { planSummary } from './plan-summary';

function resultsSchedule(schedule: PackSchedule): Schedule {
  return schedule.kind === 'layer' ? { kind: 'layer' } : { kind: 'patch', split: schedule.plan.split, patches: schedule.plan.patches };
}

export class HostExecutor implements Executor {
  private readonly model: NativeModel;
  private readonly description: ExecutorDescription;

  /** `threads`: native worker threads for `runBatch` (≥ 1). */
  constructor(graph: Graph, schedule: PackSchedule, private readonly threads = 1, source = graph.source) {
    const image = packImage(graph, schedule);
    this.model = new NativeModel(image.bytes, source);
    this.description = {
      target: 'host',
      schedule: resultsSchedule(schedule),
      plannedPeakBytes: schedule.plan.peakBytes,
      plan: planSummary(graph, schedule),
      fingerprint: `image:${image.modelHash}:${schedule.kind}${schedule.kind === 'patch' ? `:${schedule.plan.split}x${schedule.plan.patches}` : ''}`,
    };
  }

  describe(): ExecutorDescription {
    return this.description;
  }

  async run(_name: string, input: Uint8Array): Promise<ExecutorRun> {
    const r = await this.model.runAsync(input);
    return { output: r.output, latency: r.elapsedNs, unit: 'ns' };
  }

  async runBatch(samples: readonly ExecutorSample[]): Promise<ExecutorRun[]> {
    const results = await this.model.runBatch(samples.map((s) => s.input), this.threads);
    return results.map((r) => ({ output: r.output, latency: r.elapsedNs, unit: 'ns' as const }));
  }

  async close(): Promise<void> {
    // The addon frees the image and arenas when the model object is collected; nothing is held open.
  }
}
