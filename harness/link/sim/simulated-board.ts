// A board endpoint in TypeScript for BoardClient tests and the link benchmark. It follows docs/protocol.md like
// firmware/core/link.c (the C endpoint is tested against the shared vectors and end to end over a pty), plus
// hooks to misbehave: go silent, reboot, fail the inference, answer twice.
import { systemClock, type LinkClock } from '../clock';
import { FrameDecoder, crc32Of, encodeFrame, type Frame } from '../frame-codec';
import { FRAME_TYPE, LINK_ERROR, PROTOCOL } from '../protocol-ids';
import type { Transport } from '../transport';

export interface SimulatedBoardOptions {
  inputCap?: number;
  outputCap?: number;
  maxPayload?: number;
  rxBufferSize?: number;
  protocolVersion?: number;
  /** Fastest rate its UART makes (SET_BAUD beyond it is refused); needs a transport with setBaudRate. */
  maxBaud?: number;
  /** Timers for the SET_BAUD probation. */
  clock?: LinkClock;
  /**
   * Streamed input (§5.9): no upload; during RUN the board asks for these regions of a height × width image of
   * pixelBytes per pixel (in parts of at most partBytes), assembles them and runs the fake inference on the image.
   */
  streamed?: {
    height: number; width: number; pixelBytes: number; regions: [y0: number, x0: number, rows: number, cols: number][]; partBytes?: number;
    /** First wait for an answer before resending (doubled per resend); default 100 ms. */
    timeoutMs?: number;
  };
}

/** The inference of vectors.json "fakeRun": output[i] = (7 * input[i % n] + i) & 0xff, n / 2 + 4 bytes. */
export function fakeOutput(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor(input.length / 2) + 4);
  for (let i = 0; i < out.length; i++) out[i] = input.length ? (7 * input[i % input.length] + i) & 0xff : i & 0xff;
  return out;
}

/** A streamed run abandoned because the board rebooted. */
const REBOOTED = Symbol('rebooted');

const le = (bits: 16 | 32, v: number) => {
  const b = Buffer.alloc(bits / 8);
  if (bits === 16) b.writeUInt16LE(v);
  else b.writeUInt32LE(v >>> 0);
  return b;
};

export class SimulatedBoard {
  /** How many times each sample was run. */
  readonly runs = new Map<number, number>();
  /** Requests answered from the cache (retransmissions). */
  duplicates = 0;
  /** Swallow requests (no answer) while this returns true. */
  silentWhen?: (frame: Frame) => boolean;
  /** Called before a request is processed; may e.g. reboot the board. */
  beforeRequest?: (frame: Frame) => void;
  /** Makes the next RUN fail with this status. */
  failNextRun?: number;
  /** Send every answer twice (a duplicating link). */
  answerTwice = false;
  private readonly decoder = new FrameDecoder();
  private readonly opts: Required<Omit<SimulatedBoardOptions, 'clock' | 'streamed'>>;
  private readonly streamed?: SimulatedBoardOptions['streamed'];
  /** Input requests sent (resends included) and the answer the board waits for. */
  regionRequests = 0;
  private awaiting?: { seq: number; take: (f: Frame) => void };
  private regionSeq = 0x4000;
  /** Bumped by reboot(): a streamed run of an earlier boot stops. */
  private boots = 0;
  private readonly clock: LinkClock;
  private probation?: { timer: unknown; previous: number };
  /** SET_BAUD switches undone because no valid frame followed. */
  baudReverts = 0;
  private readonly bootBaud?: number;
  private last?: { seq: number; crc: number; answer: Uint8Array };
  private session = false;
  private input = new Uint8Array(0);
  private sample = -1;
  private received = 0;
  private complete = false;
  private output?: { sample: number; bytes: Uint8Array };

