// Framing of the host<->board link (docs/protocol.md §2): encoder and a streaming decoder that resynchronises
// after garbage, dropped or flipped bytes. The C twin is firmware/core/protocol.c; both follow the shared vectors.
import { crc32 } from 'crc';
import { PROTOCOL } from './protocol-ids';

export const FRAME_OVERHEAD = PROTOCOL.HEADER_SIZE + PROTOCOL.CRC_SIZE;

export interface Frame {
  type: number;
  seq: number;
  payload: Uint8Array;
  /** The CRC trailer: with seq it identifies a retransmission. */
  crc: number;
}

/** CRC-32/ISO-HDLC (zlib's crc32), the frame and whole-input/output checksum. */
export function crc32Of(bytes: Uint8Array): number {
  return crc32(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) >>> 0;
}

/** One frame as bytes. Throws a RangeError for a payload over maxPayload or a field out of range. */
export function encodeFrame(type: number, seq: number, payload: Uint8Array, maxPayload: number = PROTOCOL.MAX_PAYLOAD): Uint8Array {
  if (payload.length > maxPayload) {
    throw new RangeError(`frame payload of ${payload.length} bytes exceeds the ${maxPayload}-byte maximum`);
  }
  if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new RangeError(`frame type ${type} is not a byte`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffff) throw new RangeError(`frame seq ${seq} is not a 16-bit value`);
  const frame = Buffer.alloc(FRAME_OVERHEAD + payload.length);
  frame[0] = PROTOCOL.SYNC0;
  frame[1] = PROTOCOL.SYNC1;
  frame.writeUInt16LE(payload.length, 2);
  frame.writeUInt16LE(payload.length ^ 0xffff, 4);
  frame[6] = type;
  frame[7] = 0; // flags: reserved
  frame.writeUInt16LE(seq, 8);
  frame.set(payload, PROTOCOL.HEADER_SIZE);
  const crc = crc32Of(frame.subarray(2, PROTOCOL.HEADER_SIZE + payload.length));
  frame.writeUInt32LE(crc, PROTOCOL.HEADER_SIZE + payload.length);
  return new Uint8Array(frame.buffer, frame.byteOffset, frame.length);
}

/**
 * Push bytes in any pieces, get whole CRC-valid frames out. A candidate frame that fails its length check or CRC
 * costs one byte: scanning resumes right after its first sync byte, so a real frame hidden inside is still found.
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes thrown away while hunting for frames. */
  droppedBytes = 0;
  /** Candidates whose header looked right but whose CRC did not match. */
  crcErrors = 0;

  constructor(private readonly maxPayload: number = PROTOCOL.MAX_PAYLOAD) {}

  push(chunk: Uint8Array): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const frames: Frame[] = [];
    for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
    return frames;
  }

  /** Bytes held while waiting for the rest of a frame (0 when idle). */
  get pendingBytes(): number {
    return this.buf.length;
  }

  private drop(count: number): void {
    this.droppedBytes += count;
    this.buf = this.buf.subarray(count);
  }

  private next(): Frame | undefined {
    for (;;) {
      const start = this.findSync();
      if (start > 0) this.drop(start);
      if (this.buf.length < PROTOCOL.HEADER_SIZE) return undefined;
      const len = this.buf.readUInt16LE(2);
      if ((len ^ this.buf.readUInt16LE(4)) !== 0xffff || len > this.maxPayload) {
        this.drop(1);
        continue;
      }
      const total = FRAME_OVERHEAD + len;
      if (this.buf.length < total) return undefined;
      const crc = crc32Of(this.buf.subarray(2, PROTOCOL.HEADER_SIZE + len));
      if (crc !== this.buf.readUInt32LE(PROTOCOL.HEADER_SIZE + len)) {
        this.crcErrors++;
        this.drop(1);
        continue;
      }
      const frame: Frame = {
        type: this.buf[6],
        seq: this.buf.readUInt16LE(8),
        payload: new Uint8Array(this.buf.subarray(PROTOCOL.HEADER_SIZE, PROTOCOL.HEADER_SIZE + len)), // a copy
        crc,
      };
      this.buf = this.buf.subarray(total);
      return frame;
    }
  }

  /** Index of the first byte that may start a frame (a lone SYNC0 at the end counts), or buf.length. */
  private findSync(): number {
    const b = this.buf;
    for (let i = 0; i < b.length; i++) {
      if (b[i] === PROTOCOL.SYNC0 && (i + 1 === b.length || b[i + 1] === PROTOCOL.SYNC1)) return i;
    }
    return b.length;
  }
}
