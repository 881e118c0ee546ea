import { main } from '../../../../harness/cli/main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out += String(chunk); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err += String(chunk); return true; });
  try {
    const code = await main(['node', 'mcubench', ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('mcubench boards', () => {
  it('lists every board with its chip limits and where it runs', async () => {
    const { code, out } = await run(['boards', '--no-scan']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^board\s+type\s+chip\s+core\s+SRAM\s+flash\s+clock\s+runs on$/);
    expect(lines).toContainEqual(expect.stringMatching(/^emu-f405\s+qemu\s+stm32f405\s+cortex-m4\s+192 KB \(64 KB CCM\)\s+1024 KB\s+168 MHz\s+qemu netduinoplus2$/));
    expect(lines).toContainEqual(expect.stringMatching(/^stm32f746g-disco\s+mcu\s+stm32f746\s+cortex-m7\s+320 KB\s+1024 KB\s+216 MHz\s+stlink$/));
    expect(lines).toContainEqual(expect.stringMatching(/^nucleo-f412zg\s+mcu\s+stm32f412\s+cortex-m4\s+256 KB\s+1024 KB\s+100 MHz\s+stlink$/));
    expect(lines[lines.length - 1]).toBe('attached ST-LINK probes: not scanned (--no-scan)');
  });

  it('prints the resolved boards as JSON', async () => {
    const { code, out } = await run(['boards', '--json', '--no-scan']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { boards: { id: string; linkRegions: { name: string; origin: number }[] }[] };
    expect(parsed.boards.map((b) => b.id)).toEqual(['emu-f405', 'emu-f412', 'emu-f746', 'nucleo-f412zg', 'stm32f746g-disco']);
    expect(parsed.boards[2].linkRegions[0]).toEqual({ name: 'FLASH', origin: 0, size: 1048576 });
  });

  it('says whether the USB scan ran instead of claiming no probe is attached', async () => {
    const { code, out } = await run(['boards']);
    expect(code).toBe(0);
    expect(out).toMatch(/attached ST-LINK probes: (none|not scanned \(.+\)|.*ST-LINK.*)\n$/);
  });
});
