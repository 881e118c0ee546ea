// Packs a normalised graph and its memory plan into a model image (docs/model-image.md): header, section
// table, then each section 16-byte aligned; the model hash and the CRC are filled in last.
import { createHash } from 'crypto';
import { crc32 } from 'crc';
import { Graph } from '../model/graph';
import { ByteWriter } from './byte-writer';
import { IMAGE_MAGIC, IMAGE_SECTION_ALIGN, IMAGE_VERSION, SECTION_IDS } from './image-ids';
import { CRC_START, HEADER_BYTES, HEADER_FIELDS, IO_RECORD_BYTES, OP_RECORD_BYTES, SECTION_ENTRY_BYTES, TENSOR_RECORD_BYTES } from './image-layout';
import { buildIoTable } from './io-table';
import { buildOpTable } from './op-table';
import { encodeLayerSchedule, encodePatchSchedule, encodeStreamSchedule, Schedule } from './schedule';
import { buildTensorTable } from './tensor-table';

interface Section { id: number; bytes: Uint8Array; count: number }

export interface PackedImage {
  bytes: Uint8Array;
  arenaBytes: number;
  scratchBytes: number;
  inputBytes: number;
  outputBytes: number;
  /** Hex SHA-256 stored in the header. */
  modelHash: string;
}

export function packImage(graph: Graph, schedule: Schedule): PackedImage {
  const tensors = buildTensorTable(graph, schedule);
  const ops = buildOpTable(graph, schedule, tensors);
  const io = buildIoTable(graph, tensors);
  const layer = encodeLayerSchedule(schedule, graph.operators.length);
  const sections: Section[] = [
    { id: SECTION_IDS.TENSORS, bytes: tensors.records, count: tensors.records.length / TENSOR_RECORD_BYTES },
    { id: SECTION_IDS.OPS, bytes: ops.records, count: ops.records.length / OP_RECORD_BYTES },
    { id: SECTION_IDS.INDICES, bytes: ops.indices, count: ops.indexCount },
    { id: SECTION_IDS.IO, bytes: io.records, count: io.records.length / IO_RECORD_BYTES },
    { id: SECTION_IDS.LAYER_SCHEDULE, bytes: layer.bytes, count: layer.count },
    { id: SECTION_IDS.PARAMS, bytes: ops.params, count: 0 },
  ];
  if (schedule.kind === 'patch') {
    sections.push({ id: SECTION_IDS.PATCH_SCHEDULE, bytes: encodePatchSchedule(graph, schedule.plan, tensors), count: 0 });
  }
  if (schedule.kind === 'stream') {
    sections.push({ id: SECTION_IDS.STREAM_SCHEDULE, bytes: encodeStreamSchedule(graph, schedule.plan, tensors), count: 0 });
  }
  sections.push({ id: SECTION_IDS.CONSTANTS, bytes: tensors.constants, count: 0 });

  const tableEnd = HEADER_BYTES + sections.length * SECTION_ENTRY_BYTES;
  const offsets: number[] = [];
  let at = tableEnd;
  for (const s of sections) {
    at = Math.ceil(at / IMAGE_SECTION_ALIGN) * IMAGE_SECTION_ALIGN;
    offsets.push(at);
    at += s.bytes.length;
  }
  const total = Math.ceil(at / IMAGE_SECTION_ALIGN) * IMAGE_SECTION_ALIGN;

  const w = new ByteWriter();
  w.u32(IMAGE_MAGIC).u16(IMAGE_VERSION).u16(HEADER_BYTES).u32(total).u32(0).u32(0);
  w.u32(schedule.plan.arenaBytes).u32(ops.scratchBytes).u32(sections.length).bytes(new Uint8Array(32));
  sections.forEach((s, i) => w.u32(s.id).u32(offsets[i]).u32(s.bytes.length).u32(s.count));
  sections.forEach((s) => w.align(IMAGE_SECTION_ALIGN).bytes(s.bytes));
  w.align(IMAGE_SECTION_ALIGN);
  const bytes = w.finish();

  const hash = createHash('sha256').update(bytes.subarray(tableEnd)).digest();
  bytes.set(hash, HEADER_FIELDS.modelHash);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(HEADER_FIELDS.crc32, crc32(Buffer.from(bytes.buffer, bytes.byteOffset + CRC_START, bytes.byteLength - CRC_START)) >>> 0, true);
  return {
    bytes,
    arenaBytes: schedule.plan.arenaBytes,
    scratchBytes: ops.scratchBytes,
    inputBytes: io.inputBytes,
    outputBytes: io.outputBytes,
    modelHash: hash.toString('hex'),
  };
}
