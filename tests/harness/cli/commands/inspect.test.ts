// `mcubench inspect` through commander, on a real model with float I/O.
import { Command } from 'commander';
import { registerInspect } from '../../../../harness/cli/commands/inspect';
import { sharedModel } from '../../../support/paths';

async function run(args: string[]): Promise<string> {
  const program = new Command('mcubench').exitOverride();
  registerInspect(program);
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    await program.parseAsync(['node', 'mcubench', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

test('text view lists descriptors and every operator with its output shape', async () => {
  const out = await run(['inspect', sharedModel('tinyengine_vww')]);
  const lines = out.split('\n');
  expect(lines[0]).toMatch(/tinyengine_vww\.tflite: 57 operators, 163 tensors$/);
  expect(lines[1]).toMatch(/^input  'input_0_f\.1': tensor #54 int8\[1,80,80,3\], caller side float32 scale 0\.0078\d+ zero point 0$/);
  expect(lines[2]).toMatch(/^output '1422': tensor #39 int8\[1,2\], caller side float32 scale 0\.146\d+ zero point 1$/);
  expect(lines.filter((l) => /^\s+\d+  [A-Z_0-9]+ /.test(l))).toHaveLength(57);
  expect(out).toMatch(/^\s+0  CONV_2D\s+#54,#74,#162\s+-> #33 int8\[1,40,40,16\]\s+stride 2x2 pad 1,1,1,1 RELU6$/m);
});

test('--raw keeps the boundary QUANTIZE and the PADs', async () => {
  const out = await run(['inspect', '--raw', sharedModel('tinyengine_vww')]);
  expect(out).toMatch(/63 operators/);
  expect(out).toMatch(/^\s+0  QUANTIZE /m);
  expect(out.match(/ PAD /g)).toHaveLength(4);
});

test('--json is the graph without constant data', async () => {
  const g = JSON.parse(await run(['inspect', '--json', sharedModel('person_detect')]));
  expect(g.operators).toHaveLength(31);
  expect(g.io.inputs[0]).toMatchObject({ tensor: 88, shape: [1, 96, 96, 1], external: { dtype: 'int8', zeroPoint: -1 } });
  expect(g.tensors.every((t: { data?: unknown }) => t.data === undefined)).toBe(true);
  expect(g.tensors[g.operators[0].inputs[1]].constantBytes).toBeGreaterThan(0);
});

test('a missing model is a ModelError naming the path', async () => {
  await expect(run(['inspect', '/nonexistent/x.tflite'])).rejects.toThrow('/nonexistent/x.tflite: cannot read model: file not found');
});
