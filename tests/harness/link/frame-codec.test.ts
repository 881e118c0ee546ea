// harness/link/frame-codec.ts against the shared vectors (independently generated from the spec).
import { FrameDecoder, crc32Of, encodeFrame, type Frame } from '../../../harness/link/frame-codec';
import { FRAME_TYPE, PROTOCOL } from '../../../harness/link/protocol-ids';
import { hex, toHex, vectors, type FrameFields } from './vectors';

const fields = (f: Frame) => ({ typeCode: f.type, seq: f.seq, payloadHex: toHex(f.payload) });
const expected = (f: FrameFields) => ({ typeCode: f.typeCode, seq: f.seq, payloadHex: f.payloadHex });

describe('crc32Of', () => {
  it.each(vectors.crc32)('$name', ({ hex: h, crc }) => {
    expect(crc32Of(hex(h)).toString(16).padStart(8, '0')).toBe(crc);
  });
});

describe('encodeFrame', () => {
  it.each(vectors.frames)('$name', (v) => {
    expect(toHex(encodeFrame(v.typeCode, v.seq, hex(v.payloadHex)))).toBe(v.hex);
  });

  it('refuses a payload over the maximum and out-of-range fields', () => {
    expect(() => encodeFrame(FRAME_TYPE.PING, 0, new Uint8Array(PROTOCOL.MAX_PAYLOAD + 1))).toThrow(/1025 bytes exceeds the 1024-byte maximum/);
    expect(() => encodeFrame(FRAME_TYPE.PING, 0x10000, new Uint8Array(4))).toThrow(/seq 65536/);
    expect(() => encodeFrame(256, 0, new Uint8Array(4))).toThrow(/type 256/);
  });
});

describe('FrameDecoder', () => {
  it.each(vectors.frames)('decodes $name with its CRC', (v) => {
    const frames = new FrameDecoder().push(hex(v.hex));
    expect(frames.map(fields)).toEqual([expected(v)]);
    expect(frames[0].crc.toString(16).padStart(8, '0')).toBe(v.crc);
  });

  describe.each(vectors.streams)('stream: $name', (s) => {
    const bytes = hex(s.hex);
    it.each([1, 3, 13, 1_000_000])('fed in %i-byte pieces', (piece) => {
      const decoder = new FrameDecoder();
      const frames: Frame[] = [];
      for (let i = 0; i < bytes.length; i += piece) frames.push(...decoder.push(bytes.subarray(i, i + piece)));
      expect(frames.map(fields)).toEqual(s.frames.map(expected));
    });
  });

  it('counts discarded bytes and CRC failures, and holds a partial frame', () => {
    const ping = encodeFrame(FRAME_TYPE.PING, 7, Uint8Array.of(1, 2, 3, 4));
    const damaged = Uint8Array.from(ping);
    damaged[12] ^= 0x10;
    const decoder = new FrameDecoder();
    expect(decoder.push(Uint8Array.of(0, 1, 2))).toEqual([]);
    expect(decoder.push(damaged)).toEqual([]);
    expect(decoder.push(ping.subarray(0, 5))).toEqual([]);
    expect(decoder.crcErrors).toBe(1);
    expect(decoder.droppedBytes).toBe(3 + damaged.length);
    expect(decoder.pendingBytes).toBe(5);
    expect(decoder.push(ping.subarray(5)).map((f) => f.seq)).toEqual([7]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('finds every frame in a long run of random frames and noise', () => {
    // Independent of the vectors: random payloads, random garbage between frames (never containing SYNC0).
    let state = 12345;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state % n;
    };
    const sent: { seq: number; payload: Uint8Array }[] = [];
    const parts: Uint8Array[] = [];
    for (let seq = 0; seq < 300; seq++) {
      const payload = Uint8Array.from({ length: rand(PROTOCOL.MAX_PAYLOAD + 1) }, () => rand(256));
      sent.push({ seq, payload });
      parts.push(Uint8Array.from({ length: rand(20) }, () => rand(PROTOCOL.SYNC0)));
      parts.push(encodeFrame(FRAME_TYPE.OUTPUT_CHUNK, seq, payload));
    }
    const stream = Buffer.concat(parts);
    const decoder = new FrameDecoder();
    const got: Frame[] = [];
    for (let i = 0; i < stream.length; ) {
      const n = 1 + rand(700);
      got.push(...decoder.push(stream.subarray(i, i + n)));
      i += n;
    }
    expect(got.map((f) => [f.seq, toHex(f.payload)])).toEqual(sent.map((s) => [s.seq, toHex(s.payload)]));
  });
});
