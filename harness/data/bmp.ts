// Minimal reader for uncompressed Windows BMP (8-bit palette, 24- and 32-bit), enough for the TFLM test images,
// which sharp/libvips cannot open.
export interface RawImage { data: Uint8Array; width: number; height: number; channels: 1 | 3; }

export function decodeBmp(buf: Uint8Array): RawImage {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 54 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new Error('not a BMP file (no BM signature)');
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bpp = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  if (compression !== 0) throw new Error(`BMP compression ${compression} is not supported (only uncompressed)`);
  if (![8, 24, 32].includes(bpp)) throw new Error(`BMP with ${bpp} bits per pixel is not supported`);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0 || width * height > 1 << 26) throw new Error(`BMP size ${width}x${rawHeight} is not plausible`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > buf.length) throw new Error('BMP pixel data is truncated');
  const bottomUp = rawHeight > 0; // positive height: first stored row is the bottom one
  const row = (y: number): number => dataOffset + (bottomUp ? height - 1 - y : y) * stride;
  if (bpp === 8) {
    const paletteAt = 14 + headerSize;
    const palette = (i: number): [number, number, number] => [buf[paletteAt + i * 4 + 2], buf[paletteAt + i * 4 + 1], buf[paletteAt + i * 4]];
    const gray = Array.from({ length: 256 }, (_, i) => paletteAt + i * 4 + 3 < dataOffset ? palette(i) : [i, i, i])
      .every(([r, g, b], i) => r === i && g === i && b === i);
    const data = new Uint8Array(width * height * (gray ? 1 : 3));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = buf[row(y) + x];
        if (gray) data[y * width + x] = p;
        else data.set(palette(p), (y * width + x) * 3);
      }
    }
    return { data, width, height, channels: gray ? 1 : 3 };
  }
  const bytes = bpp / 8;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = row(y) + x * bytes; // stored B, G, R
      data.set([buf[at + 2], buf[at + 1], buf[at]], (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}
