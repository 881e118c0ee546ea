// An in-process pair of Transports for tests, the twin of SerialTransport (like serialport's binding-mock):
// bytes written at one end arrive at the other after an optional delay, optionally damaged by a seeded
// FaultInjector, and disconnect() pulls the plug on both ends.
import { FaultInjector, type FaultOptions } from './fault-injector';
import { Listeners } from './listeners';
import type { Transport, Unsubscribe } from './transport';

export interface MemoryEndOptions {
  name?: string;
  /** Damage applied to the bytes this end sends. */
  faults?: FaultOptions;
  /** Delay before bytes this end sends arrive, in ms (0: next turn of the event loop). */
  delayMs?: number;
}

export class MemoryTransport implements Transport {
  readonly name: string;
  /** Damage done so far to bytes sent from this end (undefined without faults). */
  readonly faults?: FaultInjector;
  /** Every chunk this end wrote, undamaged, in order. */
  readonly written: Uint8Array[] = [];
  private peer?: MemoryTransport;
  private open_ = false;
  private closed = false;
  private readonly delayMs: number;
  private readonly data = new Listeners<[Uint8Array]>();
  private readonly closeListeners = new Listeners<[Error | undefined]>();

  private constructor(options: MemoryEndOptions, fallbackName: string) {
    this.name = options.name ?? fallbackName;
    this.faults = options.faults ? new FaultInjector(options.faults) : undefined;
    this.delayMs = options.delayMs ?? 0;
  }

  /** Two connected ends, e.g. [host, board]. */
  static pair(a: MemoryEndOptions = {}, b: MemoryEndOptions = {}): [MemoryTransport, MemoryTransport] {
    const first = new MemoryTransport(a, 'memory:a');
    const second = new MemoryTransport(b, 'memory:b');
    first.peer = second;
    second.peer = first;
    return [first, second];
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    if (this.closed) throw new Error(`${this.name} was closed or disconnected; create a new pair`);
    this.open_ = true;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.open_) throw new Error(`cannot write to ${this.name}: it is not open`);
    this.written.push(Uint8Array.from(data));
    const bytes = this.faults ? this.faults.mangle(data) : Uint8Array.from(data);
    const peer = this.peer!;
    const deliver = () => peer.receive(bytes);
    if (this.delayMs > 0) setTimeout(deliver, this.delayMs);
    else setImmediate(deliver);
  }

  async drain(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }

  async close(): Promise<void> {
    this.shut(undefined);
  }

  /** Simulates a yanked cable or a dead peer: both ends close with an error. */
  disconnect(): void {
    const reason = new Error(`${this.name} disconnected`);
    this.shut(reason);
    this.peer?.shut(reason);
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.data.add(listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.closeListeners.add(listener);
  }

  private receive(bytes: Uint8Array): void {
    if (this.open_ && bytes.length > 0) this.data.emit(bytes); // a closed port loses what arrives, as a UART would
  }

  private shut(reason: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.open_ = false;
    this.closeListeners.emit(reason);
  }
}
