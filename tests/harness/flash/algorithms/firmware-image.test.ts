// The ELF32 program-header reader against binutils (readelf, objcopy) on a real gcc-built image, and its refusals.
import * as fs from 'fs';
import { loadFirmwareImage, readElfSegments, toWordBlocks } from '../../../../harness/flash/algorithms/firmware-image';
import { FlashError } from '../../../../harness/flash/probe';
import { writeTempFile } from '../stlink/sim-fixture';
import { buildArmElf } from './arm-elf-fixture';

describe('readElfSegments', () => {
  const fixture = buildArmElf();
  const elf = fs.readFileSync(fixture.elf);

  it('returns the PT_LOAD segments readelf lists, at their physical addresses, with the file bytes', () => {
    const segments = readElfSegments(elf, 'fw.elf');
    expect(segments.map((s) => ({ paddr: s.address, filesz: s.data.length }))).toEqual(fixture.loads.map((l) => ({ paddr: l.paddr, filesz: l.filesz })));
    fixture.loads.forEach((load, i) => expect(Buffer.from(segments[i].data).equals(elf.subarray(load.offset, load.offset + load.filesz))).toBe(true));
    // .data is linked in RAM but loaded from flash: its segment is at a flash (physical) address.
    expect(segments.every((s) => s.address >= 0x08000000 && s.address < 0x08100000)).toBe(true);
  });

  it('merged into word blocks, it reproduces objcopy -O binary byte for byte', () => {
    const blocks = toWordBlocks(readElfSegments(elf, 'fw.elf'), 'fw.elf');
    const flat = fs.readFileSync(fixture.bin);
    expect(blocks).toHaveLength(1);
    expect(blocks[0].address).toBe(0x08000000);
    expect(Buffer.from(blocks[0].data.subarray(0, flat.length)).equals(flat)).toBe(true);
    expect(blocks[0].data.length - flat.length).toBeLessThan(4); // only word padding
  });

  it('refuses truncated or foreign files with the reason', () => {
    const fail = (bytes: Uint8Array) => { try { readElfSegments(bytes, 'bad.elf'); return ''; } catch (e) { expect(e).toBeInstanceOf(FlashError); return (e as Error).message; } };
    expect(fail(elf.subarray(0, 40))).toBe('bad.elf: ELF header truncated (40 bytes, need 52)');
    const tableCut = elf.subarray(0, elf.readUInt32LE(28) + 10);
    expect(fail(tableCut)).toMatch(/^bad\.elf: program header table \(\d+ × 32 bytes at 52\) runs past the end of the file/);
    const wrongMachine = Buffer.from(elf);
    wrongMachine.writeUInt16LE(62, 18); // x86-64
    expect(fail(wrongMachine)).toBe('bad.elf: machine 62 is not ARM (40)');
    const hugeSegment = Buffer.from(elf);
    hugeSegment.writeUInt32LE(0x7fffffff, elf.readUInt32LE(28) + 16); // first phdr p_filesz
    expect(fail(hugeSegment)).toMatch(/^bad\.elf: segment 0 \(2147483647 bytes at file offset \d+\) runs past the end of the file$/);
    const elf64 = Buffer.from(elf);
    elf64[4] = 2;
    expect(fail(elf64)).toMatch(/not a 32-bit little-endian ELF/);
  });
});

describe('toWordBlocks and loadFirmwareImage', () => {
  it('pads unaligned segments with the erased value and merges those sharing a word', () => {
    const blocks = toWordBlocks([
      { address: 0x08000006, data: Uint8Array.of(1, 2, 3) },
      { address: 0x08000009, data: Uint8Array.of(4) },
      { address: 0x08000100, data: Uint8Array.of(5, 6, 7, 8) },
    ], 'x');
    expect(blocks.map((b) => [b.address, Array.from(b.data)])).toEqual([
      [0x08000004, [0xff, 0xff, 1, 2, 3, 4, 0xff, 0xff]],
      [0x08000100, [5, 6, 7, 8]],
    ]);
    expect(() => toWordBlocks([{ address: 0x08000000, data: new Uint8Array(8) }, { address: 0x08000004, data: new Uint8Array(4) }], 'x.elf'))
      .toThrow('x.elf: segments at 0x08000000 and 0x08000004 overlap');
  });

  it('places a .bin at the flash base and rejects other non-ELF files', () => {
    const bin = writeTempFile('fw.bin', Uint8Array.of(1, 2, 3, 4));
    expect(loadFirmwareImage(bin, 0x08000000)).toEqual([{ address: 0x08000000, data: Uint8Array.of(1, 2, 3, 4) }]);
    const hex = writeTempFile('fw.hex', Buffer.from(':00000001FF\n'));
    expect(() => loadFirmwareImage(hex, 0x08000000)).toThrow(/fw\.hex: neither an ELF file nor a \.bin/);
    expect(() => loadFirmwareImage('/nonexistent/fw.elf', 0x08000000)).toThrow(/cannot read firmware '\/nonexistent\/fw\.elf'/);
  });
});
