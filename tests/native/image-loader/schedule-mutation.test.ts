// The loader checks the schedule an image carries as strictly as the planner builds it. Mutations of the plan
// facts only (arena offsets, the layer schedule, the patch stage's op list, windows and tile offsets), with a
// repaired CRC, must each be refused at load, fail at run with an error, or still give the unmutated output:
// none may load and silently answer differently.
import { crc32 } from 'crc';
import * as fs from 'fs';
import { loadModel } from '../../../harness/model';
import { NativeModel } from '../../../harness/native';
import { foldShapeOps, packImage, readImageSummary } from '../../../harness/pack';
import { SECTION_IDS } from '../../../harness/pack/image-ids';
import { CRC_START, HEADER_FIELDS, PATCH_HEADER_BYTES, PATCH_STEP_BYTES, STREAM_STEP_BYTES, TENSOR_RECORD_BYTES } from '../../../harness/pack/image-layout';
import { planLayers, planPatches, planStream } from '../../../harness/plan';
import type { Schedule } from '../../../harness/pack/schedule';
import { sharedModel } from '../../support/paths';

const STORAGE_ARENA = 1;

/** Deterministic generator so a failure names a reproducible mutation. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

interface Site { what: string; at: number; mutate: (old: number, r: () => number) => number }

/** Every u32 field of the image that records a plan fact, with a mutation suited to it. */
function planSites(image: Uint8Array): Site[] {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const summary = readImageSummary(image);
  const arena = summary.arenaSize;
  const sites: Site[] = [];
  const nudge = (old: number, r: () => number) => {
    const deltas = [-16, -4, 4, 16, 64, -64];
    return Math.max(0, old + deltas[Math.floor(r() * deltas.length)]);
  };
  const anywhere = (old: number, r: () => number) => (r() < 0.5 ? nudge(old, r) : Math.floor(r() * arena / 4) * 4);
  const tensors = summary.sections.find((s) => s.id === SECTION_IDS.TENSORS)!;
  for (let i = 0; i < tensors.count; i++) {
    const rec = tensors.offset + i * TENSOR_RECORD_BYTES;
    if (image[rec + 2] === STORAGE_ARENA) sites.push({ what: `tensor ${i} offset`, at: rec + 28, mutate: anywhere });
  }
  const ops = summary.sections.find((s) => s.id === SECTION_IDS.OPS)!;
  const layer = summary.sections.find((s) => s.id === SECTION_IDS.LAYER_SCHEDULE)!;
  for (let i = 0; i < layer.count; i++) {
    sites.push({ what: `layer schedule [${i}]`, at: layer.offset + 4 * i, mutate: (_, r) => Math.floor(r() * ops.count) });
  }
  const stream = summary.sections.find((s) => s.id === SECTION_IDS.STREAM_SCHEDULE);
  if (stream) {
    const segments = view.getUint32(stream.offset, true);
    const rings = view.getUint32(stream.offset + 4, true);
    const steps = view.getUint32(stream.offset + 8, true);
    const ringsAt = stream.offset + 16 + 16 * segments;
    const stepsAt = ringsAt + 16 * rings;
    const small = (old: number, r: () => number) => Math.max(0, old + (r() < 0.5 ? -1 : 1));
    for (let s = 0; s < segments; s++) for (let f = 0; f < 4; f++) sites.push({ what: `segment ${s} field ${f}`, at: stream.offset + 16 + 16 * s + 4 * f, mutate: small });
    for (let g = 0; g < rings; g++) {
      sites.push({ what: `ring ${g} rows`, at: ringsAt + 16 * g + 4, mutate: small });
      sites.push({ what: `ring ${g} offset`, at: ringsAt + 16 * g + 8, mutate: anywhere });
    }
    for (let k = 0; k < steps; k += 3) {
      const at = stepsAt + STREAM_STEP_BYTES * k;
      sites.push({ what: `step ${k} op`, at, mutate: small });
      sites.push({ what: `step ${k} row`, at: at + 4, mutate: small });
      sites.push({ what: `step ${k} keep`, at: at + 8, mutate: small });
      sites.push({ what: `step ${k} x0`, at: at + 12, mutate: small });
      sites.push({ what: `step ${k} x1`, at: at + 16, mutate: small });
    }
  }
  const patch = summary.sections.find((s) => s.id === SECTION_IDS.PATCH_SCHEDULE);
  if (patch) {
    const stageOps = view.getUint32(patch.offset, true);
    const patches = view.getUint32(patch.offset + 4, true);
    for (let k = 0; k < stageOps; k++) {
      sites.push({ what: `stage op [${k}]`, at: patch.offset + PATCH_HEADER_BYTES + 4 * k, mutate: (_, r) => Math.floor(r() * stageOps) });
    }
    const steps = patch.offset + Math.ceil((PATCH_HEADER_BYTES + 4 * stageOps) / 8) * 8;
    for (let n = 0; n < stageOps * patches; n++) {
      const s = steps + n * PATCH_STEP_BYTES;
      const small = (old: number, r: () => number) => Math.max(0, old + (r() < 0.5 ? -1 : 1));
      sites.push({ what: `step ${n} out window`, at: s + 4 * Math.floor(4 * (n % 4) / 4), mutate: small });
      sites.push({ what: `step ${n} out offset`, at: s + 16, mutate: anywhere });
      sites.push({ what: `step ${n} in window`, at: s + 24 + 4 * (n % 4), mutate: small });
      sites.push({ what: `step ${n} in offset`, at: s + 24 + 16, mutate: anywhere });
    }
  }
  return sites;
}

