// Transport over a serial device with the `serialport` package: an ST-LINK virtual COM port on a board, or the
// pty QEMU prints for an emulated one. Only this module touches serialport. Never calls SerialPort.list(): it
// spawns udevadm, which is missing on minimal machines (see docs/protocol.md §7).
import { SerialPort } from 'serialport';
import { LinkError } from './link-errors';
import { Listeners } from './listeners';
import type { Transport, Unsubscribe } from './transport';

export interface SerialTransportOptions {
  path: string;
  /** Ignored by ptys; must match the firmware on a real UART. */
  baudRate?: number;
}

export class SerialTransport implements Transport {
  readonly name: string;
  private readonly port: SerialPort;
  private readonly data = new Listeners<[Uint8Array]>();
  private readonly closeListeners = new Listeners<[Error | undefined]>();
  private closedNotified = false;

  constructor(options: SerialTransportOptions) {
    this.name = options.path;
    this.port = new SerialPort({ path: options.path, baudRate: options.baudRate ?? 115200, autoOpen: false });
    this.port.on('data', (chunk: Buffer) => this.data.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    this.port.on('close', (err?: Error | null) => this.notifyClosed(err ?? undefined));
    // serialport errors (read failures, a vanished device) are fatal for the link; an unhandled 'error' would crash.
    this.port.on('error', (err: Error) => this.notifyClosed(err));
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  get baudRate(): number {
    return this.port.baudRate;
  }

  /** Drains what is queued at the old rate, then reprograms the port (a pty accepts and ignores it). */
  async setBaudRate(baud: number): Promise<void> {
    await this.drain();
    await new Promise<void>((resolve, reject) =>
      this.port.update({ baudRate: baud }, (err) => (err ? reject(new LinkError(`cannot set ${this.name} to ${baud} baud: ${err.message}`)) : resolve())));
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.port.open((err) =>
        err
          ? reject(new LinkError(`cannot open serial port ${this.name}: ${err.message}; check the path and that no other program holds the port`))
          : resolve(),
      ),
    );
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (err) =>
        err ? reject(new LinkError(`writing to ${this.name} failed: ${err.message}`)) : resolve(),
      );
    });
  }

  drain(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.port.drain((err) => (err ? reject(new LinkError(`draining ${this.name} failed: ${err.message}`)) : resolve())),
    );
  }

  close(): Promise<void> {
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.data.add(listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.closeListeners.add(listener);
  }

  private notifyClosed(reason: Error | undefined): void {
    if (this.closedNotified) return;
    this.closedNotified = true;
    this.closeListeners.emit(reason);
  }
}
