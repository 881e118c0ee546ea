// An emulated board as a Target: the real firmware in qemu-system-arm, its console UART on a pty.
import type { ResolvedBoard } from '../../boards';
import type { Target, TargetKind, TargetLaunchOptions } from '../target';
import { QemuInstance } from './qemu-instance';

export class QemuTarget implements Target {
  readonly latencyUnit = 'instructions' as const;

  private constructor(readonly qemu: QemuInstance) {}

  static async launch(board: ResolvedBoard, elf: string, options: TargetLaunchOptions = {}): Promise<QemuTarget> {
    return new QemuTarget(await QemuInstance.launch(board, elf, { paused: options.paused ?? true }));
  }

  get board(): ResolvedBoard {
    return this.qemu.board;
  }

  get consolePath(): string {
    return this.qemu.ptyPath;
  }

  get pid(): number | undefined {
    return this.qemu.pid;
  }

  get instance(): string {
    return `qemu pid ${this.pid}`;
  }

  get description(): string {
    return `${this.board.board.id} (QEMU ${this.board.board.qemu?.machine}, pid ${this.pid}, console ${this.consolePath})`;
  }

  resume(): Promise<void> {
    return this.qemu.resume();
  }

  /** QMP system_reset: the guest restarts from its reset vector, as the reset button would do. */
  async reset(): Promise<void> {
    await this.qemu.systemReset();
  }

  async stop(): Promise<void> {
    await this.qemu.stop();
  }

  exitNote(): string | undefined {
    const exit = this.qemu.exit;
    return exit ? this.qemu.describeExit(exit).message.split('\n')[0] : undefined;
  }
}

export const qemuTargetKind: TargetKind = {
  methods: ['qemu'],
  launch: (board, elf, options) => QemuTarget.launch(board, elf, options),
  notProgrammable: 'an emulated board has no flash to program: it gets the ELF when QEMU is launched ' +
    '(mcubench run --board <id> builds the firmware and starts QEMU with it)',
};
