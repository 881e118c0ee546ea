// The link on an emulated board: the C endpoint built into the real firmware (startup, UART driver, RX ring, port)
// for emu-f746 with tests/firmware/protocol_qemu_app.c as the application, run in QEMU with "-serial pty", and
// driven by BoardClient through SerialTransport, as the runner will do it.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FaultyTransport } from '../../../harness/link/faulty-transport';
import { crc32Of } from '../../../harness/link/frame-codec';
import { BoardClient } from '../../../harness/link/protocol-client';
import { SerialTransport } from '../../../harness/link/serial-transport';
import { REPO_ROOT } from '../../support/paths';
import { makeBuildDir, removeBuildDirs } from '../../firmware/protocol-build';
import { CRC32_SOURCE, RUNTIME_INCLUDE_DIR } from '../../support/c-build';
import { fakeOutput } from './support/fake-board';

const BOARD = 'emu-f746';
const board = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'boards', `${BOARD}.json`), 'utf8'));
let qemu: ChildProcess | undefined;
let serial: SerialTransport | undefined;

function buildFirmware(): string {
  const dir = makeBuildDir('mcb-link-qemu-');
  const core = path.join(REPO_ROOT, 'firmware/core');
  const run = (args: string[]) => {
    try {
      execFileSync('cmake', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`cmake ${args[0]} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    }
  };
  run(['-S', path.join(REPO_ROOT, 'firmware'), '-B', dir, `-DMCB_BOARD=${BOARD}`,
    `-DMCB_APP_SOURCES=${path.join(REPO_ROOT, 'tests/firmware/protocol_qemu_app.c')}`,
    `-DMCB_EXTRA_SOURCES=${[...['protocol.c', 'link.c', 'link_port.c'].map((f) => path.join(core, f)), CRC32_SOURCE].join(';')}`,
    `-DMCB_EXTRA_INCLUDE_DIRS=${RUNTIME_INCLUDE_DIR}`]);
  run(['--build', dir, '-j2']);
  return path.join(dir, 'firmware.elf');
}

function startQemu(elf: string): Promise<string> {
  const args = ['-M', board.qemu.machine, '-cpu', board.qemu.cpu, '-display', 'none', '-monitor', 'none', '-serial', 'pty', ...board.qemu.extraArgs, '-kernel', elf];
  const proc = spawn('qemu-system-arm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  qemu = proc;
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`QEMU printed no pty line in 10 s: ${err}`)), 10_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /char device redirected to (\S+) \(label serial0\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`QEMU exited (${code}): ${err}`)));
  });
}

afterAll(async () => {
  await serial?.close(); // close before QEMU goes, or the Node process can hang on the open port
  qemu?.kill('SIGTERM');
  removeBuildDirs();
});

describe(`link on ${BOARD} in QEMU`, () => {
  it('says hello and returns correct outputs, also through injected faults', async () => {
    const ptyPath = await startQemu(buildFirmware());
    serial = new SerialTransport({ path: ptyPath });
    const faulty = new FaultyTransport(serial, { tx: { seed: 21, drop: 0.0003, flip: 0.0003 }, rx: { seed: 22, flip: 0.0003, garbage: 0.0003 } });
    await faulty.open();
    const client = new BoardClient(faulty, { replyTimeoutMs: 200, perByteMs: 0.1, runTimeoutMs: 2000, retries: 10, maxChunk: 256 });
    const ack = await client.hello();
    expect(ack).toMatchObject({ boardId: BOARD, coreClockHz: board.clockHz, firmwareVersion: 'qemu-link-test', rxBufferSize: 1024, maxPayload: 1024, inputCapacity: 8192 });
    for (const [sample, length] of [[0, 0], [1, 1500], [2, 8192]]) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 29 + sample) & 0xff);
      const { output, stats } = await client.runSample(sample, input);
      const expected = fakeOutput(input);
      expect(Buffer.from(output).equals(Buffer.from(expected))).toBe(true);
      expect(stats).toMatchObject({ sample, outputLength: expected.length, outputCrc: crc32Of(expected), arenaHighWater: length });
    }
    expect(faulty.tx!.total + faulty.rx!.total).toBeGreaterThan(0);
  });
});
