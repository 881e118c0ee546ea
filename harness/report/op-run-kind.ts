// How one operator ran under a schedule: per patch (a patch stage), row by row (a streamed segment) or whole.
// Per-operator latency under the first two is summed over every patch or row; the reports say so beside the bar.
import type { ScheduleLabel } from '../pack/schedule';

export type OpRunKind = 'layer' | 'patch' | 'stream';

export function opRunKind(schedule: ScheduleLabel, index: number): OpRunKind {
  if (schedule.kind === 'patch') return index < schedule.split ? 'patch' : 'layer';
  if (schedule.kind === 'stream') return schedule.segments.some(([first, end]) => index >= first && index < end) ? 'stream' : 'layer';
  return 'layer';
}

/** Words after an operator's latency: how it was summed. */
export function opRunNote(schedule: ScheduleLabel, index: number): string {
  const kind = opRunKind(schedule, index);
  if (kind === 'patch' && schedule.kind === 'patch') return `patch stage: ${schedule.patches * schedule.patches} patches`;
  return kind === 'stream' ? 'streamed: all rows' : '';
}