function withCrc(image: Uint8Array): Uint8Array {
  const copy = Buffer.from(image);
  const total = copy.readUInt32LE(HEADER_FIELDS.totalSize);
  copy.writeUInt32LE(crc32(copy.subarray(CRC_START, total)) >>> 0, HEADER_FIELDS.crc32);
  // The loader needs a 16-aligned image.
  const aligned = new Uint8Array(new ArrayBuffer(copy.length + 16), 0, copy.length);
  aligned.set(copy);
  return aligned;
}

interface Tally { refused: number; same: number; silentWrong: string[]; unnamed: string[] }

/** A rejection of a schedule or operator must name the operator and its type, or the patch step. */
function namesTheSite(message: string): boolean {
  if (!/SCHEDULE_ORDER|ARENA_OVERLAP|BAD_SCHEDULE|BAD_OP|BAD_PARAMS/.test(message)) return true;
  return /operator \d+ \([A-Z0-9_]+\): \w|patch \d+, stage step \d+ \(operator \d+, [A-Z0-9_]+\)|layer schedule entry \d+|stream schedule record -?\d+/.test(message);
}

function mutateAndRun(image: Uint8Array, input: Uint8Array, expected: Buffer, count: number, seed: number): Tally {
  const r = rng(seed);
  const sites = planSites(image);
  const tally: Tally = { refused: 0, same: 0, silentWrong: [], unnamed: [] };
  for (let i = 0; i < count; i++) {
    const site = sites[Math.floor(r() * sites.length)];
    const mutated = Buffer.from(image);
    const old = mutated.readUInt32LE(site.at);
    const value = site.mutate(old, r) >>> 0;
    if (value === old) { tally.same++; continue; }
    mutated.writeUInt32LE(value, site.at);
    let out: Buffer;
    try {
      out = new NativeModel(withCrc(mutated)).run(input).output;
    } catch (err) {
      if (!namesTheSite((err as Error).message)) tally.unnamed.push((err as Error).message);
      tally.refused++;
      continue;
    }
    if (out.equals(expected)) tally.same++;
    else tally.silentWrong.push(`${site.what}: ${old} → ${value}`);
  }
  return tally;
}

const CASES = [
  { model: 'person_detect', split: 0, patches: 0, golden: 'person_detect/person.bin' },
  { model: 'person_detect', split: 8, patches: 4, golden: 'person_detect/person.bin' },
  { model: 'mlperf_tiny_ic_pretrainedResnet_quant', split: 0, patches: 0, golden: '' },
  { model: 'mlperf_tiny_vww_96_int8', split: 8, patches: 3, golden: '' },
  { model: 'mcunet-in3_320kb-1mb_imagenet', split: 5, patches: 2, golden: '' },
  // patches −1: a stream plan (rings, row steps); −2: the same in 2 column strips
  { model: 'person_detect', split: 8, patches: -1, golden: '' },
  { model: 'mlperf_tiny_ic_pretrainedResnet_quant', split: 12, patches: -1, golden: '' },
  { model: 'person_detect', split: 8, patches: -2, golden: '' },
];
const PER_CASE = 200;

describe('CRC-valid images with mutated plan facts never load and answer wrongly', () => {
  test.each(CASES)('$model split $split (patches $patches; −1: stream, −2: stream in 2 strips)', ({ model, split, patches }) => {
    const graph = foldShapeOps(loadModel(sharedModel(model))).graph;
    const schedule: Schedule = split === 0 ? { kind: 'layer', plan: planLayers(graph) }
      : patches < 0 ? { kind: 'stream', plan: planStream(graph, split, { strips: -patches }) } : { kind: 'patch', plan: planPatches(graph, split, patches) };
    const image = packImage(graph, schedule).bytes;
    const native = new NativeModel(image);
    const input = new Uint8Array(native.info.inputBytes);
    const r = rng(7);
    for (let i = 0; i < input.length; i++) input[i] = Math.floor(r() * 256);
    const expected = native.run(input).output;
    const tally = mutateAndRun(image, input, expected, PER_CASE, split * 1000 + model.length);
    process.stderr.write(`${model} split ${split}: ${PER_CASE} mutations, ${tally.refused} refused, ${tally.same} same answer, ${tally.silentWrong.length} silently wrong\n`);
    expect(tally.silentWrong).toEqual([]);
    expect(tally.unnamed).toEqual([]);
    expect(tally.refused).toBeGreaterThan(PER_CASE / 3);
  }, 120_000);
});

void fs;
