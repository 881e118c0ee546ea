import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoardError, listBoardIds, loadAllBoards, loadBoard, loadChip } from '../../../harness/boards';
import { REPO_ROOT } from '../../support/paths';

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'boards');
const BOARDS = path.join(REPO_ROOT, 'boards');
const KB = 1024;

function errorOf(fn: () => unknown): BoardError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BoardError);
    expect((err as Error).name).toBe('BoardError');
    return err as BoardError;
  }
  throw new Error('expected a BoardError');
}

/** A scratch boards folder holding real chips and one board edited by `edit`. */
function scratchBoard(base: string, edit: (board: Record<string, any>) => void, id = base): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-boards-'));
  fs.cpSync(path.join(BOARDS, 'chips'), path.join(dir, 'chips'), { recursive: true });
  const board = JSON.parse(fs.readFileSync(path.join(BOARDS, `${base}.json`), 'utf8'));
  edit(board);
  fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(board));
  return dir;
}

describe('boards/*.json', () => {
  it('lists exactly the five boards of the bench', () => {
    expect(listBoardIds()).toEqual(['emu-f405', 'emu-f412', 'emu-f746', 'nucleo-f412zg', 'stm32f746g-disco']);
    expect(loadAllBoards()).toHaveLength(5);
  });

  it('holds the datasheet memory of each chip', () => {
    // STM32F746: DTCM 64 K + SRAM1 240 K + SRAM2 16 K from 0x20000000 (RM0385 2.2.2).
    const f746 = loadChip('stm32f746');
    expect(f746.sram.size).toBe((64 + 240 + 16) * KB);
    expect(f746.sram.regions.map((r) => [r.base, r.size])).toEqual([[0x20000000, 64 * KB], [0x20010000, 240 * KB], [0x2004c000, 16 * KB]]);
    expect(loadChip('stm32f412').sram.size).toBe(256 * KB);
    // STM32F405: SRAM1 112 K + SRAM2 16 K, plus 64 K CCM at 0x10000000 (RM0090 2.3.1).
    const f405 = loadChip('stm32f405');
    expect(f405.sram.size).toBe(128 * KB);
    expect(f405.ccm).toEqual({ base: 0x10000000, size: 64 * KB });
    for (const chip of ['stm32f746', 'stm32f412', 'stm32f405']) expect(loadChip(chip).flash).toMatchObject({ base: 0x08000000, size: 1024 * KB });
  });

  it('links real boards at the chip addresses and emulated ones where their machine has memory', () => {
    expect(loadBoard('stm32f746g-disco').linkRegions).toEqual([
      { name: 'FLASH', origin: 0x08000000, size: 1024 * KB },
      { name: 'SRAM', origin: 0x20000000, size: 320 * KB },
    ]);
    // mps2-an500 has RAM at 0x0 for code and nothing at 0x08000000 (QEMU note, pitfall 12).
    expect(loadBoard('emu-f746').linkRegions).toEqual([
      { name: 'FLASH', origin: 0, size: 1024 * KB },
      { name: 'SRAM', origin: 0x20000000, size: 320 * KB },
    ]);
    expect(loadBoard('emu-f412').linkRegions[1]).toEqual({ name: 'SRAM', origin: 0x20000000, size: 256 * KB });
    // netduinoplus2 models 192 K at 0x20000000 and no CCM: the F405's 64 K CCM is linked into the top 64 K.
    expect(loadBoard('emu-f405').linkRegions).toEqual([
      { name: 'FLASH', origin: 0x08000000, size: 1024 * KB },
      { name: 'SRAM', origin: 0x20000000, size: 128 * KB },
      { name: 'CCM', origin: 0x20020000, size: 64 * KB },
    ]);
  });

  it('names the emulated CPU of each emulated board after its chip', () => {
    for (const { board, chip } of loadAllBoards()) {
      if (board.qemu) expect(board.qemu.cpu).toBe(chip.core);
      expect(board.type === 'qemu').toBe(board.flash.method === 'qemu');
    }
  });
});

