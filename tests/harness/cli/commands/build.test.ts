import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { main } from '../../../../harness/cli/main';
import { loadModel } from '../../../../harness/model';
import { packImage } from '../../../../harness/pack/pack-image';
import { selectSchedule } from '../../../../harness/pack/select-schedule';
import { REPO_ROOT } from '../../../support/paths';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out += String(chunk); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err += String(chunk); return true; });
  try {
    return { code: await main(['node', 'mcubench', ...args]), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('mcubench build', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-cli-build-'));
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('writes the ELF and the .bin beside it and prints the sizes', async () => {
    const elf = path.join(outDir, 'emu-f412.elf');
    const { code, out } = await run(['build', '--board', 'emu-f412', '--out', elf]);
    expect(code).toBe(0);
    expect(fs.readFileSync(elf).readUInt32BE(0)).toBe(0x7f454c46);
    expect(fs.existsSync(path.join(outDir, 'emu-f412.bin'))).toBe(true);
    expect(out).toMatch(/emu-f412\.elf \(emu-f412, -O2(, cached)?\): text \d+ {2}data \d+ {2}bss \d+ {2}model 0 bytes/);
  });

  it('turns a link overflow into a one-line "does not fit" message', async () => {
    const { code, err } = await run(['build', '--board', 'emu-f405', '--arena-size', String(192 * 1024), '--out', path.join(outDir, 'x.elf')]);
    expect(code).toBe(1);
    expect(err).toMatch(/^mcubench: firmware for emu-f405 does not fit: needs \d+ bytes of SRAM, board has 131072 /);
  });

  it('builds the bench firmware with a planned, packed model for a real board (no board needed to build)', async () => {
    const elf = path.join(outDir, 'nucleo-person.elf');
    const model = path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite');
    const { code, out, err } = await run(['build', '--board', 'nucleo-f412zg', '--model', model, '--schedule', 'patch', '--split', '8', '--patches', '4', '--out', elf]);
    expect(err).toBe('');
    expect(code).toBe(0);
    // The .model flash section holds exactly the image the packer makes for that plan.
    const graph = loadModel(model);
    const image = packImage(graph, selectSchedule(graph, { schedule: 'patch', split: 8, patches: 4 }));
    const modelBytes = Number(/model (\d+) bytes/.exec(out)![1]);
    expect(modelBytes).toBeGreaterThanOrEqual(image.bytes.length);
    expect(modelBytes - image.bytes.length).toBeLessThan(16); // section padding only
    const objcopy = spawnSync('arm-none-eabi-objcopy', ['-O', 'binary', '--only-section=.model', elf, path.join(outDir, 'model.bin')]);
    expect(objcopy.status).toBe(0);
    expect(Buffer.compare(fs.readFileSync(path.join(outDir, 'model.bin')).subarray(0, image.bytes.length), Buffer.from(image.bytes))).toBe(0);
  });

  it('refuses mixed or incomplete options and bad values', async () => {
    const mixed = await run(['build', '--board', 'emu-f746', '--model', 'person_detect', '--arena-size', '4096', '--out', path.join(outDir, 'y.elf')]);
    expect(mixed.code).toBe(1);
    expect(mixed.err).toMatch(/--model plans the arena and packs the image itself/);
    const patch = await run(['build', '--board', 'emu-f746', '--model', 'person_detect', '--schedule', 'patch', '--split', '8', '--out', path.join(outDir, 'y.elf')]);
    expect(patch.err).toMatch(/--split and --patches go together/);
    const arena = await run(['build', '--board', 'emu-f746', '--arena-size', '1000', '--out', path.join(outDir, 'y.elf')]);
    expect(arena.err).toMatch(/--arena-size 1000 must be a positive multiple of 16/);
    const board = await run(['build', '--board', 'emu-f999', '--out', path.join(outDir, 'y.elf')]);
    expect(board.err).toMatch(/unknown board 'emu-f999'/);
    expect(fs.existsSync(path.join(outDir, 'y.elf'))).toBe(false);
  });
});
