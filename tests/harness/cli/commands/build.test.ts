import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../../harness/cli/main';

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
    expect(out).toMatch(/emu-f412\.elf \(emu-f412(, cached)?\): text \d+ {2}data \d+ {2}bss \d+ {2}model 0 bytes/);
  });

  it('turns a link overflow into a one-line "does not fit" message', async () => {
    const { code, err } = await run(['build', '--board', 'emu-f405', '--arena-size', String(192 * 1024), '--out', path.join(outDir, 'x.elf')]);
    expect(code).toBe(1);
    expect(err).toMatch(/^mcubench: firmware for emu-f405 does not fit: needs \d+ bytes of SRAM, board has 131072 /);
  });

  it('refuses --model until the image packer exists, and bad option values', async () => {
    const model = await run(['build', '--board', 'emu-f746', '--model', 'mcunet-vww0', '--out', path.join(outDir, 'y.elf')]);
    expect(model.code).toBe(1);
    expect(model.err).toMatch(/--model needs the model image packer .* --model-image/);
    const arena = await run(['build', '--board', 'emu-f746', '--arena-size', '1000', '--out', path.join(outDir, 'y.elf')]);
    expect(arena.err).toMatch(/--arena-size 1000 must be a positive multiple of 16/);
    const board = await run(['build', '--board', 'emu-f999', '--out', path.join(outDir, 'y.elf')]);
    expect(board.err).toMatch(/unknown board 'emu-f999'/);
    expect(fs.existsSync(path.join(outDir, 'y.elf'))).toBe(false);
  });
});
