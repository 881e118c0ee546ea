// The C loader against hostile images: truncated, bit-flipped (with and without a repaired CRC) and
// deliberately lying fields. Built with -fsanitize=address,undefined, every image must end in a clean
// "error <status> <reason>" line (or load and run without a sanitizer report) — never a crash.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { loadModel } from '../../../harness/model';
import { packImage, readImageSummary } from '../../../harness/pack';
import { HEADER_BYTES, IO_RECORD_BYTES, OP_RECORD_BYTES, PATCH_HEADER_BYTES, PATCH_STEP_BYTES, SECTION_ENTRY_BYTES, TENSOR_RECORD_BYTES } from '../../../harness/pack/image-layout';
import { SECTION_IDS } from '../../../harness/pack/image-ids';
import { planLayers, planPatches } from '../../../harness/plan';
import { selectSchedule } from '../../../harness/pack/select-schedule';
import { gcc, portableKernelSources, RUNTIME_INCLUDE_DIR, runtimeSources, SANITIZE } from '../../support/c-build';
import { REPO_ROOT, SHARED_GOLDEN, sharedModel } from '../../support/paths';

const SOURCES = [...runtimeSources(), ...portableKernelSources(), path.join(REPO_ROOT, 'native/addon/port.c')];

let dir: string;
let tool: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-image-'));
  tool = path.join(dir, 'run_image_asan');
  gcc(['-std=c99', '-O1', ...SANITIZE, `-I${RUNTIME_INCLUDE_DIR}`, ...SOURCES, 'tests/native/image-loader/run_image.c', '-o', tool, '-lm'],
    { cwd: REPO_ROOT });
}, 180000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the sanitized tool over images; returns one result line per image, failing on any sanitizer report. */
function runCorpus(images: Uint8Array[], input: string): string[] {
  const files = images.map((img, i) => {
    const f = path.join(dir, `case${i}.mcbi`);
    fs.writeFileSync(f, img);
    return f;
  });
  const r = spawnSync(tool, ['--corpus', input, ...files], {
    encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'exitcode=99:detect_leaks=0', UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1' },
    maxBuffer: 64 << 20,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines.length).toBe(images.length);
  return lines.map((l) => l.slice(l.indexOf(' ') + 1));
}

/** Rewrites the CRC so a mutation reaches the validators behind the checksum. */
function withCrc(img: Uint8Array): Uint8Array {
  new DataView(img.buffer, img.byteOffset, img.byteLength).setUint32(12, zlib.crc32(img.subarray(16)), true);
  return img;
}

function mutate(base: Uint8Array, at: number, write: (v: DataView, at: number) => void): Uint8Array {
  const img = base.slice();
  write(new DataView(img.buffer, img.byteOffset, img.byteLength), at);
  return withCrc(img);
}

/** Deterministic pseudo-random numbers (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kwsGraph = loadModel(sharedModel('mlperf_tiny_kws_ref_model'));
const kws = packImage(kwsGraph, { kind: 'layer', plan: planLayers(kwsGraph) }).bytes;
const kwsInput = path.join(SHARED_GOLDEN, 'mlperf_tiny_kws_ref_model', 'random1.bin');
const pdGraph = loadModel(sharedModel('person_detect'));
const pdPatch = packImage(pdGraph, { kind: 'patch', plan: planPatches(pdGraph, 8, 4) }).bytes;
const pdInput = path.join(SHARED_GOLDEN, 'person_detect', 'person.bin');
// Row-streamed, its input read row by row: with pdPatch, the corpus tool also runs it through an input reader.
const pdStream = packImage(pdGraph, selectSchedule(pdGraph, { schedule: 'stream' })).bytes;


function sectionOf(img: Uint8Array, id: number) {
  return readImageSummary(img).sections.find((s) => s.id === id)!;
}

test('the record layout of image.h is the one the packer writes', () => {
  const probe = path.join(dir, 'layout_probe');
  execFileSync('gcc', ['-std=c99', '-Inative/runtime/include', 'tests/native/image-loader/layout_probe.c', '-o', probe], { cwd: REPO_ROOT });
  const c = JSON.parse(execFileSync(probe, { encoding: 'utf8' }));
  expect([c['sizeof mcb_img_header'], c['sizeof mcb_img_section'], c['sizeof mcb_img_tensor'], c['sizeof mcb_img_op'],
    c['sizeof mcb_img_io'], c['sizeof mcb_img_patch_header'], c['sizeof mcb_img_patch_step']])
    .toEqual([HEADER_BYTES, SECTION_ENTRY_BYTES, TENSOR_RECORD_BYTES, OP_RECORD_BYTES, IO_RECORD_BYTES, PATCH_HEADER_BYTES, PATCH_STEP_BYTES]);
  // Field offsets the packer (tensor-table.ts, op-table.ts, io-table.ts, schedule.ts) writes in order.
  expect(c).toMatchObject({
    'mcb_img_header.crc32': 12, 'mcb_img_header.arena_size': 20, 'mcb_img_header.model_hash': 32,
    'mcb_img_tensor.shape': 4, 'mcb_img_tensor.offset': 28, 'mcb_img_tensor.graph_index': 44,
    'mcb_img_op.io_index': 4, 'mcb_img_op.params_size': 12, 'mcb_img_op.graph_index': 20,
    'mcb_img_io.external_size': 8, 'mcb_img_io.zero_point': 16, 'mcb_img_patch_step.in': 24,
  });
});

test('valid images load and run cleanly under the sanitizers', () => {
  expect(runCorpus([kws, pdPatch], kwsInput)).toEqual(['ok ran', 'ok ran']);
  // Streamed input (patch windows, stream rows): the same output through an input reader that only ever sees
  // regions inside the image, and MCB_ERR_INPUT from a reader that fails.
  expect(runCorpus([pdPatch, pdStream], pdInput)).toEqual(['ok ran', 'ok ran']);
});

test('truncated images are rejected as TRUNCATED (or a section past the end)', () => {
  const lengths = [0, 1, 16, 63, 64, 65, 100, 200, 1000, kws.length / 2, kws.length - 16, kws.length - 1];
  const results = runCorpus(lengths.map((n) => kws.slice(0, Math.floor(n))), kwsInput);
  results.forEach((r) => expect(r).toMatch(/^error 7 TRUNCATED /));
});

test('bit flips without a repaired CRC are rejected as BAD_CRC', () => {
  const rand = rng(1);
  const images = Array.from({ length: 40 }, () => {
    const img = kws.slice();
    img[16 + Math.floor(rand() * (img.length - 16))] ^= 1 << Math.floor(rand() * 8);
    return img;
  });
  runCorpus(images, kwsInput).forEach((r) => expect(r).toMatch(/^error 7 BAD_CRC /));
});

test('random bit flips and byte smashes behind a repaired CRC: clean errors or clean runs', () => {
  const rand = rng(2);
  const metaEnd = (img: Uint8Array) => sectionOf(img, SECTION_IDS.CONSTANTS).offset; // metadata precedes the weights
  const images: Uint8Array[] = [];
  for (const [base, count] of [[kws, 160], [pdPatch, 40], [pdStream, 40]] as const) {
    for (let i = 0; i < count; i++) {
      const img = base.slice();
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(rand() * metaEnd(base));
        if (at < 16) continue; // keep magic/version/size/crc meaningful
        if (rand() < 0.5) img[at] ^= 1 << Math.floor(rand() * 8);
        else img[at] = [0x00, 0xff, 0x7f, 0x80][Math.floor(rand() * 4)];
      }
      images.push(withCrc(img));
    }
  }
  const results = runCorpus(images, kwsInput);
  results.forEach((r) => expect(r).toMatch(/^(ok ran|error \d+ [A-Z_]+ -?\d+)$/));
  // The corpus really reaches the validators behind the CRC: most mutations are rejected for a reason.
  expect(results.filter((r) => r.startsWith('error')).length).toBeGreaterThan(images.length / 3);
  expect(new Set(results.map((r) => r.split(' ')[2])).size).toBeGreaterThan(5);
});

test('hostile lengths, counts, offsets and enums each get their error code', () => {
  const S = (img: Uint8Array, id: number) => sectionOf(img, id);
  const entry = (img: Uint8Array, id: number) => S(img, id).entryOffset;
  const tensors = S(kws, SECTION_IDS.TENSORS).offset;
  const ops = S(kws, SECTION_IDS.OPS).offset;
  const io = S(kws, SECTION_IDS.IO).offset;
  const layer = S(kws, SECTION_IDS.LAYER_SCHEDULE).offset;
  const indices = S(kws, SECTION_IDS.INDICES).offset;
  const patch = S(pdPatch, SECTION_IDS.PATCH_SCHEDULE).offset;
  const steps = patch + PATCH_HEADER_BYTES + 8 * 4; // person_detect split 8: 8 stage op indices
  const u32 = (v: number) => (d: DataView, at: number) => d.setUint32(at, v >>> 0, true);
  const i32 = (v: number) => (d: DataView, at: number) => d.setInt32(at, v, true);
  const u8 = (v: number) => (d: DataView, at: number) => d.setUint8(at, v);
  const cases: [string, Uint8Array, RegExp][] = [
    ['version 2', mutate(kws, 4, (d, at) => d.setUint16(at, 2, true)), /^error 8 BAD_VERSION/],
    ['total_size past the file', mutate(kws, 8, u32(kws.length + 16)), /^error 7 TRUNCATED/],
    ['17 sections', mutate(kws, 28, u32(17)), /^error 7 BAD_SECTION/],
    ['section count 0xFFFFFFFF', mutate(kws, 28, u32(0xffffffff)), /^error 7 BAD_SECTION/],
    ['section size 0xFFFFFFF0', mutate(kws, entry(kws, SECTION_IDS.CONSTANTS) + 8, u32(0xfffffff0)), /^error 7 BAD_SECTION/],
    ['section offset wraps', mutate(kws, entry(kws, SECTION_IDS.TENSORS) + 4, u32(0xfffffff0)), /^error 7 BAD_SECTION/],
    ['section offset unaligned', mutate(kws, entry(kws, SECTION_IDS.OPS) + 4, u32(ops + 4)), /^error 7 BAD_ALIGNMENT/],
    ['record count beyond the section', mutate(kws, entry(kws, SECTION_IDS.TENSORS) + 12, u32(0x40000000)), /^error 7 BAD_SECTION/],
    ['unknown section id', mutate(kws, entry(kws, SECTION_IDS.IO), u32(99)), /^error 7 BAD_SECTION/],
    ['arena size 0', mutate(kws, 20, u32(0)), /^error 7 ARENA_TOO_SMALL/],
    ['arena size 0xFFFFFFFF', mutate(kws, 20, u32(0xffffffff)), /^error 7 ARENA_TOO_SMALL/],
    ['tensor rank 7', mutate(kws, tensors + 1, u8(7)), /^error 7 BAD_TENSOR 0/],
    ['tensor dtype 99', mutate(kws, tensors, u8(99)), /^error 7 BAD_TENSOR 0/],
    ['negative dimension', mutate(kws, tensors + 4, i32(-1)), /^error 7 BAD_TENSOR 0/],
    ['shape product overflows', mutate(mutate(kws, tensors + 4, i32(0x10000)), tensors + 8, i32(0x10000)), /^error 7 BAD_TENSOR 0/],
    ['unknown storage', mutate(kws, tensors + 2, u8(9)), /^error 7 BAD_TENSOR 0/],
    ['tensor past the arena', mutate(kws, tensors + TENSOR_RECORD_BYTES * 1 + 28, u32(0xfffffff0)), /^error 7 (ARENA_TOO_SMALL|BAD_TENSOR) 1/],
    ['op code 0', mutate(kws, ops, (d, at) => d.setUint16(at, 0, true)), /^error 7 BAD_OP 0/],
    ['op code 999', mutate(kws, ops, (d, at) => d.setUint16(at, 999, true)), /^error 7 BAD_OP 0/],
    ['op operands past INDICES', mutate(kws, ops + 4, u32(0xfffffff0)), /^error 7 BAD_OP 0/],
    ['255 op inputs', mutate(kws, ops + 2, u8(255)), /^error 7 BAD_OP 0/],
    ['operand index out of range', mutate(kws, indices, i32(0x7fffffff)), /^error 7 BAD_OP 0/],
    ['operand index -2', mutate(kws, indices, i32(-2)), /^error 7 BAD_OP 0/],
    ['params past the section', mutate(kws, ops + 8, u32(0xfffffff0)), /^error 7 BAD_PARAMS 0/],
    ['params size short by a word', mutate(kws, ops + 12, (d, at) => d.setUint32(at, d.getUint32(at, true) - 4, true)), /^error 7 BAD_PARAMS 0/],
    ['op scratch beyond the image scratch', mutate(kws, ops + 16, u32(0x7fffffff)), /^error 7 SCRATCH_TOO_SMALL 0/],
    ['IO tensor out of range', mutate(kws, io, u32(0xffff)), /^error 7 BAD_IO 0/],
    ['IO direction 7', mutate(kws, io + 4, u8(7)), /^error 7 BAD_IO 0/],
    ['IO external size lies', mutate(kws, io + 8, u32(0xffffffff)), /^error 7 BAD_IO 0/],
    ['IO conversion 9', mutate(kws, io + 6, u8(9)), /^error 7 BAD_IO 0/],
    ['schedule names op 9999', mutate(kws, layer, u32(9999)), /^error 7 BAD_SCHEDULE 0/],
    ['patch count 0xFFFFFFFF', mutate(pdPatch, patch + 4, u32(0xffffffff)), /^error 7 BAD_SCHEDULE/],
    ['stage op count 0', mutate(pdPatch, patch, u32(0)), /^error 7 BAD_SCHEDULE/],
    ['step window left of the tensor', mutate(pdPatch, steps + 4, i32(-1)), /^error 7 BAD_SCHEDULE 0/],
    ['step window taller than the tensor', mutate(pdPatch, steps + 8, i32(1000)), /^error 7 BAD_SCHEDULE 0/],
    ['step tile past the arena', mutate(pdPatch, steps + 16, u32(0xfffffff0)), /^error 7 BAD_SCHEDULE 0/],
    ['step reads 3 inputs', mutate(pdPatch, steps + 20, u32(3)), /^error 7 BAD_SCHEDULE 0/],
    ['step input slot 5', mutate(pdPatch, steps + 24 + 20, u32(5)), /^error 7 BAD_SCHEDULE 0/],
    ['step input tile past the arena', mutate(pdPatch, steps + 24 + 16, u32(0x7ffffff0)), /^error 7 BAD_SCHEDULE 0/],
  ];
  const results = runCorpus(cases.map((c) => c[1]), kwsInput);
  const wrong = cases.map(([name, , want], i) => (want.test(results[i]) ? '' : `${name}: got "${results[i]}"`)).filter(Boolean);
  expect(wrong).toEqual([]);
});
