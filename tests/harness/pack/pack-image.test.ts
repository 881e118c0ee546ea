// The packer's bytes, checked against the specification (docs/model-image.md) with independent oracles:
// zlib's CRC-32, node's SHA-256, the .tflite weights as the importer read them.
import { createHash } from 'crypto';
import * as zlib from 'zlib';
import { loadModel } from '../../../harness/model';
import { packImage, readImageSummary } from '../../../harness/pack';
import { SECTION_IDS, STORAGE, IMAGE_MAGIC } from '../../../harness/pack/image-ids';
import { HEADER_BYTES, SECTION_ENTRY_BYTES, TENSOR_RECORD_BYTES, OP_RECORD_BYTES } from '../../../harness/pack/image-layout';
import { planLayers, planPatches } from '../../../harness/plan';
import { sharedModel } from '../../support/paths';

const graph = loadModel(sharedModel('person_detect'));
const plan = planLayers(graph);
const packed = packImage(graph, { kind: 'layer', plan });
const bytes = packed.bytes;
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const summary = readImageSummary(bytes);
const section = (id: number) => summary.sections.find((s) => s.id === id)!;

test('header: magic, version, sizes, CRC-32 over everything after the crc field', () => {
  expect(view.getUint32(0, true)).toBe(IMAGE_MAGIC);
  expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('MCBI');
  expect(summary.version).toBe(1);
  expect(summary.totalSize).toBe(bytes.length);
  expect(bytes.length % 16).toBe(0);
  expect(summary.crc32).toBe(zlib.crc32(bytes.subarray(16)));
  expect(summary.arenaSize).toBe(plan.arenaBytes);
  expect(summary.scratchSize).toBe(plan.scratchBytes);
});

test('model hash is the SHA-256 of the sections', () => {
  const tableEnd = HEADER_BYTES + summary.sections.length * SECTION_ENTRY_BYTES;
  expect(summary.modelHash).toBe(createHash('sha256').update(bytes.subarray(tableEnd)).digest('hex'));
  expect(packed.modelHash).toBe(summary.modelHash);
});

test('sections: each id once, 16-byte aligned, inside the file, not overlapping', () => {
  const ids = summary.sections.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).not.toContain(SECTION_IDS.PATCH_SCHEDULE);
  const sorted = [...summary.sections].sort((a, b) => a.offset - b.offset);
  let end = HEADER_BYTES + summary.sections.length * SECTION_ENTRY_BYTES;
  for (const s of sorted) {
    expect(s.offset % 16).toBe(0);
    expect(s.offset).toBeGreaterThanOrEqual(end);
    end = s.offset + s.size;
  }
  expect(end).toBeLessThanOrEqual(bytes.length);
});

test('tensor and op tables: one record per used tensor and per operator', () => {
  const used = new Set<number>();
  for (const op of graph.operators) for (const t of [...op.inputs, ...op.outputs]) if (t >= 0) used.add(t);
  expect(section(SECTION_IDS.TENSORS).count).toBe(used.size);
  expect(section(SECTION_IDS.TENSORS).size).toBe(used.size * TENSOR_RECORD_BYTES);
  expect(section(SECTION_IDS.OPS).count).toBe(graph.operators.length);
  expect(section(SECTION_IDS.OPS).size).toBe(graph.operators.length * OP_RECORD_BYTES);
  expect(section(SECTION_IDS.LAYER_SCHEDULE).count).toBe(graph.operators.length);
});

test('every constant tensor holds the .tflite bytes at a 16-aligned offset; activations sit at the planned offsets', () => {
  const tensors = section(SECTION_IDS.TENSORS);
  const constants = section(SECTION_IDS.CONSTANTS);
  const placements = new Map(plan.buffers.map((b) => [b.tensor, b.offset]));
  let constantCount = 0;
  for (let i = 0; i < tensors.count; i++) {
    const at = tensors.offset + i * TENSOR_RECORD_BYTES;
    const storage = bytes[at + 2];
    const offset = view.getUint32(at + 28, true);
    const size = view.getUint32(at + 32, true);
    const t = graph.tensors[view.getUint32(at + 44, true)];
    expect(size).toBe(t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'int32' ? 4 : 1));
    if (storage === STORAGE.CONSTANT) {
      constantCount++;
      expect(offset % 16).toBe(0);
      expect(Buffer.from(bytes.subarray(constants.offset + offset, constants.offset + offset + size)).equals(Buffer.from(t.data!))).toBe(true);
    } else {
      expect(storage).toBe(STORAGE.ARENA);
      expect(offset).toBe(placements.get(t.index));
    }
  }
  // Every person_detect convolution has a weight and a bias tensor; nothing else is constant.
  const weighted = graph.operators.filter((o) => o.type === 'CONV_2D' || o.type === 'DEPTHWISE_CONV_2D').length;
  expect(constantCount).toBe(2 * weighted);
});

test('I/O record: the input is 96x96 int8 copied as-is, the output 2 int8 bytes', () => {
  expect(packed.inputBytes).toBe(9216);
  expect(packed.outputBytes).toBe(2);
  expect(section(SECTION_IDS.IO).count).toBe(2);
});

test('a patch plan adds a PATCH_SCHEDULE of split x patches steps', () => {
  const patchPlan = planPatches(graph, 8, 4);
  const image = packImage(graph, { kind: 'patch', plan: patchPlan });
  const s = readImageSummary(image.bytes).sections.find((x) => x.id === SECTION_IDS.PATCH_SCHEDULE)!;
  // header 32 + 8 stage op indices (32, already 8-aligned) + 16 patches x 8 ops x 72-byte steps
  expect(s.size).toBe(32 + 8 * 4 + 16 * 8 * 72);
  expect(readImageSummary(image.bytes).arenaSize).toBe(patchPlan.arenaBytes);
  const layer = readImageSummary(image.bytes).sections.find((x) => x.id === SECTION_IDS.LAYER_SCHEDULE)!;
  expect(layer.count).toBe(graph.operators.length - 8);
});
