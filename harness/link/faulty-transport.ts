// Wraps any Transport and damages the bytes crossing it in either direction (seeded, reproducible), so the
// real serial path can be tested under the same faults as MemoryTransport.
import { FaultInjector, type FaultOptions } from './fault-injector';
import { Listeners } from './listeners';
import type { Transport, Unsubscribe } from './transport';

export interface FaultyTransportOptions {
  /** Damage to bytes written through this wrapper. */
  tx?: FaultOptions;
  /** Damage to bytes received through this wrapper. */
  rx?: FaultOptions;
}

export class FaultyTransport implements Transport {
  readonly tx?: FaultInjector;
  readonly rx?: FaultInjector;
  private readonly data = new Listeners<[Uint8Array]>();

  constructor(private readonly inner: Transport, options: FaultyTransportOptions) {
    this.tx = options.tx ? new FaultInjector(options.tx) : undefined;
    this.rx = options.rx ? new FaultInjector(options.rx) : undefined;
    // One inner listener: every byte is damaged once, whatever the number of listeners here.
    inner.onData((chunk) => {
      const bytes = this.rx ? this.rx.mangle(chunk) : chunk;
      if (bytes.length > 0) this.data.emit(bytes);
    });
  }

  get name(): string {
    return `${this.inner.name} (with injected faults)`;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  get baudRate(): number | undefined {
    return this.inner.baudRate;
  }

  /** Present when the wrapped transport has a line rate. */
  get setBaudRate(): ((baud: number) => Promise<void>) | undefined {
    return this.inner.setBaudRate?.bind(this.inner);
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  write(data: Uint8Array): Promise<void> {
    return this.inner.write(this.tx ? this.tx.mangle(data) : data);
  }

  drain(): Promise<void> {
    return this.inner.drain();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.data.add(listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.inner.onClose(listener);
  }
}
