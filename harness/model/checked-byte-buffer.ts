// A flatbuffers ByteBuffer that refuses to read outside the file. The generated readers trust every offset
// they follow; a plain Uint8Array read past the end yields `undefined` (silently 0), so without this a corrupt
// model would turn into plausible-looking wrong numbers rather than an error.
import { ByteBuffer, Encoding } from 'flatbuffers';

/** Thrown by CheckedByteBuffer; the reader translates it into a ModelError with file and operator. */
export class OutOfBoundsRead extends Error {
  constructor(readonly offset: number, readonly size: number, readonly fileSize: number) {
    super(size < 0
      ? `length ${size} at offset ${offset} is negative`
      : `read of ${size} byte(s) at offset ${offset} is outside the ${fileSize}-byte file`);
    this.name = 'OutOfBoundsRead';
  }
}

export class CheckedByteBuffer extends ByteBuffer {
  private readonly data: Uint8Array;

  constructor(bytes: Uint8Array) {
    super(bytes);
    this.data = bytes;
  }

  /** Throws unless [offset, offset + size) lies inside the file. */
  check(offset: number, size: number): void {
    // Written so that NaN fails too; offsets come from int32 arithmetic, so they are always integers.
    if (!(offset >= 0 && size >= 0 && offset + size <= this.data.length)) {
      throw new OutOfBoundsRead(offset, size, this.data.length);
    }
  }

  override readUint8(offset: number): number {
    this.check(offset, 1);
    return this.data[offset];
  }

  override readUint16(offset: number): number {
    this.check(offset, 2);
    return this.data[offset] | (this.data[offset + 1] << 8);
  }

  override readInt32(offset: number): number {
    this.check(offset, 4);
    const d = this.data;
    return d[offset] | (d[offset + 1] << 8) | (d[offset + 2] << 16) | (d[offset + 3] << 24);
  }

  // readInt8/16, readUint32, readInt64/Uint64 and readFloat32/64 all go through the checked reads above.

  /** Vector length, refused when the vector could not fit in the rest of the file even at one byte per element. */
  override __vector_len(offset: number): number {
    const lengthAt = offset + this.readInt32(offset);
    const length = this.readInt32(lengthAt);
    this.check(lengthAt + 4, length);
    return length;
  }

  override __string(offset: number, encoding?: Encoding): string | Uint8Array {
    const start = offset + this.readInt32(offset);
    this.check(start + 4, this.readInt32(start));
    return super.__string(offset, encoding);
  }

  /** Start of a vector's elements after checking that `length` elements of `elementSize` bytes fit. */
  checkedVector(offset: number, elementSize: number): { start: number; length: number } {
    const lengthAt = offset + this.readInt32(offset);
    const length = this.readInt32(lengthAt);
    this.check(lengthAt + 4, length * elementSize);
    return { start: lengthAt + 4, length };
  }
}