describe('broken fixtures', () => {
  it('reports every schema violation of the broken board with file and field', () => {
    const err = errorOf(() => loadBoard('bad-board', FIXTURES));
    expect(err.message).toContain(path.join(FIXTURES, 'bad-board.json'));
    expect(err.message).toContain("field 'clockHz': is required but missing");
    expect(err.message).toContain("field 'clockHZ': is not a known field");
    expect(err.message).toMatch(/field 'uart\.base': must match .*"0x4000400"/);
    expect(err.message).toMatch(/field 'flash\.method': must be one of "stlink", "openocd", "st-flash", "msd", "qemu", got "jlink"/);
    expect(err.message.match(/field '/g)).toHaveLength(4);
  });

  it('reports every schema violation of the broken chip with file and field', () => {
    const err = errorOf(() => loadChip('badchip', FIXTURES));
    expect(err.message).toContain(path.join(FIXTURES, 'chips', 'badchip.json'));
    expect(err.message).toMatch(/field 'core': must be one of "cortex-m4", "cortex-m7", got "cortex-m33"/);
    expect(err.message).toMatch(/field 'flash\.size': must be an integer, got the string "1M"/);
    expect(err.message.match(/field '/g)).toHaveLength(2);
  });
});

describe('consistency checks beyond the schema', () => {
  it('refuses an unknown board id and lists the known ones', () => {
    expect(errorOf(() => loadBoard('nucleo-f999')).message).toMatch(/unknown board 'nucleo-f999'.*known boards: emu-f405, emu-f412/);
  });

  it('refuses a file whose id differs from its name', () => {
    const dir = scratchBoard('emu-f746', () => undefined, 'emu-f747');
    expect(errorOf(() => loadBoard('emu-f747', dir)).message).toMatch(/emu-f747\.json: field 'id' is 'emu-f746' but the file is named 'emu-f747\.json'/);
  });

  it('refuses a chip region linked outside the emulated machine memory', () => {
    // 128 K SRAM at 0x20020000 ends at 0x20040000, past netduinoplus2's 192 K.
    const dir = scratchBoard('emu-f405', (b) => { b.qemu.linkAddresses.sram = '0x20020000'; b.qemu.linkAddresses.ccm = '0x20000000'; });
    expect(errorOf(() => loadBoard('emu-f405', dir)).message).toMatch(/field 'qemu\.linkAddresses\.sram' SRAM \(131072 bytes at 0x20020000\) is not inside any of qemu\.machineMemory/);
  });

  it('requires a link address for the CCM of a chip that has one', () => {
    const dir = scratchBoard('emu-f405', (b) => { delete b.qemu.linkAddresses.ccm; });
    expect(errorOf(() => loadBoard('emu-f405', dir)).message).toMatch(/field 'qemu\.linkAddresses\.ccm' is required: chip stm32f405 has CCM/);
  });

  it('refuses a CPU clock above the chip maximum', () => {
    const dir = scratchBoard('nucleo-f412zg', (b) => { b.clockHz = 120000000; });
    expect(errorOf(() => loadBoard('nucleo-f412zg', dir)).message).toMatch(/field 'clockHz' 120000000 exceeds stm32f412's maximum of 100000000/);
  });

  it('refuses DWT timing on an emulated board (QEMU does not model it)', () => {
    const dir = scratchBoard('emu-f412', (b) => { b.timer = 'dwt'; });
    expect(errorOf(() => loadBoard('emu-f412', dir)).message).toMatch(/field 'timer' QEMU does not model DWT/);
  });

  it('refuses an emulated CPU that differs from the chip core', () => {
    const dir = scratchBoard('emu-f746', (b) => { b.qemu.cpu = 'cortex-m4'; });
    expect(errorOf(() => loadBoard('emu-f746', dir)).message).toMatch(/field 'qemu\.cpu' is cortex-m4 but chip stm32f746 has a cortex-m7/);
  });

  it('refuses a file that is not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-boards-'));
    fs.writeFileSync(path.join(dir, 'emu-x.json'), '{ "id": "emu-x", }');
    expect(errorOf(() => loadBoard('emu-x', dir)).message).toMatch(/emu-x\.json: not valid JSON/);
  });
});
