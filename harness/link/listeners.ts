// A minimal listener list shared by the transports (EventEmitter would do, but typed lists keep them small).
import type { Unsubscribe } from './transport';

export class Listeners<T extends unknown[]> {
  private readonly list = new Set<(...args: T) => void>();

  add(listener: (...args: T) => void): Unsubscribe {
    this.list.add(listener);
    return () => this.list.delete(listener);
  }

  emit(...args: T): void {
    for (const listener of [...this.list]) listener(...args);
  }
}
