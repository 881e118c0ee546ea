// Test support: a launched target with its console opened as a plain SerialPort, in the order BoardSession keeps
// (paused launch → open the port → resume), so tests see every byte the firmware sends from its reset vector.
import { SerialPort } from 'serialport';
import type { ResolvedBoard } from '../../../harness/boards';
import { launchTarget, type Target, type TargetLaunchOptions } from '../../../harness/targets';

export type LaunchStage = 'launched' | 'port-open' | 'running';

export interface TargetWithConsole {
  target: Target;
  port: SerialPort;
  /** Closes the port, then stops the target. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startWithConsole(board: ResolvedBoard, elf: string, options: TargetLaunchOptions = {},
  onStage?: (stage: LaunchStage) => void): Promise<TargetWithConsole> {
  const target = await launchTarget(board, elf, { ...options, paused: true });
  onStage?.('launched');
  const port = new SerialPort({ path: target.consolePath, baudRate: board.board.uart.baud, autoOpen: false });
  const stop = async (): Promise<void> => {
    // Close first: a port left open on a pty whose QEMU has gone can keep Node alive.
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await target.stop();
  };
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    onStage?.('port-open');
    await target.resume();
  } catch (err) {
    await stop();
    throw err;
  }
  onStage?.('running');
  return { target, port, stop };
}
