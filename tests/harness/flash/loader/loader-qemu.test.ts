// The flash loader's own bytes on a real Cortex-M4 model: QEMU's netduinoplus2 (STM32F405), driven through its
// gdbstub. QEMU does not model the STM32 flash controller (its flash is ROM), so the "flash" here is SRAM and the
// FLASH interface is a block of SRAM the test controls (SR reads what the test wrote): this proves the
// instruction-level behaviour (buffer handshake, word copy, BSY and error-flag tests, CRC-32) independently of the
// simulator's Thumb interpreter, which runs the same bytes against the modelled controller in the other tests.
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hostCrc32 } from '../../../../harness/flash/algorithms/ram-loader';
import { flashLoaderImage } from '../../../../harness/flash/loader/flash-loader';
import { spawnChild } from '../../../../harness/process/children';
import { imageBytes } from '../stlink/sim-fixture';
import { GdbRemote } from './gdb-remote';

const BASE = 0x20000000; // loader code
const PARAMS = BASE + 0x100;
const BUFFERS = [BASE + 0x400, BASE + 0x1400];
const FAKE_FLASH_IF = BASE + 0x8000; // SR at +0x0C, CR at +0x10
const DEST = BASE + 0x10000; // stands in for flash

let qemu: ChildProcess;
let gdb: GdbRemote;
let bkpts: number[];

const le = (...values: number[]) => new Uint8Array(Uint32Array.from(values).buffer);
const word = (bytes: Uint8Array, at = 0) => Buffer.from(bytes).readUInt32LE(at);

beforeAll(async () => {
  const socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-gdb-')), 'gdb.sock');
  qemu = spawnChild('qemu-system-arm', ['-M', 'netduinoplus2', '-display', 'none', '-serial', 'null', '-monitor', 'none', '-S',
    '-chardev', `socket,id=gdb,path=${socket},server=on,wait=off`, '-gdb', 'chardev:gdb'], { stdio: 'ignore' });
  gdb = await GdbRemote.connect(socket);
  const { code } = flashLoaderImage();
  await gdb.writeMemory(BASE, code);
  bkpts = [];
  for (let at = 0; at + 1 < code.length; at += 2) if (code[at + 1] === 0xbe && code[at] <= 1) bkpts.push(BASE + at);
  for (const at of bkpts) await gdb.breakpoint(at);
}, 30000);

afterAll(() => {
  gdb?.close();
  qemu?.kill('SIGKILL');
});

async function start(entry: number, registers: Array<[number, number]>): Promise<void> {
  await gdb.setRegisters([...registers, [GdbRemote.XPSR, 1 << 24], [15, BASE + entry]]);
}

describe('the flash loader on QEMU netduinoplus2 (Cortex-M4), through its gdbstub', () => {
  it('has exactly the three BKPTs of the source (stop, error, CRC done)', () => {
    expect(bkpts).toHaveLength(3);
  });

  it('CRC entry: the CPU computes zlib\'s CRC-32 over 3000 bytes', async () => {
    const data = imageBytes(3000, 41);
    await gdb.writeMemory(DEST, data);
    await start(flashLoaderImage().crcEntry, [[0, DEST], [1, data.length]]);
    expect(await gdb.continue()).toMatch(/^T05/);
    expect(bkpts).toContain(await gdb.register(15));
    expect(await gdb.register(0)).toBe(hostCrc32(data));
  }, 30000);

  it('PROGRAM entry: takes buffer 0 then 1, copies every word, turns PG off (CR 0) and frees each, stops on request', async () => {
    const data = [imageBytes(4096, 42), imageBytes(1024, 43)];
    await gdb.writeMemory(FAKE_FLASH_IF, new Uint8Array(0x20)); // SR = 0: never busy, no errors
    await gdb.writeMemory(DEST, new Uint8Array(8192));
    await gdb.writeMemory(BUFFERS[0], data[0]);
    await gdb.writeMemory(BUFFERS[1], data[1]);
    await gdb.writeMemory(PARAMS, le(FAKE_FLASH_IF, 0, 1, DEST, 4096, BUFFERS[0], 1, DEST + 4096, 1024, BUFFERS[1]));
    await start(flashLoaderImage().programEntry, [[0, PARAMS]]);
    const stopped = gdb.continue();
    await new Promise((resolve) => setTimeout(resolve, 300));
    gdb.interrupt(); // the loader now waits on buffer 0 again
    expect(await stopped).toMatch(/^T0[25]/);
    const params = await gdb.readMemory(PARAMS, 0x28);
    expect([word(params, 8), word(params, 24)]).toEqual([0, 0]); // both buffers handed back
    expect(word(params, 4)).toBe(0); // status
    expect(Buffer.from(await gdb.readMemory(DEST, 5120)).equals(Buffer.concat([data[0], data[1]]))).toBe(true);
    expect(word(await gdb.readMemory(FAKE_FLASH_IF + 0x10, 4))).toBe(0); // CR back to 0 (PG off)
    await gdb.writeMemory(PARAMS + 8, le(2)); // stop
    expect(await gdb.continue()).toMatch(/^T05/);
    expect(await gdb.register(15)).toBe(bkpts[0]); // BKPT #0 of the stop path
  }, 30000);

  it('PROGRAM entry: stops at the first word when FLASH_SR shows an error flag, with SR as the status', async () => {
    await gdb.writeMemory(FAKE_FLASH_IF, le(0, 0, 0, 0x40)); // SR = PGPERR
    await gdb.writeMemory(PARAMS, le(FAKE_FLASH_IF, 0, 1, DEST, 64, BUFFERS[0], 0, 0, 0, BUFFERS[1]));
    await start(flashLoaderImage().programEntry, [[0, PARAMS]]);
    expect(await gdb.continue()).toMatch(/^T05/);
    expect(await gdb.register(15)).toBe(bkpts[1]); // BKPT #1 of the error path
    expect(word(await gdb.readMemory(PARAMS + 4, 4))).toBe(0x40);
  }, 30000);
});
