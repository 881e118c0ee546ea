// The typed reader's OPS records: the op types a packed image holds are the packed graph's, in order, and the
// firmware's per-model op table (MCB_USE_OP_<NAME>) is derived from them.
import { opsOnlyUsedDefines, opTypesInImage } from '../../../harness/build/ops-used';
import { loadModel } from '../../../harness/model';
import { OP_CODES } from '../../../harness/pack/image-ids';
import { planImage } from '../../../harness/pack/image-for-model';
import { ImageError } from '../../../harness/pack/image-error';
import { readOpCodes } from '../../../harness/pack/read-image';
import { sharedModel } from '../../support/paths';

const planned = planImage(loadModel(sharedModel('person_detect')), { schedule: 'layer' });
const bytes = planned.image.bytes;

test('one op code per packed operator, in graph order', () => {
  const codes = readOpCodes(bytes);
  expect(codes).toEqual(planned.graph.operators.map((op) => OP_CODES[op.type as keyof typeof OP_CODES]));
  const types = [...new Set(planned.graph.operators.map((op) => op.type))].sort();
  expect(opTypesInImage(bytes)).toEqual(types);
  expect(opsOnlyUsedDefines(bytes)).toEqual({ MCB_OPS_ONLY_USED: 1, ...Object.fromEntries(types.map((t) => [`MCB_USE_OP_${t}`, 1])) });
});

test('a truncated OPS section is an ImageError, not a read past the end', () => {
  const ops = readOpCodes(bytes).length;
  expect(ops).toBeGreaterThan(10);
  expect(() => readOpCodes(bytes.subarray(0, 200))).toThrow(ImageError);
});
