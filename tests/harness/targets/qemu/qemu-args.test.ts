import { BoardError, loadBoard } from '../../../../harness/boards';
import { formatCommand, qemuArgs } from '../../../../harness/targets';

describe('qemuArgs', () => {
  it('builds the netduinoplus2 command line for emu-f405, paused, with pty serial, QMP and icount', () => {
    const args = qemuArgs(loadBoard('emu-f405'), { elf: '/tmp/fw.elf', qmpSocket: '/tmp/q.sock', paused: true });
    expect(args).toEqual([
      '-M', 'netduinoplus2', '-cpu', 'cortex-m4', '-display', 'none', '-monitor', 'none', '-serial', 'pty',
      '-qmp', 'unix:/tmp/q.sock,server=on,wait=off', '-icount', 'shift=0,sleep=on', '-no-reboot', '-S', '-kernel', '/tmp/fw.elf',
    ]);
    expect(formatCommand(args)).toBe('qemu-system-arm -M netduinoplus2 -cpu cortex-m4 -display none -monitor none -serial pty ' +
      '-qmp unix:/tmp/q.sock,server=on,wait=off -icount shift=0,sleep=on -no-reboot -S -kernel /tmp/fw.elf');
  });

  it('uses the machine and CPU of each emulated board and leaves out -S when not paused', () => {
    const an500 = qemuArgs(loadBoard('emu-f746'), { elf: 'a.elf', qmpSocket: 's', paused: false });
    expect(an500.slice(0, 4)).toEqual(['-M', 'mps2-an500', '-cpu', 'cortex-m7']);
    expect(an500).not.toContain('-S');
    expect(qemuArgs(loadBoard('emu-f412'), { elf: 'a.elf', qmpSocket: 's', paused: false }).slice(0, 4)).toEqual(['-M', 'mps2-an386', '-cpu', 'cortex-m4']);
  });

  it('refuses a real board', () => {
    expect(() => qemuArgs(loadBoard('nucleo-f412zg'), { elf: 'a.elf', qmpSocket: 's', paused: true })).toThrow(BoardError);
  });
});