  constructor(private readonly transport: Transport, options: SimulatedBoardOptions = {}) {
    this.opts = {
      inputCap: options.inputCap ?? 4096,
      outputCap: options.outputCap ?? 4096,
      maxPayload: options.maxPayload ?? PROTOCOL.MAX_PAYLOAD,
      rxBufferSize: options.rxBufferSize ?? PROTOCOL.MAX_PAYLOAD + 14,
      protocolVersion: options.protocolVersion ?? PROTOCOL.PROTOCOL_VERSION,
      maxBaud: options.maxBaud ?? 0,
    };
    this.clock = options.clock ?? systemClock;
    this.streamed = options.streamed;
    this.bootBaud = transport.baudRate;
    transport.onData((chunk) => this.decoder.push(chunk).forEach((f) => this.onRequest(f)));
  }

  /** Boot: lose the session, go back to the boot rate and announce it, as a reset board running mcb_link_init does. */
  reboot(): void {
    if (this.probation) this.clock.clearTimeout(this.probation.timer);
    this.probation = undefined;
    if (this.bootBaud !== undefined) void this.transport.setBaudRate?.(this.bootBaud);
    this.session = false;
    this.boots++;
    this.last = undefined;
    this.complete = false;
    this.output = undefined;
    void this.transport.write(encodeFrame(FRAME_TYPE.RESET, 0, Buffer.concat([le(16, this.opts.protocolVersion), le(32, 0)])));
  }

  private onRequest(f: Frame): void {
    if (this.probation) { // a valid frame at the new rate: the switch stands
      this.clock.clearTimeout(this.probation.timer);
      this.probation = undefined;
    }
    this.beforeRequest?.(f);
    if (this.silentWhen?.(f)) return;
    if (f.type === FRAME_TYPE.INPUT_REGION) { // an answer to the board's own request, never a request
      if (this.awaiting?.seq === f.seq) this.awaiting.take(f);
      return;
    }
    if (this.last && this.last.seq === f.seq && this.last.crc === f.crc) {
      this.duplicates++;
      this.send(this.last.answer);
      return;
    }
    if (f.type === FRAME_TYPE.RUN && this.streamed && this.session) {
      const ackFrame = encodeFrame(FRAME_TYPE.ACK, f.seq, Uint8Array.of(f.type));
      this.last = { seq: f.seq, crc: f.crc, answer: ackFrame };
      this.send(ackFrame);
      void this.runStreamed(f, Buffer.from(f.payload).readUInt32LE(0));
      return;
    }
    const [type, payload] = this.answer(f);
    const answer = encodeFrame(type, f.seq, payload);
    this.last = { seq: f.seq, crc: f.crc, answer };
    this.send(answer);
    if (f.type === FRAME_TYPE.SET_BAUD && type === FRAME_TYPE.ACK) this.switchBaud(Buffer.from(f.payload).readUInt32LE(0));
  }

  /** A streamed RUN: ask for every region, then answer (STATS, or ERROR INPUT_UNAVAILABLE) as the RUN's final answer. */
  private async runStreamed(run: Frame, sample: number): Promise<void> {
    const { height, width, pixelBytes, regions, partBytes } = this.streamed!;
    const image = new Uint8Array(height * width * pixelBytes);
    const part = Math.min(partBytes ?? this.opts.maxPayload - PROTOCOL.REGION_HEADER_SIZE, this.opts.maxPayload - PROTOCOL.REGION_HEADER_SIZE);
    const boot = this.boots;
    let final: [number, Uint8Array];
    try {
      for (const [y0, x0, rows, cols] of regions) {
        const bytes = rows * cols * pixelBytes;
        for (let offset = 0; offset < bytes; offset += part) {
          const data = await this.requestRegion(sample, [y0, x0, rows, cols], offset, Math.min(part, bytes - offset));
          for (let k = 0; k < data.length; k++) {
            const at = offset + k;
            const row = Math.floor(at / (cols * pixelBytes));
            image[((y0 + row) * width + x0) * pixelBytes + (at - row * cols * pixelBytes)] = data[k];
          }
        }
      }
      this.runs.set(sample, (this.runs.get(sample) ?? 0) + 1);
      const out = fakeOutput(image);
      this.output = { sample, bytes: out };
      const n = image.length;
      final = [FRAME_TYPE.STATS, Buffer.concat([
        le(32, sample), le(32, out.length), le(32, crc32Of(out)), le(32, n), le(32, 1), Buffer.from([0]), le(32, 512), le(32, n),
        le(16, 3), le(16, 3), le(32, n), le(32, 2 * n), le(32, 3 * n),
      ])];
    } catch (error) {
      if (error === REBOOTED) return;
      const status = (error as { status?: number }).status ?? 0xffffffff;
      const msg = status === 0xffffffff ? 'no answer to an input region request' : 'the host refused an input region';
      final = [FRAME_TYPE.ERROR, Buffer.concat([le(16, LINK_ERROR.INPUT_UNAVAILABLE), le(32, status), Buffer.from([msg.length]), Buffer.from(msg)])];
    }
    if (this.boots !== boot) return; // rebooted meanwhile
    const answer = encodeFrame(final[0], run.seq, final[1]);
    this.last = { seq: run.seq, crc: run.crc, answer };
    this.send(answer);
  }

