import { loadModel } from '../../../harness/model';
import { loadBuiltin } from '../../../harness/plan/builtin';
import { makeDivisible } from '../../../harness/plan/builtin/mobilenetv2';
import { planLayers } from '../../../harness/plan/layer-planner';
import { sharedModel } from '../../support/paths';

describe('builtin:NAME?k=v specs', () => {
  test('mobilenetv2 width and resolution', () => {
    const g = loadBuiltin('builtin:mobilenetv2?width=0.35&resolution=96');
    expect(g.tensors[g.inputs[0]].shape).toEqual([1, 96, 96, 3]);
    expect(g.tensors[g.operators[0].outputs[0]].shape).toEqual([1, 48, 48, 16]); // make_divisible(32·0.35) = 16
    expect(g.tensors[g.outputs[0]].shape).toEqual([1, 1000]);
    expect(g.source).toBe('builtin:mobilenetv2?width=0.35&resolution=96');
  });

  test('make_divisible rounds to multiples of 8 and never loses more than 10 %', () => {
    expect([32 * 0.35, 16 * 0.35, 24 * 0.75, 320 * 1.4, 96 * 0.5].map((v) => makeDivisible(v))).toEqual([16, 8, 24, 448, 48]);
  });

  test.each([
    ['builtin:resnet', /unknown built-in architecture 'resnet'; known: mobilenetv2, mcunet/],
    ['builtin:mobilenetv2?depth=2', /unknown option 'depth' for mobilenetv2; options: width/],
    ['builtin:mobilenetv2?width=-1', /width=-1 is not a positive number/],
    ['builtin:mobilenetv2?resolution=100.5', /resolution=100.5 is not a positive integer/],
    ['builtin:mobilenetv2?resolution=16', /too small; use at least 32/],
    ['builtin:mcunet?kernels=3,5', /kernels needs 1 or 17 comma-separated values/],
    ['builtin:mcunet?kernels=4', /kernels=4 has an invalid entry/],
    ['builtin:mcunet?width=1&width=2', /option 'width' given twice/],
  ])('%s is rejected', (spec, message) => {
    expect(() => loadBuiltin(spec)).toThrow(message);
  });

  test('mcunet options change kernels and expansions', () => {
    const g = loadBuiltin('builtin:mcunet?kernels=3&expansions=4&resolution=128');
    const dws = g.operators.filter((o) => o.type === 'DEPTHWISE_CONV_2D');
    expect(dws.every((o) => g.tensors[o.inputs[1]].shape[1] === 3)).toBe(true);
    expect(g.tensors[g.inputs[0]].shape).toEqual([1, 128, 128, 3]);
  });
});

const IN3 = sharedModel('mcunet-in3_320kb-1mb_imagenet');
describe('builtin:mcunet reproduces the structure of the real mcunet-in3', () => {
  test('same operators, output shapes, kernels, strides, padding; 81.8M MACs; same layer peak', () => {
    const real = loadModel(IN3);
    const built = loadBuiltin('builtin:mcunet');
    expect(built.operators.map((o) => o.type)).toEqual(real.operators.map((o) => o.type));
    built.operators.forEach((o, i) => {
      const r = real.operators[i];
      expect(built.tensors[o.outputs[0]].shape).toEqual(real.tensors[r.outputs[0]].shape);
      if (o.options.kind === 'conv' || o.options.kind === 'depthwise') {
        expect(built.tensors[o.inputs[1]].shape).toEqual(real.tensors[r.inputs[1]].shape);
        expect(o.options).toMatchObject({ padding: (r.options as typeof o.options).padding, strideH: (r.options as typeof o.options).strideH });
      }
    });
    const a = planLayers(real), b = planLayers(built);
    expect(Math.round(a.macs / 1e5) / 10).toBe(81.8); // published mcunet-in3 MACs
    expect(b.macs).toBe(a.macs);
    expect(b.peakBytes).toBe(a.peakBytes);
  });
});
