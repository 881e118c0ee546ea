// harness/link/messages.ts: request encoders reproduce the vectors' requests; answer decoders read the vectors'
// answers into the values the spec says they carry.
import { FrameDecoder, crc32Of, encodeFrame } from '../../../harness/link/frame-codec';
import {
  decodeError, decodeHelloAck, decodeNack, decodeOutputChunk, decodePong, decodeReset, decodeStats, encodeHello,
  encodeInputBegin, encodeInputChunk, encodeInputEnd, encodeOutputRead, encodePing, encodeRun, MalformedPayloadError,
} from '../../../harness/link/messages';
import { FRAME_TYPE, LINK_ERROR, PROTOCOL } from '../../../harness/link/protocol-ids';
import { fakeOutput } from './support/fake-board';
import { hex, toHex, vectors } from './vectors';

const steps = vectors.conversation.steps;
const step = (note: string) => {
  const s = steps.find((x) => x.note === note);
  if (!s) throw new Error(`no conversation step "${note}" in vectors.json`);
  return s;
};
const only = (h: string) => {
  const frames = new FrameDecoder().push(hex(h));
  expect(frames).toHaveLength(1);
  return frames[0];
};
const board = vectors.conversation.board;
const input = Uint8Array.of(3, 1, 4, 1, 5, 9, 2, 6, 5, 3); // the conversation's input

describe('request encoders match the vectors', () => {
  it.each([
    ['HELLO opens the session', FRAME_TYPE.HELLO, 100, encodeHello(PROTOCOL.PROTOCOL_VERSION, 0xdeadbeef)],
    ['PING', FRAME_TYPE.PING, 101, encodePing(0x01020304)],
    ['INPUT_BEGIN', FRAME_TYPE.INPUT_BEGIN, 104, encodeInputBegin(7, 10)],
    ['first chunk', FRAME_TYPE.INPUT_CHUNK, 105, encodeInputChunk(7, 0, input.subarray(0, 6))],
    ['INPUT_END', FRAME_TYPE.INPUT_END, 114, encodeInputEnd(7, crc32Of(input))],
    ['RUN: ACK at once, STATS after the inference', FRAME_TYPE.RUN, 116, encodeRun(7)],
    ['OUTPUT_READ first 4 bytes', FRAME_TYPE.OUTPUT_READ, 118, encodeOutputRead(7, 0, 4)],
  ] as const)('%s', (note, type, seq, payload) => {
    expect(toHex(encodeFrame(type, seq, payload))).toBe(step(note).sendHex);
  });
});

describe('answer decoders read the vectors', () => {
  it('HELLO_ACK carries the board description', () => {
    const f = only(step('HELLO opens the session').expectHex[0]);
    expect(f.type).toBe(FRAME_TYPE.HELLO_ACK);
    expect(decodeHelloAck(f.payload)).toEqual({
      protocolVersion: PROTOCOL.PROTOCOL_VERSION, runId: 0xdeadbeef, coreClockHz: board.coreClockHz, modelHash: board.modelHashHex,
      arenaSize: board.arenaSize, schedule: 'patch', split: board.split, patches: board.patches,
      rxBufferSize: 1024 + 14, maxPayload: 1024, timeUnit: 'instructions', inputCapacity: board.inputCap,
      outputCapacity: board.outputCap, maxOps: board.maxOps, inputStreamed: false, firmwareVersion: board.firmwareVersion, boardId: board.boardId,
    });
  });

  it('STATS carries the fake inference results, with a latency above 2^32', () => {
    const out = fakeOutput(input);
    const f = only(step('RUN: ACK at once, STATS after the inference').expectHex[1]);
    expect(decodeStats(f.payload)).toEqual({
      sample: 7, outputLength: out.length, outputCrc: crc32Of(out), latencyTotal: 2 ** 32 + 10, timeUnit: 'instructions',
      stackHighWater: 512, arenaHighWater: 10, opCount: 3, opLatency: [10, 20, 30],
    });
  });

  it('OUTPUT_CHUNKs reassemble the fake output', () => {
    const a = decodeOutputChunk(only(step('OUTPUT_READ first 4 bytes').expectHex[0]).payload);
    const b = decodeOutputChunk(only(step('OUTPUT_READ the rest').expectHex[0]).payload);
    expect([a.sample, a.offset, b.sample, b.offset]).toEqual([7, 0, 7, 4]);
    expect(toHex(Buffer.concat([a.data, b.data]))).toBe(toHex(fakeOutput(input)));
  });

  it('NACK names its error code', () => {
    const nack = decodeNack(only(step('hostile offset near 2^32').expectHex[0]).payload);
    expect(nack).toEqual({ requestType: FRAME_TYPE.INPUT_CHUNK, code: LINK_ERROR.BAD_OFFSET, codeName: 'BAD_OFFSET', detail: 6 });
  });

  it('PONG and RESET', () => {
    expect(decodePong(only(step('PING').expectHex[0]).payload)).toBe(0x01020304);
    expect(decodeReset(only(vectors.conversation.reset).payload)).toEqual({ protocolVersion: PROTOCOL.PROTOCOL_VERSION, resetCause: board.resetCause });
  });

  it('ERROR carries code, detail and message', () => {
    const payload = Buffer.concat([Buffer.from([LINK_ERROR.RUN_FAILED, 0, 9, 0, 0, 0, 4]), Buffer.from('boom')]);
    expect(decodeError(payload)).toEqual({ code: LINK_ERROR.RUN_FAILED, codeName: 'RUN_FAILED', detail: 9, message: 'boom' });
  });

  it('rejects short, long and inconsistent payloads instead of reading past them', () => {
    const stats = only(step('RUN: ACK at once, STATS after the inference').expectHex[1]).payload;
    expect(() => decodeStats(stats.subarray(0, stats.length - 1))).toThrow(MalformedPayloadError);
    expect(() => decodeStats(Buffer.concat([stats, Buffer.from([0])]))).toThrow(/1 unexpected trailing bytes/);
    const lying = Buffer.from(stats);
    lying.writeUInt16LE(2, 29); // op_count 2 < 3 reported
    expect(() => decodeStats(lying)).toThrow(/reports 3 op latencies for 2 ops/);
    const ack = Buffer.from(only(step('HELLO opens the session').expectHex[0]).payload);
    ack[ack.length - 10] = 200; // board id length byte beyond the payload
    expect(() => decodeHelloAck(ack)).toThrow(MalformedPayloadError);
    expect(() => decodePong(Uint8Array.of(1, 2))).toThrow(/PONG payload of 2 bytes is too short/);
  });
});
