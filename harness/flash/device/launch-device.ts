// A real board as the harness sees an emulated one (startEmulatedBoard): a SerialPort on its console UART plus a
// way to stop it, and reset()/close()/description so a runner can drive either kind alike.
import type { SerialPort as SerialPortType } from 'serialport';
import { SerialPort } from 'serialport';
import { BoardError, type ResolvedBoard } from '../../boards';
import { DeviceInstance, type DeviceLaunchOptions } from './device-instance';

export interface LaunchDeviceOptions extends Omit<DeviceLaunchOptions, 'paused'> {
  boardId: string | ResolvedBoard;
  /** firmware.elf (or .bin) from `mcubench build --board <id>`. */
  elf: string;
  /** Milestones, for progress notes: flashed (core halted), port-open, running. */
  onStage?: (stage: LaunchStage) => void;
}

export type LaunchStage = 'flashed' | 'port-open' | 'running';

/** The shape EmulatedBoard has (`port`, `stop()`), with `device` in place of `qemu`, plus what both kinds can do. */
export interface DeviceBoard {
  device: DeviceInstance;
  /** Opened on the ST-Link virtual COM port at the board's baud rate, before the firmware started. */
  port: SerialPortType;
  serialPath: string;
  baudRate: number;
  description: string;
  /** Restarts the firmware through the probe; the port stays open, so the boot output arrives on it. */
  reset(): Promise<void>;
  /** Closes the port, then releases the board. Safe to call twice. */
  close(): Promise<void>;
  /** Same as close(): the name EmulatedBoard uses. */
  stop(): Promise<void>;
}

/**
 * Flashes the board (core left halted), opens its serial port, then starts the firmware, so no byte it sends at
 * boot is lost: the same order startEmulatedBoard keeps with QEMU's -S.
 */
export async function launchDevice(options: LaunchDeviceOptions): Promise<DeviceBoard> {
  const device = await DeviceInstance.launch(options.boardId, options.elf, { ...options, paused: true });
  options.onStage?.('flashed');
  const port = new SerialPort({ path: device.serialPath, baudRate: device.baudRate, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    options.onStage?.('port-open');
    await device.resume();
  } catch (err) {
    await closePort(port);
    await device.stop();
    throw new BoardError(`could not start board '${device.board.board.id}' on ${device.serialPath}: ${(err as Error).message}`);
  }
  options.onStage?.('running');
  const close = async (): Promise<void> => {
    await closePort(port);
    await device.stop();
  };
  return {
    device,
    port,
    serialPath: device.serialPath,
    baudRate: device.baudRate,
    description: device.description,
    reset: () => device.reset(),
    close,
    stop: close,
  };
}

function closePort(port: SerialPortType): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}
