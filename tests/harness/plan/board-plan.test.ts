// `mcubench plan --board`: the firmware's need beyond the arena from the fit check's own formula, per schedule,
// and `--schedule auto` on a board picking the least MAC overhead that fits.
import { cliInProcess } from '../../support/cli-in-process';
import { loadBoard } from '../../../harness/boards';
import { autoScheduleForBoard, scheduleFit } from '../../../harness/build/schedule-fit';
import { loadModel } from '../../../harness/model';
import { foldShapeOps } from '../../../harness/pack';
import { planLayers } from '../../../harness/plan';
import { sramNeed } from '../../../harness/build/board-fit';
import { sharedModel } from '../../support/paths';

/** `mcubench plan …` in this process, capturing what it prints. */
async function plan(...args: string[]) {
  const { status: code, stdout, stderr } = await cliInProcess(['plan', ...args]);
  return { code, stdout, stderr };
}

describe('plan --board', () => {
  test('mcunet-in3 on emu-f412: layer does not fit, the planner\'s patch plan (input streamed) does; auto takes the cheapest plan that fits', async () => {
    const r = await plan(sharedModel('mcunet-in3_320kb-1mb_imagenet'), '--schedule', 'patch', '--board', 'emu-f412', '--json');
    const withStream = JSON.parse((await plan(sharedModel('mcunet-in3_320kb-1mb_imagenet'), '--schedule', 'auto', '--board', 'emu-f412', '--json')).stdout);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const board = loadBoard('emu-f412');
    const graph = foldShapeOps(loadModel(sharedModel('mcunet-in3_320kb-1mb_imagenet'))).graph;
    const layerFit = scheduleFit(graph, board, { kind: 'layer', plan: planLayers(graph) });
    expect(json.board.id).toBe('emu-f412');
    expect(json.board.sramBytes).toBe(262144);
    // The same formula the pre-build fit check applies.
    expect(json.board.needBytes.layer).toBe(sramNeed(board, layerFit.memory));
    expect(json.board.needBytes.layer).toBe(layerFit.memory.arenaBytes + layerFit.memory.staticBytes + layerFit.memory.stackBytes);
    // The planner's patch plan fits now that its input is streamed window by window rather than held whole.
    expect(json.board.fits).toEqual({ layer: false, patch: true, stream: null });
    expect(json.board.inputStreamed).toEqual({ layer: false, patch: true, stream: null });
    expect(withStream.board.fits).toEqual({ layer: false, patch: true, stream: true });
    expect(withStream.board.auto).toMatchObject({ schedule: 'stream', macOverhead: 0, fits: true });
    expect(json.board.headroomBytes.layer).toBe(262144 - json.board.needBytes.layer);
    // Beyond its arena the patch plan holds no input at all; the layer plan a 16-byte placeholder (its input lands in the arena).
    expect(json.board.beyondArenaBytes.layer - json.board.beyondArenaBytes.patch).toBe(16);
    // With no recomputation, streaming is the cheapest plan that fits (before any patch plan: split 21, 2x2 at +25 %).
    expect(json.board.auto).toMatchObject({ schedule: 'stream', macOverhead: 0, fits: true });
    expect(json.board.auto.needBytes).toBeLessThanOrEqual(262144);
    expect(json.pareto.every((p: { schedule: string }) => ['layer', 'patch'].includes(p.schedule))).toBe(true);
  }, 120_000);

  test('person_detect on emu-f746: layer-based fits, so auto takes it (no MAC overhead)', () => {
    const graph = foldShapeOps(loadModel(sharedModel('person_detect'))).graph;
    const { schedule, fit } = autoScheduleForBoard(graph, loadBoard('emu-f746'), 0.2);
    expect(schedule.kind).toBe('layer');
    expect(fit.fits).toBe(true);
    expect(fit.headroomBytes).toBe(fit.needBytes >= 0 ? loadBoard('emu-f746').chip.sram.size - fit.needBytes : NaN);
  });

  test('--board with a builtin graph, and --search with --schedule, are usage errors', async () => {
    expect((await plan('builtin:mobilenetv2', '--board', 'emu-f746')).stderr).toMatch(/--board needs a \.tflite model/);
    expect((await plan(sharedModel('person_detect'), '--schedule', 'auto', '--search')).stderr).toMatch(/--search is --schedule auto/);
  });
});
