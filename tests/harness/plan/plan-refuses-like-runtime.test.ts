// `plan` refuses the graphs the runtime would refuse. Shared models' flatbuffers are mutated where the graph's
// meaning lives (tensor shapes and types, operator operands, op codes, builtin options, quantization), seeded so
// a failure names a reproducible mutant; each mutant goes through `mcubench plan` (in process) and, separately,
// through what a run does on the host: import, fold, layer plan, pack, load in the runtime (the addon) and run
// one input. Every mutant `plan` accepts must run; every mutant that runs must be accepted by `plan`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModel } from '../../../harness/model';
import { NativeModel } from '../../../harness/native';
import { foldShapeOps, packImage } from '../../../harness/pack';
import { planLayers } from '../../../harness/plan';
import { seededRandom } from '../../../harness/seeded-random';
import { cliInProcess } from '../../support/cli-in-process';
import { sharedModel } from '../../support/paths';
import { Walker } from '../model/flatbuffer-walker';

interface Site { what: string; at: number; width: 1 | 4; values: number[] }

/** Fields of the model that carry graph facts, each with values worth trying there. */
function graphSites(bytes: Uint8Array): Site[] {
  const w = new Walker(bytes);
  const model = w.root();
  const subgraph = w.tables(model, 2)[0];
  const tensors = w.tables(subgraph, 0);
  const sites: Site[] = [];
  const dims = [0, 1, 2, 3, 7, -1, 1000];
  tensors.forEach((t, i) => {
    const [start, n] = w.vector(t, 0);
    for (let d = 0; d < n; d++) sites.push({ what: `tensor ${i} dim ${d}`, at: start + 4 * d, width: 4, values: dims });
    const type = w.field(t, 1);
    // TensorType: 0 float32, 2 int32, 3 uint8, 7 int16, 9 int8, 4 int64, 17 (unknown).
    if (type) sites.push({ what: `tensor ${i} type`, at: type, width: 1, values: [0, 2, 3, 4, 7, 9, 17] });
    const q = w.table(t, 4);
    if (q) {
      const [zp, zpN] = w.vector(q, 3);
      if (zpN > 0) sites.push({ what: `tensor ${i} zero point`, at: zp, width: 4, values: [-129, 128, 300, 0] });
      const [scale, scaleN] = w.vector(q, 2);
      if (scaleN > 0) sites.push({ what: `tensor ${i} scale`, at: scale, width: 4, values: [0, 0xbf800000, 0x7f800000, 0x7fc00000] });
    }
  });
  const ops = w.tables(subgraph, 3);
  ops.forEach((op, k) => {
    for (const [field, name] of [[1, 'input'], [2, 'output']] as const) {
      const [start, n] = w.vector(op, field);
      for (let j = 0; j < n; j++) {
        sites.push({ what: `op ${k} ${name} ${j}`, at: start + 4 * j, width: 4, values: [-1, 0, tensors.length - 1, tensors.length, (k + j) % tensors.length] });
      }
    }
    const opcode = w.field(op, 0);
    if (opcode) sites.push({ what: `op ${k} opcode index`, at: opcode, width: 4, values: [0, 1, 2, 3] });
    // Operator 4: builtin_options (a table of scalars: padding, strides, activation, dilations, filter sizes ...).
    const options = w.table(op, 4);
    if (options) {
      for (let id = 0; id < 8; id++) {
        const at = w.field(options, id);
        if (at) sites.push({ what: `op ${k} option ${id}`, at, width: 1, values: [0, 1, 2, 3, 5, 0xff] });
      }
    }
  });
  for (const [i, code] of w.tables(model, 1).entries()) {
    const at = w.field(code, 3) || w.field(code, 0);
    // BuiltinOperator: 0 ADD, 1 AVERAGE_POOL_2D, 3 CONV_2D, 4 DEPTHWISE_CONV_2D, 9 FULLY_CONNECTED, 17 MAX_POOL_2D,
    // 22 RESHAPE, 25 SOFTMAX, 18 MUL, 114 QUANTIZE, 6 DEQUANTIZE, 200 (unknown).
    if (at) sites.push({ what: `opcode ${i}`, at, width: w.field(code, 3) ? 4 : 1, values: [0, 1, 3, 4, 9, 17, 18, 22, 25, 114, 6, 200] });
  }
  return sites;
}

/** What a host run does with a model file; the error when any step refuses. */
function hostRun(file: string): string | undefined {
  try {
    const graph = foldShapeOps(loadModel(file)).graph;
    const native = new NativeModel(packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes, file);
    native.run(new Uint8Array(native.info.inputBytes));
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const MODELS = ['mlperf_tiny_kws_ref_model', 'mlperf_tiny_ad01_int8', 'mlperf_tiny_vww_96_int8', 'mlperf_tiny_ic_pretrainedResnet_quant', 'person_detect', 'tinyengine_vww'];
const PER_MODEL = 100;

describe('plan accepts exactly the mutated models the host runtime runs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-plan-mutants-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const totals = { mutants: 0, bothAccept: 0, bothRefuse: 0, disagree: [] as string[] };

  test.each(MODELS)('%s', async (name) => {
    const original = new Uint8Array(fs.readFileSync(sharedModel(name)));
    const sites = graphSites(original);
    const random = seededRandom(0x91a7 + name.length * 977);
    const tally = { accept: 0, refuse: 0, disagree: [] as string[] };
    for (let i = 0; i < PER_MODEL; i++) {
      const site = sites[Math.floor(random() * sites.length)];
      const value = site.values[Math.floor(random() * site.values.length)];
      const bytes = original.slice();
      const view = new DataView(bytes.buffer);
      if (site.width === 4) view.setUint32(site.at, value >>> 0, true);
      else view.setUint8(site.at, value & 0xff);
      const file = path.join(dir, `${name}-${i}.tflite`);
      fs.writeFileSync(file, bytes);
      const planned = await cliInProcess(['plan', file, '--json']);
      const ran = hostRun(file);
      const mutant = `${name} #${i} (${site.what} = ${value})`;
      if (planned.status === 0 && ran === undefined) tally.accept++;
      else if (planned.status !== 0 && ran !== undefined) tally.refuse++;
      else tally.disagree.push(`${mutant}: plan ${planned.status === 0 ? 'accepts' : `refuses (${planned.stderr.trim().split('\n')[0]})`}, the runtime ${ran === undefined ? 'runs it' : `refuses (${ran})`}`);
      // A refusal is a clear message, never a crash of the CLI.
      if (planned.status !== 0) expect(planned.stderr).toMatch(/^mcubench: /m);
      fs.rmSync(file);
    }
    totals.mutants += PER_MODEL;
    totals.bothAccept += tally.accept;
    totals.bothRefuse += tally.refuse;
    totals.disagree.push(...tally.disagree);
    process.stderr.write(`${name}: ${PER_MODEL} mutants, plan and runtime both accept ${tally.accept}, both refuse ${tally.refuse}, disagree ${tally.disagree.length}\n`);
    expect(tally.disagree).toEqual([]);
    // The mutator reaches both sides of the line.
    expect(tally.refuse).toBeGreaterThan(0);
  }, 300_000);

  afterAll(() => {
    process.stderr.write(`all: ${totals.mutants} mutants, both accept ${totals.bothAccept}, both refuse ${totals.bothRefuse}, disagree ${totals.disagree.length}\n`);
  });
});