  /** One INPUT_REQUEST, resent after timeoutMs (doubling) up to REGION_RETRIES times, as link.c does. */
  private requestRegion(sample: number, [y0, x0, rows, cols]: number[], offset: number, want: number): Promise<Uint8Array> {
    const { height, width, pixelBytes } = this.streamed!;
    const seq = this.regionSeq;
    this.regionSeq = (this.regionSeq + 1) & 0xffff;
    const request = encodeFrame(FRAME_TYPE.INPUT_REQUEST, seq, Buffer.concat([
      le(32, sample), le(16, height), le(16, width), le(16, pixelBytes), le(16, y0), le(16, x0), le(16, rows), le(16, cols), le(32, offset), le(16, want),
    ]));
    const boot = this.boots;
    return new Promise((resolve, reject) => {
      let attempt = 0;
      let timer: unknown;
      const send = () => {
        if (this.boots !== boot) { reject(REBOOTED); return; }
        if (attempt > PROTOCOL.REGION_RETRIES) { this.awaiting = undefined; reject(new Error('no answer')); return; }
        this.regionRequests++;
        timer = this.clock.setTimeout(send, (this.streamed!.timeoutMs ?? 100) * 2 ** attempt++);
        void this.transport.write(request);
      };
      this.awaiting = {
        seq,
        take: (f) => {
          const p = Buffer.from(f.payload);
          if (p.length < PROTOCOL.REGION_HEADER_SIZE || p.readUInt32LE(0) !== sample || p.readUInt32LE(4) !== offset) return;
          const status = p.readUInt16LE(8);
          if (status === 0 && p.length - PROTOCOL.REGION_HEADER_SIZE !== want) return; // dropped like a damaged frame
          this.clock.clearTimeout(timer);
          this.awaiting = undefined;
          if (status !== 0) reject(Object.assign(new Error('refused'), { status }));
          else resolve(p.subarray(PROTOCOL.REGION_HEADER_SIZE));
        },
      };
      send();
    });
  }

  /** After the ACK has gone out at the old rate; reverted unless a valid frame arrives within the probation. */
  private switchBaud(baud: number): void {
    const line = this.transport;
    const previous = line.baudRate!;
    void line.setBaudRate!(baud);
    this.probation = {
      previous,
      timer: this.clock.setTimeout(() => {
        this.probation = undefined;
        this.baudReverts++;
        void line.setBaudRate!(previous);
      }, PROTOCOL.BAUD_PROBATION_MS),
    };
  }

  private send(bytes: Uint8Array): void {
    void this.transport.write(bytes);
    if (this.answerTwice) void this.transport.write(bytes);
  }

