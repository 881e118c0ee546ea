// A growable little-endian byte buffer with alignment padding: the one place the packer turns numbers into bytes.
export class ByteWriter {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  private length = 0;

  get size(): number { return this.length; }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this { this.reserve(1); this.view.setUint8(this.length, v); this.length += 1; return this; }
  u16(v: number): this { this.reserve(2); this.view.setUint16(this.length, v, true); this.length += 2; return this; }
  u32(v: number): this { this.reserve(4); this.view.setUint32(this.length, v >>> 0, true); this.length += 4; return this; }
  i32(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`not an int32: ${v}`);
    this.reserve(4); this.view.setInt32(this.length, v, true); this.length += 4; return this;
  }
  f32(v: number): this { this.reserve(4); this.view.setFloat32(this.length, v, true); this.length += 4; return this; }
  bytes(b: Uint8Array): this { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; return this; }

  /** Zero bytes up to the next multiple of `n`. */
  align(n: number): this {
    const pad = (n - (this.length % n)) % n;
    this.reserve(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
    return this;
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array { return this.buf.slice(0, this.length); }
}
