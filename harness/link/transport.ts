// The seam between the link protocol and whatever carries its bytes (a serial port, a pty, an in-process pipe).
// Types only, like serialport's bindings-interface: SerialTransport and MemoryTransport implement it, and
// BoardClient receives one through its constructor.

/** Call to stop listening. */
export type Unsubscribe = () => void;

export interface Transport {
  /** Names the link in messages, e.g. "/dev/ttyACM0" or "memory:host". */
  readonly name: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Queues bytes for sending; resolves once the transport has accepted them (not necessarily sent). */
  write(data: Uint8Array): Promise<void>;
  /** Resolves when every queued byte has left the host. */
  drain(): Promise<void>;
  /** Closes the link; listeners registered with onClose are called. Closing twice is harmless. */
  close(): Promise<void>;
  /** Receives bytes in arrival order, in arbitrary pieces. */
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe;
  /** Called once when the link goes away: closed here, peer gone (reason set) or device error (reason set). */
  onClose(listener: (reason?: Error) => void): Unsubscribe;
  /** UART transports only (absent on a pty or an in-process pipe): the current line rate. */
  readonly baudRate?: number;
  /** UART transports only: changes the line rate; bytes already queued go out first. */
  setBaudRate?(baud: number): Promise<void>;
}