  private answer(f: Frame): [number, Uint8Array] {
    const p = Buffer.from(f.payload);
    const nack = (code: number, detail = 0): [number, Uint8Array] => [FRAME_TYPE.NACK, Buffer.concat([Buffer.from([f.type]), le(16, code), le(32, detail)])];
    const ack = (): [number, Uint8Array] => [FRAME_TYPE.ACK, Buffer.from([f.type])];
    if (f.type === FRAME_TYPE.HELLO) {
      if (p.readUInt16LE(0) !== this.opts.protocolVersion) return nack(LINK_ERROR.VERSION_MISMATCH, this.opts.protocolVersion);
      this.session = true;
      const name = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'latin1')]);
      return [FRAME_TYPE.HELLO_ACK, Buffer.concat([
        le(16, this.opts.protocolVersion), le(32, p.readUInt32LE(2)), le(32, 216_000_000), Buffer.from('0011223344556677', 'hex'),
        le(32, 100_000), Buffer.from([0]), le(16, 0), le(16, 0), le(16, this.opts.rxBufferSize), le(16, this.opts.maxPayload),
        Buffer.from([0]), le(32, this.streamed ? 0 : this.opts.inputCap), le(32, this.opts.outputCap), le(16, 128), Buffer.from([this.streamed ? 1 : 0]), name('fake-1.0'), name('fake-board'),
      ])];
    }
    if (f.type === FRAME_TYPE.PING) return [FRAME_TYPE.PONG, p];
    if (!this.session) return nack(LINK_ERROR.NO_SESSION);
    switch (f.type) {
      case FRAME_TYPE.INPUT_BEGIN:
        this.sample = p.readUInt32LE(0);
        this.input = new Uint8Array(p.readUInt32LE(4));
        this.received = 0;
        this.complete = false;
        return ack();
      case FRAME_TYPE.INPUT_CHUNK: {
        const offset = p.readUInt32LE(4);
        const data = p.subarray(8);
        if (offset > this.received || data.length > this.input.length - offset) return nack(LINK_ERROR.BAD_OFFSET, this.received);
        if (offset + data.length > this.received) {
          this.input.set(data.subarray(this.received - offset), this.received);
          this.received = offset + data.length;
        }
        return [FRAME_TYPE.ACK, Buffer.concat([Buffer.from([f.type]), le(32, this.received)])];
      }
      case FRAME_TYPE.SET_BAUD: {
        const baud = p.readUInt32LE(0);
        if (!this.transport.setBaudRate || baud < 1200 || baud > this.opts.maxBaud) return nack(LINK_ERROR.BAD_ARGUMENT, baud);
        return ack();
      }
      case FRAME_TYPE.INPUT_END:
        if (crc32Of(this.input) !== p.readUInt32LE(4)) return nack(LINK_ERROR.INPUT_CRC, crc32Of(this.input));
        this.complete = true;
        return ack();
      case FRAME_TYPE.RUN: {
        if (!this.complete) return nack(LINK_ERROR.NOT_READY);
        this.complete = false;
        this.send(encodeFrame(FRAME_TYPE.ACK, f.seq, Uint8Array.of(f.type))); // RUN is ACKed before the work
        this.runs.set(this.sample, (this.runs.get(this.sample) ?? 0) + 1);
        if (this.failNextRun !== undefined) {
          const status = this.failNextRun;
          this.failNextRun = undefined;
          const msg = 'inference callback failed';
          return [FRAME_TYPE.ERROR, Buffer.concat([le(16, LINK_ERROR.RUN_FAILED), le(32, status), Buffer.from([msg.length]), Buffer.from(msg)])];
        }
        const out = fakeOutput(this.input);
        this.output = { sample: this.sample, bytes: out };
        const n = this.input.length;
        return [FRAME_TYPE.STATS, Buffer.concat([
          le(32, this.sample), le(32, out.length), le(32, crc32Of(out)), le(32, n), le(32, 1), Buffer.from([0]), le(32, 512), le(32, n),
          le(16, 3), le(16, 3), le(32, n), le(32, 2 * n), le(32, 3 * n),
        ])];
      }
      case FRAME_TYPE.OUTPUT_READ: {
        if (!this.output) return nack(LINK_ERROR.NOT_READY);
        const offset = p.readUInt32LE(4);
        const data = this.output.bytes.subarray(offset, offset + Math.min(p.readUInt16LE(8), this.opts.maxPayload - 8));
        return [FRAME_TYPE.OUTPUT_CHUNK, Buffer.concat([le(32, this.output.sample), le(32, offset), data])];
      }
      default:
        return nack(LINK_ERROR.UNKNOWN_TYPE, f.type);
    }
  }
}
