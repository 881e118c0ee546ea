// An emulated board as the harness sees a real one: a SerialPort on its console UART, plus a way to stop it.
import { SerialPort } from 'serialport';
import { BoardError, loadBoard, type ResolvedBoard } from '../../boards';
import { QemuInstance, type LaunchOptions } from './qemu-instance';

export interface EmulatedBoard {
  qemu: QemuInstance;
  /** Opened on QEMU's pty exactly as an ST-LINK virtual COM port is opened (the baud rate is ignored by the pty). */
  port: SerialPort;
  /** Closes the port, then ends QEMU. */
  stop(): Promise<void>;
}

/**
 * Launches QEMU paused, opens the serial port, then starts the CPU, so no byte the firmware sends at boot is lost
 * (QEMU drops pty output while no one has the pty open).
 */
export async function startEmulatedBoard(board: string | ResolvedBoard, elf: string, options: LaunchOptions = {}): Promise<EmulatedBoard> {
  const resolved = typeof board === 'string' ? loadBoard(board) : board;
  const qemu = await QemuInstance.launch(resolved, elf, { ...options, paused: true });
  const port = new SerialPort({ path: qemu.ptyPath, baudRate: resolved.board.uart.baud, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    await qemu.resume();
  } catch (err) {
    await closePort(port);
    await qemu.stop();
    throw new BoardError(`could not connect to emulated board '${resolved.board.id}' on ${qemu.ptyPath}: ${(err as Error).message}`);
  }
  return {
    qemu,
    port,
    async stop() {
      // Close first: a port left open on a pty whose QEMU has gone can keep Node alive (pitfall 2).
      await closePort(port);
      await qemu.stop();
    },
  };
}

function closePort(port: SerialPort): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}
