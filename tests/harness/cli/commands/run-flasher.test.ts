// `mcubench run --flasher`: the choice reaches the real-board target; an emulated board refuses it before
// anything is built.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../../../support/paths';

const CLI = path.join(REPO_ROOT, 'bin', 'mcubench.js');

function mcubench(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { cwd: REPO_ROOT, timeout: 60000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

describe('mcubench run --flasher', () => {
  it('refuses a flasher for an emulated board before building anything, and an unknown flasher by its choices', async () => {
    const inputs = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-run-flasher-'));
    fs.writeFileSync(path.join(inputs, 'a.bin'), new Uint8Array(4));
    const model = fs.readdirSync(path.join(REPO_ROOT, 'demo', 'models')).find((f) => f.endsWith('.tflite'))!;
    const emulated = await mcubench(['run', '--board', 'emu-f412', '--model', model, '--inputs', inputs, '--flasher', 'openocd', '--out', path.join(inputs, 'out')]);
    expect(emulated.code).toBe(1);
    expect(emulated.err).toContain("mcubench: board 'emu-f412' is emulated: QEMU loads the ELF itself, so there is no flasher to choose");
    expect(emulated.err).not.toMatch(/\n\s+at /); // a user error: no stack trace
    const unknown = await mcubench(['run', '--board', 'nucleo-f412zg', '--model', model, '--inputs', inputs, '--flasher', 'jlink']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain("argument 'jlink' is invalid. Allowed choices are stlink, openocd, st-flash, msd.");
  });
});
