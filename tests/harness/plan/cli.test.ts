import { spawnSync } from 'child_process';
import * as path from 'path';
import { cliInProcess } from '../../support/cli-in-process';
import { REPO_ROOT, sharedModel } from '../../support/paths';

/** `mcubench plan …` in this process, capturing what it prints. */
async function inProcess(...args: string[]) {
  const { status: code, stdout, stderr } = await cliInProcess(['plan', ...args]);
  return { code, stdout, stderr };
}

function mcubench(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mcubench.js'), 'plan', ...args], { encoding: 'utf8', cwd: REPO_ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mcubench plan', () => {
  test('--split/--patches --json on the builtin MobileNetV2 gives the Table 1 figures', () => {
    const r = mcubench('builtin:mobilenetv2?width=1.0&resolution=224', '--split', '13', '--patches', '4', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.macs).toBeGreaterThan(299e6);
    expect(out.ops[0]).toMatchObject({ index: 0, type: 'CONV_2D', outputShape: [1, 112, 112, 32], liveBytes: 551936 });
    expect(out.layerBased).toMatchObject({ peakBytes: 1404928, peakOp: 3, arenaBytes: 1404928 });
    expect(out.patchBased).toMatchObject({ split: 13, patches: 4, inputPatch: [75, 75], peakBytes: 175616, inputImageBytes: 150528 });
    expect(out.patchBased.patchList).toHaveLength(16);
  });

  const model = sharedModel('tinyengine_vww');
  test('a real model with --search --json returns a Pareto table', () => {
    const r = mcubench(model, '--search', '--max-mac-overhead', '0.1', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // Layer, patch and stream candidates ranked together; the stream plans dominate here: in 2 column strips
    // (+0.7 % MACs) the lowest peak, computing every row once the fewest MACs.
    expect(out.search.candidates.map((c: { schedule: string }) => c.schedule)).toEqual(expect.arrayContaining(['layer', 'patch', 'stream']));
    expect(out.search.chosen.macOverhead).toBeLessThanOrEqual(0.1);
    expect(out.search.chosen).toMatchObject({ schedule: 'stream', strips: 2, peakBytes: out.streamBased.peakBytes, macOverhead: out.streamBased.macOverhead });
    expect(out.pareto).toEqual([out.search.chosen, expect.objectContaining({ schedule: 'stream', strips: 1, macOverhead: 0 })]);
    expect(out.pareto[1].peakBytes).toBeGreaterThan(out.pareto[0].peakBytes);
    expect(out.patchBased.peakBytes).toBeGreaterThan(out.streamBased.peakBytes);
    expect(out.streamBased.macs).toBe(Math.round(out.macs * (1 + out.streamBased.macOverhead)));
  });

  test('a model no op of which can stream: --search ranks layer and patch only, --schedule stream says why not', () => {
    const ad01 = sharedModel('mlperf_tiny_ad01_int8');
    const searched = mcubench(ad01, '--search', '--json');
    expect(searched.code).toBe(0);
    const out = JSON.parse(searched.stdout);
    expect(out.search.candidates.map((c: { schedule: string }) => c.schedule)).toEqual(['layer']);
    expect(out.streamBased).toBeUndefined();
    const stream = mcubench(ad01, '--schedule', 'stream');
    expect(stream.code).not.toBe(0);
    expect(stream.stderr).toMatch(/no stream plan exists \(no run of its operators can stream row by row.*use --schedule layer/);
  });

  test('the table marks the peak operator with *', async () => {
    const r = await inProcess('builtin:mcunet');
    expect(r.code).toBe(0);
    const marked = r.stdout.split('\n').filter((l) => l.endsWith(' *'));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(/^\s+3\s+CONV_2D\s+1x88x88x24\s/);
    expect(r.stdout).toMatch(/layer-based: peak 247,808 B/);
  });

  test.each([
    [['builtin:mcunet', '--split', '5'], /--split and --patches go together/],
    [['builtin:mcunet', '--split', '5', '--patches', '2', '--search'], /either --split N --patches P or --search/],
    [['builtin:mcunet', '--max-mac-overhead', '0.1'], /only applies with --search/],
    [['builtin:mcunet', '--search', '--max-mac-overhead', 'lots'], /expected a fraction >= 0/],
    [['builtin:mcunet', '--split', 'x', '--patches', '2'], /--split x: expected a positive integer/],
    [['builtin:mcunet', '--split', '67', '--patches', '2'], /2×2 patches do not fit the 1×1 stage output of split 67/],
    [['no-such-model.tflite'], /no-such-model\.tflite: cannot read model/],
  ])('%j fails with a clear message', async (args, message) => {
    const r = await inProcess(...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
