// The latency line `mcubench run` prints: the mean, and where the time goes (the slowest operators' shares of the
// operators' sum, a patch-stage operator over all its patches).
import { latencyText } from '../../../harness/cli/summary';
import type { EvalOutcome } from '../../../harness/run/pipeline';
import { BOARD_RUN, HOST_EVAL, readFixture } from '../report/fixtures';

const outcome = (file: string): EvalOutcome => ({
  outDir: '', resultsFile: '', results: readFixture(file), task: { kind: 'raw', reason: 'test' } as EvalOutcome['task'], resumed: 0, ran: 0,
});

test('a board run: mean latency and the three slowest operators, patch-stage ones marked', () => {
  // VWW 2x2 patches split 8: op 0 (1,453,111 cycles), op 6 (1,325,181) and op 10 (814,191, tied with op 14: the
  // lower index first) of 12,925,178.
  expect(latencyText(outcome(BOARD_RUN))).toBe('latency: mean 12,990,129 cycles; slowest operators: op 0 CONV_2D 11.2 % (patch stage: 4 patches), '
    + 'op 6 CONV_2D 10.3 % (patch stage: 4 patches), op 10 CONV_2D 6.3 %\n');
});

test('a host evaluation has no board latency: no line', () => {
  expect(latencyText(outcome(HOST_EVAL))).toBe('');
});
