// A serial line as a bench measures it, for the link simulator: host → USB (bytes leave in 1 ms full-speed frames)
// → the probe's UART at the line rate → the board's receive ring (bytes that find it full are lost, as a USART
// overrun loses them) → the board, which drains the ring at its own speed; and back: the board's UART → the probe
// → the next USB frame → the host. Both ends must use the same rate: bytes sent at another rate arrive as garbage.
import type { LinkClock } from '../clock';
import { Listeners } from '../listeners';
import type { Transport, Unsubscribe } from '../transport';

export interface LineOptions {
  clock: LinkClock;
  /** Rate both UARTs start at. */
  baud: number;
  /** USB full-speed frame period: bytes cross the USB link only at frame starts. Default 1 ms. */
  usbFrameMs?: number;
  /** The board's receive ring in bytes (MCB_RX_RING_SIZE). */
  rxRingBytes: number;
  /** How fast the board takes bytes out of the ring (its decoder and CRC), bytes per ms. */
  boardBytesPerMs: number;
  /** Fastest rate the probe's virtual COM port makes; faster settings garble the line. */
  probeMaxBaud?: number;
  /** Seeded garbage for bytes sent at a rate the receiver is not at. */
  seed?: number;
}

/** Bytes move through the model in pieces of at most this many (one timer each). */
const PIECE = 16;

class LineEnd implements Transport {
  readonly data = new Listeners<[Uint8Array]>();
  readonly closed = new Listeners<[Error | undefined]>();
  open_ = false;
  constructor(readonly name: string, private readonly send: (bytes: Uint8Array) => void, readonly rate: () => number, private readonly setRate: (baud: number) => void) {}
  get isOpen(): boolean { return this.open_; }
  get baudRate(): number { return this.rate(); }
  async open(): Promise<void> { this.open_ = true; }
  async write(data: Uint8Array): Promise<void> { this.send(Uint8Array.from(data)); }
  async drain(): Promise<void> {}
  async close(): Promise<void> { this.open_ = false; this.closed.emit(undefined); }
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe { return this.data.add(listener); }
  onClose(listener: (reason?: Error) => void): Unsubscribe { return this.closed.add(listener); }
  async setBaudRate(baud: number): Promise<void> { this.setRate(baud); }
}

export class LineModel {
  readonly host: Transport;
  readonly board: Transport & { setBaudRate(baud: number): Promise<void> };
  /** Bytes lost because the board's ring was full. */
  overrunBytes = 0;
  /** Bytes garbled because the two ends were at different rates (or beyond the probe's limit). */
  garbledBytes = 0;
  private hostBaud: number;
  private boardBaud: number;
  private probeTxFree = 0; // when the probe's UART has sent everything queued for the board
  private boardTxFree = 0;
  private boardFree = 0; // when the board has taken everything queued out of its ring
  private ringFill = 0;
  private random: number;
  private readonly usbFrameMs: number;

  constructor(private readonly options: LineOptions) {
    this.hostBaud = options.baud;
    this.boardBaud = options.baud;
    this.usbFrameMs = options.usbFrameMs ?? 1;
    this.random = (options.seed ?? 1) >>> 0 || 1;
    const hostEnd = new LineEnd('line:host', (b) => this.fromHost(b), () => this.hostBaud, (baud) => { this.hostBaud = baud; });
    const boardEnd = new LineEnd('line:board', (b) => this.fromBoard(b), () => this.boardBaud, (baud) => { this.boardBaud = baud; });
    this.host = hostEnd;
    this.board = boardEnd;
    this.hostEnd = hostEnd;
    this.boardEnd = boardEnd;
  }

  private readonly hostEnd: LineEnd;
  private readonly boardEnd: LineEnd;

  /** Line time of one byte (start, 8 data, stop bits) at `baud`, in ms. */
  static byteMs(baud: number): number {
    return 10_000 / baud;
  }

  private get clock(): LinkClock {
    return this.options.clock;
  }

  private nextUsbFrame(t: number): number {
    return Math.ceil(t / this.usbFrameMs + 1e-9) * this.usbFrameMs;
  }

  private usable(senderBaud: number, receiverBaud: number): boolean {
    return senderBaud === receiverBaud && senderBaud <= (this.options.probeMaxBaud ?? Number.POSITIVE_INFINITY);
  }

  private garble(bytes: Uint8Array): Uint8Array {
    this.garbledBytes += bytes.length;
    return bytes.map(() => {
      this.random ^= this.random << 13;
      this.random ^= this.random >>> 17;
      this.random ^= this.random << 5;
      return this.random & 0xff;
    });
  }

  private fromHost(bytes: Uint8Array): void {
    const baud = this.hostBaud;
    const byteMs = LineModel.byteMs(baud);
    let start = Math.max(this.nextUsbFrame(this.clock.now()), this.probeTxFree);
    const ok = this.usable(baud, this.boardBaud);
    for (let at = 0; at < bytes.length; at += PIECE) {
      const piece = bytes.subarray(at, Math.min(at + PIECE, bytes.length));
      const arrives = start + piece.length * byteMs;
      start = arrives;
      const data = ok ? piece : this.garble(piece);
      this.clock.setTimeout(() => this.intoRing(data), arrives - this.clock.now());
    }
    this.probeTxFree = start;
  }

  /** A piece reaches the board's USART: into the ring if there is room, then out at the board's pace. */
  private intoRing(piece: Uint8Array): void {
    const room = this.options.rxRingBytes - this.ringFill;
    const kept = piece.subarray(0, Math.max(0, Math.min(room, piece.length)));
    this.overrunBytes += piece.length - kept.length;
    if (kept.length === 0) return;
    this.ringFill += kept.length;
    const done = Math.max(this.clock.now(), this.boardFree) + kept.length / this.options.boardBytesPerMs;
    this.boardFree = done;
    this.clock.setTimeout(() => {
      this.ringFill -= kept.length;
      if (this.boardEnd.open_) this.boardEnd.data.emit(kept);
    }, done - this.clock.now());
  }

  private fromBoard(bytes: Uint8Array): void {
    const baud = this.boardBaud;
    const sent = Math.max(this.clock.now(), this.boardTxFree) + bytes.length * LineModel.byteMs(baud);
    this.boardTxFree = sent;
    const data = this.usable(baud, this.hostBaud) ? bytes : this.garble(bytes);
    const arrives = this.nextUsbFrame(sent); // the probe forwards what it has at the next USB frame
    this.clock.setTimeout(() => {
      if (this.hostEnd.open_) this.hostEnd.data.emit(data);
    }, arrives - this.clock.now());
  }
}
