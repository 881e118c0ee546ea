// The host reference executor: the model image runs in the native addon (bit-exact with TFLM), loaded once;
// batches go to the addon's worker pool so evaluation uses every thread it is given.
import { NativeModel } from '../native';
import type { PlannedImage } from '../pack/image-for-model';
import { scheduleLabel } from '../pack/schedule';
import { Executor, ExecutorDescription, ExecutorRun, ExecutorSample } from './executor';
import { planSummary } from './plan-summary';

export class HostExecutor implements Executor {
  private readonly model: NativeModel;
  private readonly description: ExecutorDescription;

  /** `threads`: native worker threads for `runBatch` (≥ 1). */
  constructor({ graph, schedule, image }: PlannedImage, private readonly threads = 1, source = graph.source) {
    this.model = new NativeModel(image.bytes, source);
    this.description = {
      target: 'host',
      schedule: scheduleLabel(schedule),
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
