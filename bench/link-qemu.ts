// The link on an emulated board: the real firmware (startup, UART driver, RX ring, the C link endpoint) with the
// link test application, in QEMU with "-serial pty", driven by BoardClient through SerialTransport as a run does.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SerialTransport } from '../harness/link/serial-transport';

const REPO_ROOT = path.resolve(__dirname, '..');
const RUNTIME_INCLUDE_DIR = path.join(REPO_ROOT, 'native/runtime/include');
const CRC32_SOURCE = path.join(REPO_ROOT, 'native/runtime/src/crc32.c');

export interface QemuLink {
  /** The board's console (the pty), open. */
  serial: SerialTransport;
  /** Closes the port, stops QEMU and deletes the build. */
  stop(): Promise<void>;
}

/**
 * Builds the link test firmware (tests/firmware/protocol_qemu_app.c) for `boardId` with buffers for `inputBytes`
 * and boots it in QEMU. Shared by the link benchmark and tests/harness/link/qemu-link.test.ts.
 */
export async function startQemuLink(boardId: string, inputBytes = 8192): Promise<QemuLink> {
  const board = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'boards', `${boardId}.json`), 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-bench-link-'));
  const core = path.join(REPO_ROOT, 'firmware/core');
  const cmake = (args: string[]) => {
    try {
      execFileSync('cmake', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`cmake ${args[0]} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    }
  };
  cmake(['-S', path.join(REPO_ROOT, 'firmware'), '-B', dir, `-DMCB_BOARD=${boardId}`,
    `-DMCB_APP_SOURCES=${path.join(REPO_ROOT, 'tests/firmware/protocol_qemu_app.c')}`,
    `-DMCB_EXTRA_SOURCES=${[...['protocol.c', 'link.c', 'link_port.c'].map((f) => path.join(core, f)), CRC32_SOURCE].join(';')}`,
    `-DMCB_EXTRA_INCLUDE_DIRS=${RUNTIME_INCLUDE_DIR}`,
    `-DMCB_EXTRA_DEFINITIONS=MCB_TEST_INPUT_CAP=${inputBytes};MCB_TEST_OUTPUT_CAP=${Math.floor(inputBytes / 2) + 4}`]);
  cmake(['--build', dir, '-j2']);
  const args = ['-M', board.qemu.machine, '-cpu', board.qemu.cpu, '-display', 'none', '-monitor', 'none', '-serial', 'pty', ...board.qemu.extraArgs, '-kernel', path.join(dir, 'firmware.elf')];
  const qemu: ChildProcess = spawn('qemu-system-arm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  qemu.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ptyPath = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`QEMU printed no pty line in 10 s: ${err}`)), 10_000);
    qemu.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /char device redirected to (\S+) \(label serial0\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    qemu.on('exit', (code) => reject(new Error(`QEMU exited (${code}): ${err}`)));
  });
  const serial = new SerialTransport({ path: ptyPath });
  await serial.open();
  return {
    serial,
    async stop() {
      await serial.close(); // before QEMU goes, or the Node process can hang on the open port
      qemu.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
