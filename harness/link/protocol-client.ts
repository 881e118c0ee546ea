// Host side of the link (docs/protocol.md §5): BoardClient opens a session with hello() (and raises the baud rate
// when the board and transport allow), and runs samples with runSample(). Requests are stop-and-wait, retransmitted
// with the same seq on timeout, except input chunks, which stream in a window sized to the board's receive buffer
// and shrink on a noisy line. Answers are matched by seq (and sample index / run id), so late or duplicated answers
// are never taken for new ones.
import { systemClock, type LinkClock } from './clock';
import { FRAME_OVERHEAD, FrameDecoder, crc32Of, encodeFrame, type Frame } from './frame-codec';
import { errorFromAnswer, resetErrorAt } from './answer-errors';
import { BoardAnswerError, BoardResetError, LinkError, describeContext, type LinkErrorContext } from './link-errors';
import {
  CHUNK_HEADER, FRAME_TYPE, MalformedPayloadError, decodeAck, decodeHelloAck, decodeInputRequest, decodeOutputChunk, decodePong,
  decodeNack, decodeStats, encodeHello, encodeInputBegin, encodeInputChunk, encodeInputEnd, encodeInputRegion, encodeOutputRead,
  encodePing, encodeRun, encodeSetBaud, type HelloAck, type InputRequest, type RunStats,
} from './messages';
import { LINK_ERROR, PROTOCOL } from './protocol-ids';
import { RttEstimator } from './rtt-estimator';
import type { Transport, Unsubscribe } from './transport';

export { perByteMsForBaud, timeoutsFor } from './timeouts';

export interface BoardClientOptions {
  /** Wait for an answer before retransmitting, on top of the per-byte allowance. Default 250 ms. */
  replyTimeoutMs?: number;
  /** Wire time per byte, so slow UARTs get proportionally longer timeouts (see timeoutsFor). Default 0.2. */
  perByteMs?: number;
  /** Extra wait for RUN's result once the board has ACKed the RUN: the inference itself. Scale it per board. Default 30 s. */
  runTimeoutMs?: number;
  /** Retransmissions of one request before giving up with a LinkError. Default 5. */
  retries?: number;
  /** Session id echoed by HELLO_ACK; random by default so answers to an earlier run are rejected. */
  runId?: number;
  /** Upper bound on data bytes per INPUT_CHUNK / OUTPUT_CHUNK (the board's limits apply as well). */
  maxChunk?: number;
  /** Fewest data bytes a chunk shrinks to on a noisy line. Default 16. */
  minChunk?: number;
  /** Bytes of input frames in flight at once; default and upper bound: the board's receive buffer. */
  windowBytes?: number;
  /**
   * The link back-pressures the sender (QEMU's UART models hold bytes the guest has not read), so a full ring cannot
   * lose bytes: the window is then two largest frames, whatever the board's receive buffer.
   */
  flowControlled?: boolean;
  /**
   * Input frames in flight at once (default: as many as the window holds). 1 is protocol version 1's stop-and-wait
   * with chunks as large as the receive buffer: kept to measure against (bench/link.ts).
   */
  maxChunksInFlight?: number;
  /**
   * Baud rates for a transport that has one (a UART behind an ST-Link VCP): the board boots at `boot`; after HELLO
   * both ends move to `fast`, or stay at `boot` when the switch fails. Leave out for a QEMU pty (it ignores baud).
   */
  baud?: { boot: number; fast: number };
  /** Timers; the system clock by default (the link simulator passes a virtual one). */
  clock?: LinkClock;
}

/** What the baud negotiation after HELLO did. */
export interface BaudOutcome {
  baud: number;
  switched: boolean;
  /** Why the link stayed at (or went back to) the boot rate. */
  reason?: string;
}

/** One sample run on the board: its output bytes and the STATS it reported. */
export interface SampleRun {
  output: Uint8Array;
  stats: RunStats;
}

const MAX_FRAME = FRAME_OVERHEAD + PROTOCOL.MAX_PAYLOAD;

/** The receiver of frames while a request (or a window of input chunks) waits for answers. */
interface Pending {
  accepts(frame: Frame): boolean;
  context: LinkErrorContext;
  handle(frame: Frame): void;
  fail(error: Error): void;
  /** The board asked for input while working on this request: it is alive (streamed input, §5.9). */
  progress?(): void;
}

/** The sample a streamed-input board is running, whose regions the host serves. */
interface ServedInput {
  index: number;
  input: Uint8Array;
  /** Why the host refused a region, for the error that follows. */
  refusal?: string;
}

/** Turns a frame into the request's result, or undefined to ignore it as stale. May throw BoardAnswerError. */
type Accept<T> = (frame: Frame) => T | undefined;

export class BoardClient {
  /** Link health, for reports: retransmissions sent, answers ignored as stale, decoder damage. */
  readonly counters = { requests: 0, retransmissions: 0, staleFrames: 0, chunksResent: 0, chunkShrinks: 0, regionRequests: 0, regionBytes: 0, regionRefusals: 0 };
  /** The outcome of the last baud negotiation (undefined until hello() with `baud` set). */
  baudOutcome?: BaudOutcome;
  /** Where the time of the last runSample() went, in ms: input upload (INPUT_BEGIN to INPUT_END's ACK), run, output. */
  lastTimings?: { inputMs: number; runMs: number; outputMs: number };
  private readonly options: Required<Omit<BoardClientOptions, 'maxChunk' | 'windowBytes' | 'baud'>> & Pick<BoardClientOptions, 'windowBytes' | 'baud'> & { maxChunk: number };
  private readonly clock: LinkClock;
  /** Input chunk size that got through lately; shrinks on failures, grows back on success. */
  private inputChunk?: number;
  private outputChunk?: number;
  /** Decoder damage counted when the session opened: more since then marks a noisy line. */
  private noiseAtHello = 0;
  /** Round trips of input chunks and output reads, for their retransmission timeouts. */
  private rtt?: RttEstimator;
  private readonly decoder = new FrameDecoder();
  private readonly unsubscribe: Unsubscribe[];
  private pending?: Pending;
  private serving?: ServedInput;
  private seq = Math.floor(Math.random() * 0x10000);
  private info?: HelloAck;
  private inHello = false;
  private resetPending = false;
  private closedReason?: string;
  private busy = false;

  constructor(private readonly transport: Transport, options: BoardClientOptions = {}) {
    this.options = {
      replyTimeoutMs: options.replyTimeoutMs ?? 250,
      perByteMs: options.perByteMs ?? 0.2,
      runTimeoutMs: options.runTimeoutMs ?? 30_000,
      retries: options.retries ?? 5,
      runId: options.runId ?? Math.floor(Math.random() * 0x1_0000_0000),
      maxChunk: options.maxChunk ?? Number.POSITIVE_INFINITY,
      minChunk: options.minChunk ?? 16,
      maxChunksInFlight: options.maxChunksInFlight ?? Number.POSITIVE_INFINITY,
      flowControlled: options.flowControlled ?? false,
      windowBytes: options.windowBytes,
      baud: options.baud,
      clock: options.clock ?? systemClock,
    };
    this.clock = this.options.clock;
    this.unsubscribe = [
      transport.onData((chunk) => this.decoder.push(chunk).forEach((frame) => this.onFrame(frame))),
      transport.onClose((reason) => this.onClose(reason)),
    ];
  }

  /** The board's HELLO_ACK, once hello() has succeeded. */
  get board(): HelloAck | undefined {
    return this.info;
  }

  get runId(): number {
    return this.options.runId;
  }

  /** Bytes the frame decoder discarded (garbage, damaged frames): a measure of link quality. */
  get droppedBytes(): number {
    return this.decoder.droppedBytes;
  }

  /** Stops listening to the transport (which stays open: the caller owns it). */
  dispose(): void {
    this.unsubscribe.forEach((off) => off());
  }

  /** Opens (or reopens, after a BoardResetError) the session and returns what the board reports about itself. */
  async hello(): Promise<HelloAck> {
    return this.exclusive(async () => {
      this.inHello = true; // a RESET notice before HELLO_ACK is just the board's boot message
      this.resetPending = false;
      const baud = this.options.baud;
      try {
        // A board that reset is back at its boot rate: meet it there.
        if (baud && this.transport.setBaudRate && this.transport.baudRate !== baud.boot) await this.transport.setBaudRate(baud.boot);
        const ack = await this.exchange({ request: 'HELLO' }, FRAME_TYPE.HELLO, encodeHello(PROTOCOL.PROTOCOL_VERSION, this.runId), 0, (f) => {
          if (f.type !== FRAME_TYPE.HELLO_ACK) return undefined;
          const decoded = decodeHelloAck(f.payload);
          return decoded.runId === this.runId ? decoded : undefined; // another session's answer
        });
        if (ack.rxBufferSize < FRAME_OVERHEAD + CHUNK_HEADER + 1) {
          throw new LinkError(`board ${ack.boardId} reports a ${ack.rxBufferSize}-byte receive buffer, too small for any INPUT_CHUNK`);
        }
        this.info = ack;
        this.noiseAtHello = this.decoder.crcErrors + this.decoder.droppedBytes;
        this.rtt = undefined;
        this.inputChunk = undefined;
        this.outputChunk = undefined;
      } finally {
        this.inHello = false;
      }
      if (baud && baud.fast !== baud.boot) this.baudOutcome = await this.switchBaud(baud.boot, baud.fast);
      return this.info;
    });
  }

  /**
   * SET_BAUD at the boot rate; once ACKed, the host follows and checks with a PING at the new rate. If that gets no
   * answer, the host goes back, waits for the board's probation to revert it too, and checks again.
   */
  private async switchBaud(boot: number, fast: number): Promise<BaudOutcome> {
    const transport = this.transport;
    if (!transport.setBaudRate) return { baud: boot, switched: false, reason: `${transport.name} has no baud rate to set` };
    try {
      await this.exchange({ request: 'SET_BAUD' }, FRAME_TYPE.SET_BAUD, encodeSetBaud(fast), 0, acked(FRAME_TYPE.SET_BAUD));
    } catch (error) {
      if (error instanceof BoardAnswerError) return { baud: boot, switched: false, reason: `board refused ${fast} baud (${error.codeName})` };
      throw error;
    }
    await transport.drain();
    await transport.setBaudRate(fast);
    try {
      await this.pingOnce(2);
      return { baud: fast, switched: true };
    } catch (error) {
      if (!(error instanceof LinkError) || error instanceof BoardResetError) throw error;
    }
    await transport.setBaudRate(boot);
    // The board reverts after BAUD_PROBATION_MS without a valid frame; its idle poll may add as much again.
    await new Promise((resolve) => this.clock.setTimeout(() => resolve(undefined), 2 * PROTOCOL.BAUD_PROBATION_MS + this.options.replyTimeoutMs));
    await this.pingOnce(this.options.retries);
    return { baud: boot, switched: false, reason: `no answer at ${fast} baud; both ends went back to ${boot}` };
  }

  private async pingOnce(retries: number): Promise<void> {
    const nonce = Math.floor(Math.random() * 0x1_0000_0000);
    await this.exchange({ request: 'PING' }, FRAME_TYPE.PING, encodePing(nonce), 0, (f) =>
      f.type === FRAME_TYPE.PONG && decodePong(f.payload) === nonce ? true : undefined, retries);
  }

  /** Round-trip time of one PING, in ms. */
  async ping(): Promise<number> {
    return this.exclusive(async () => {
      const nonce = Math.floor(Math.random() * 0x1_0000_0000);
      const start = this.clock.now();
      await this.exchange({ request: 'PING' }, FRAME_TYPE.PING, encodePing(nonce), 0, (f) =>
        f.type === FRAME_TYPE.PONG && decodePong(f.payload) === nonce ? true : undefined,
      );
      return this.clock.now() - start;
    });
  }

  /** Uploads one input, runs it and reads back output and stats. */
  async runSample(index: number, input: Uint8Array): Promise<SampleRun> {
    return this.exclusive(async () => {
      const info = this.info;
      if (!info) throw new Error('BoardClient.runSample() called before hello()');
      if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) throw new RangeError(`sample index ${index} is not a u32`);
      if (info.inputStreamed) return this.runStreamed(index, input);
      if (input.length > info.inputCapacity) {
        throw new BoardAnswerError(
          `sample ${index}: input of ${input.length} bytes exceeds board ${info.boardId}'s input buffer of ${info.inputCapacity} bytes; check the model/firmware pairing`,
          LINK_ERROR.TOO_LARGE, 'TOO_LARGE', info.inputCapacity, { sample: index },
        );
      }
      const at = (request: string) => ({ sample: index, request });
      const started = this.clock.now();
      await this.exchange(at('INPUT_BEGIN'), FRAME_TYPE.INPUT_BEGIN, encodeInputBegin(index, input.length), 0, acked(FRAME_TYPE.INPUT_BEGIN));
      if (input.length > 0) await this.streamInput(index, input);
      await this.exchange(at('INPUT_END'), FRAME_TYPE.INPUT_END, encodeInputEnd(index, crc32Of(input)), 0, acked(FRAME_TYPE.INPUT_END));
      const uploaded = this.clock.now();
      const stats = await this.exchange(at('RUN'), FRAME_TYPE.RUN, encodeRun(index), Math.max(this.options.runTimeoutMs, 1), (f) => {
        if (f.type !== FRAME_TYPE.STATS) return undefined;
        const s = decodeStats(f.payload);
        return s.sample === index ? s : undefined;
      });
      if (stats.outputLength > info.outputCapacity) {
        throw new LinkError(`board reported ${stats.outputLength} output bytes for sample ${index}, more than its ${info.outputCapacity}-byte buffer`, at('RUN'));
      }
      const ran = this.clock.now();
      const output = await this.readOutput(index, stats.outputLength);
      this.lastTimings = { inputMs: uploaded - started, runMs: ran - uploaded, outputMs: this.clock.now() - ran };
      if (crc32Of(output) !== stats.outputCrc) {
        throw new LinkError(`output of sample ${index} does not match the CRC in its STATS: the board or the link corrupted it`, { sample: index });
      }
      return { output, stats };
    });
  }

  /**
   * RUN on a board that streams its input: no upload; while the board works it asks for the regions it needs
   * (INPUT_REQUEST), each answered from `input`, and every request counts as a sign of life for the RUN's wait.
   */
  private async runStreamed(index: number, input: Uint8Array): Promise<SampleRun> {
    const info = this.info!;
    const at = (request: string) => ({ sample: index, request });
    const served: ServedInput = { index, input };
    this.serving = served;
    const started = this.clock.now();
    let stats: RunStats;
    try {
      stats = await this.exchange(at('RUN'), FRAME_TYPE.RUN, encodeRun(index), Math.max(this.options.runTimeoutMs, 1), (f) => {
        if (f.type !== FRAME_TYPE.STATS) return undefined;
        const s = decodeStats(f.payload);
        return s.sample === index ? s : undefined;
      });
    } catch (error) {
      if (error instanceof BoardAnswerError && error.code === LINK_ERROR.INPUT_UNAVAILABLE && served.refusal) {
        throw new BoardAnswerError(`${error.message}; the host refused it: ${served.refusal}`, error.code, error.codeName, error.detail, error.context);
      }
      throw error;
    } finally {
      this.serving = undefined;
    }
    if (stats.outputLength > info.outputCapacity) {
      throw new LinkError(`board reported ${stats.outputLength} output bytes for sample ${index}, more than its ${info.outputCapacity}-byte buffer`, at('RUN'));
    }
    const ran = this.clock.now();
    const output = await this.readOutput(index, stats.outputLength);
    this.lastTimings = { inputMs: 0, runMs: ran - started, outputMs: this.clock.now() - ran };
    if (crc32Of(output) !== stats.outputCrc) {
      throw new LinkError(`output of sample ${index} does not match the CRC in its STATS: the board or the link corrupted it`, { sample: index });
    }
    return { output, stats };
  }

  /**
   * Answers an INPUT_REQUEST with the region's bytes cropped from the sample (the board pads at the image edge;
   * the host sends exactly what lies inside), or refuses it with a status when it does not match the sample being
   * run. A resent request gets the same answer: serving is stateless.
   */
  private answerInputRequest(frame: Frame): void {
    let request: InputRequest;
    try {
      request = decodeInputRequest(frame.payload);
    } catch {
      this.counters.staleFrames++; // nothing to answer: the board resends, then gives up
      return;
    }
    this.counters.regionRequests++;
    const served = this.serving;
    const refuse = (status: number, why: string) => {
      this.counters.regionRefusals++;
      if (served) served.refusal ??= why;
      this.sendRegion(frame.seq, encodeInputRegion(request.sample, request.offset, status));
    };
    if (!served) return refuse(LINK_ERROR.NOT_READY, `the board asked for input of sample ${request.sample} while the host runs none`);
    if (request.sample !== served.index) return refuse(LINK_ERROR.BAD_SAMPLE, `the board asked for sample ${request.sample} during sample ${served.index}`);
    const crop = cropRegion(served.input, request);
    if (typeof crop === 'string') return refuse(LINK_ERROR.BAD_ARGUMENT, crop);
    this.counters.regionBytes += crop.length;
    this.sendRegion(frame.seq, encodeInputRegion(request.sample, request.offset, 0, crop));
    this.pending?.progress?.();
  }

  private sendRegion(seq: number, payload: Uint8Array): void {
    // A failed write shows as the board's resend or, on a closed port, as onClose failing the RUN.
    this.transport.write(encodeFrame(FRAME_TYPE.INPUT_REGION, seq, payload)).catch(() => undefined);
  }

  /** Largest data bytes per INPUT_CHUNK: two frames fit the board's receive buffer, so one is always in flight. */
  private largestInputChunk(info: HelloAck): number {
    const framesInWindow = Math.min(2, this.options.maxChunksInFlight);
    const frameRoom = Math.min(info.maxPayload + FRAME_OVERHEAD, Math.floor(this.windowBytes(info) / framesInWindow));
    return Math.max(1, Math.min(frameRoom - FRAME_OVERHEAD - CHUNK_HEADER, this.options.maxChunk));
  }

  private windowBytes(info: HelloAck): number {
    const limit = this.options.flowControlled ? 2 * (info.maxPayload + FRAME_OVERHEAD) : info.rxBufferSize;
    return Math.min(this.options.windowBytes ?? limit, limit);
  }

  /**
   * Sends the input as a window of INPUT_CHUNK frames in flight, never more bytes than the board's receive buffer
   * holds, so the board cannot be overrun however slowly it drains. Each ACK says how many bytes the board holds;
   * a lost chunk shows as a NACK BAD_OFFSET from the next one or as silence, and sending resumes from the board's
   * count (go-back-N). Every failure halves the chunk size (a noisy line spoils long frames first) and a run of
   * successes doubles it again.
   */
  private streamInput(index: number, input: Uint8Array): Promise<void> {
    const info = this.info!;
    const context: LinkErrorContext = { sample: index, request: 'INPUT_CHUNK' };
    if (this.closedReason !== undefined) return Promise.reject(new LinkError(`link ${this.transport.name} is closed${this.closedReason}`, context));
    if (this.resetPending) return Promise.reject(this.resetError(context));
    const largest = this.largestInputChunk(info);
    const smallest = Math.min(this.options.minChunk, largest);
    const window = this.windowBytes(info);
    const rtt = (this.rtt ??= new RttEstimator(Math.max(MIN_RTO_MS, this.options.replyTimeoutMs / 10), this.options.replyTimeoutMs + this.options.perByteMs * (window + MAX_FRAME)));
    let size = Math.min(this.inputChunk ?? largest, largest);
    let held = 0; // bytes the board has confirmed
    let next = 0; // next offset to send
    let epoch = 0; // bumped on every rewind: answers to chunks sent before it cannot trigger another
    let streak = 0;
    let silentTimeouts = 0;
    // Frames allowed in flight: halved on every loss, one more per chunk that gets through (as TCP's congestion
    // window), so a noisy line does not throw away a whole window of good chunks behind each damaged one.
    let framesAllowed = this.options.maxChunksInFlight;
    const inFlight = new Map<number, { end: number; bytes: number; epoch: number; sentAt: number }>();
    let inFlightBytes = 0;
    return new Promise<void>((resolve, reject) => {
      let timer: unknown;
      let done = false;
      const finish = (error?: Error) => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        if (this.pending === pending) this.pending = undefined;
        this.inputChunk = size;
        if (error) reject(error);
        else resolve();
      };
      const forget = (seq: number) => {
        const chunk = inFlight.get(seq);
        if (!chunk) return;
        inFlightBytes -= chunk.bytes;
        inFlight.delete(seq);
      };
      const shrink = () => {
        streak = 0;
        if (size > smallest) {
          size = Math.max(smallest, Math.floor(size / 2));
          this.counters.chunkShrinks++;
        }
      };
      const rewind = () => {
        if (next > held) this.counters.chunksResent++;
        // At least two: a loss is then reported by the next chunk's NACK instead of waiting out a timeout.
        framesAllowed = Math.max(Math.min(2, this.options.maxChunksInFlight), Math.floor(Math.min(framesAllowed, inFlight.size + 1) / 2));
        next = held;
        epoch++;
        shrink();
      };
      const armTimer = () => {
        this.clock.clearTimeout(timer);
        // The measured round trip, plus the line time of everything still queued ahead of the next answer.
        timer = this.clock.setTimeout(onTimeout, rtt.timeoutMs + this.options.perByteMs * inFlightBytes);
      };
      const onTimeout = () => {
        rtt.timedOut();
        // Whatever is still unanswered is lost; a board that sent nothing intelligible at all counts toward the limit.
        const garbled = this.decoder.crcErrors + this.decoder.droppedBytes > noiseMark;
        noiseMark = this.decoder.crcErrors + this.decoder.droppedBytes;
        if (!garbled && ++silentTimeouts > this.silentRetryLimit(this.options.retries)) {
          finish(new LinkError(`board stopped answering after ${this.options.retries} retries ${describeContext(context)}`, { ...context }));
          return;
        }
        for (const seq of [...inFlight.keys()]) forget(seq);
        this.counters.retransmissions++;
        rewind();
        pump();
      };
      let noiseMark = this.decoder.crcErrors + this.decoder.droppedBytes;
      let lastSeq = this.seq;
      const pump = () => {
        while (next < input.length && (inFlight.size === 0 || (inFlight.size < framesAllowed && inFlightBytes + size + CHUNK_HEADER + FRAME_OVERHEAD <= window))) {
          const end = Math.min(next + size, input.length);
          const frame = encodeFrame(FRAME_TYPE.INPUT_CHUNK, this.seq, encodeInputChunk(index, next, input.subarray(next, end)));
          inFlight.set(this.seq, { end, bytes: frame.length, epoch, sentAt: this.clock.now() });
          inFlightBytes += frame.length;
          lastSeq = this.seq;
          context.seq = lastSeq; // errors name the newest chunk frame
          this.seq = (this.seq + 1) & 0xffff;
          this.counters.requests++;
          next = end;
          this.transport.write(frame).catch((err: Error) =>
            finish(new LinkError(`writing to ${this.transport.name} failed ${describeContext(context)}: ${err.message}`, context)));
        }
        armTimer();
      };
      const pending: Pending = {
        context,
        accepts: (f) => inFlight.has(f.seq),
        fail: (error) => finish(error),
        handle: (f) => {
          const chunk = inFlight.get(f.seq)!;
          forget(f.seq);
          rtt.sample(this.clock.now() - chunk.sentAt); // each chunk frame is sent once: its answer is unambiguous
          try {
            if (f.type === FRAME_TYPE.NACK) {
              const nack = decodeNack(f.payload);
              if (nack.requestType === FRAME_TYPE.INPUT_CHUNK && nack.code === LINK_ERROR.BAD_OFFSET && nack.detail <= input.length) {
                // A gap: an earlier chunk was lost. Resume from what the board holds (once per loss).
                held = Math.max(held, nack.detail);
                if (chunk.epoch === epoch) rewind();
                pump();
                return;
              }
            }
            const value = this.interpret(f, context, (a) => (a.type === FRAME_TYPE.ACK ? decodeAck(a.payload) : undefined));
            if (!value || value.requestType !== FRAME_TYPE.INPUT_CHUNK || value.received === undefined) {
              this.counters.staleFrames++;
              return;
            }
            if (value.received > input.length) throw new MalformedPayloadError(`ACK reports ${value.received} bytes received of a ${input.length}-byte input`);
            if (value.received > held) {
              held = value.received;
              silentTimeouts = 0;
              framesAllowed = Math.min(this.options.maxChunksInFlight, framesAllowed + 1);
              if (++streak >= GROW_AFTER && size < largest) {
                size = Math.min(largest, size * 2);
                streak = 0;
              }
            }
            if (held >= input.length) {
              finish();
              return;
            }
            if (next < held) next = held; // a chunk we had not resent yet already arrived
            pump();
          } catch (error) {
            finish(error instanceof MalformedPayloadError ? new LinkError(`${error.message} ${describeContext(context)}`, context) : (error as Error));
          }
        },
      };
      this.pending = pending;
      pump();
    });
  }

  /** Reads the output with OUTPUT_READ requests whose size adapts to the line like the input chunks. */
  private async readOutput(index: number, length: number): Promise<Uint8Array> {
    const info = this.info!;
    const output = new Uint8Array(length);
    const largest = Math.min(info.maxPayload - CHUNK_HEADER, this.options.maxChunk, 0xffff);
    const smallest = Math.min(this.options.minChunk, largest);
    let size = Math.min(this.outputChunk ?? largest, largest);
    let streak = 0;
    let failures = 0;
    for (let offset = 0; offset < length; ) {
      const want = Math.min(size, length - offset);
      let got: Uint8Array;
      try {
        // One retransmission of the same bytes, then a smaller request: a long answer may never get through.
        got = await this.exchange({ sample: index, request: 'OUTPUT_READ' }, FRAME_TYPE.OUTPUT_READ, encodeOutputRead(index, offset, want), 0, (f) => {
          if (f.type !== FRAME_TYPE.OUTPUT_CHUNK) return undefined;
          const c = decodeOutputChunk(f.payload);
          if (c.sample !== index || c.offset !== offset) return undefined;
          if (c.data.length === 0 || c.data.length > want) {
            throw new MalformedPayloadError(`OUTPUT_CHUNK carries ${c.data.length} bytes for a request of ${want}`);
          }
          return c.data;
        }, size > smallest ? 1 : undefined, this.rtt && { estimator: this.rtt, answerBytes: FRAME_OVERHEAD + CHUNK_HEADER + want });
      } catch (error) {
        if (!(error instanceof NoAnswerError) || size <= smallest || ++failures > 4 * this.options.retries) throw error;
        size = Math.max(smallest, Math.floor(size / 2));
        this.counters.chunkShrinks++;
        streak = 0;
        continue;
      }
      output.set(got, offset);
      offset += got.length;
      failures = 0;
      if (++streak >= GROW_AFTER && size < largest) {
        size = Math.min(largest, size * 2);
        streak = 0;
      }
    }
    this.outputChunk = size;
    return output;
  }

  /**
   * Sends one request and retransmits it (same seq, same bytes) until an accepted answer or the retry limit.
   * workMs > 0 marks a request the board ACKs before working on it (RUN): after that ACK the wait grows by workMs.
   * Timeouts while the line delivers only damaged frames (the board is answering; the answers are garbled) count
   * against a limit ten times larger than silent ones.
   */
  private exchange<T>(where: LinkErrorContext, type: number, payload: Uint8Array, workMs: number, accept: Accept<T>, retryLimit?: number, rtt?: { estimator: RttEstimator; answerBytes: number }): Promise<T> {
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    const context = { ...where, seq };
    if (this.closedReason !== undefined) {
      return Promise.reject(new LinkError(`link ${this.transport.name} is closed${this.closedReason}; cannot send ${describeContext(context)}`, context));
    }
    if (this.resetPending) return Promise.reject(this.resetError(context));
    const frame = encodeFrame(type, seq, payload);
    const { replyTimeoutMs, perByteMs } = this.options;
    const retries = retryLimit ?? this.options.retries;
    let timeoutMs = replyTimeoutMs + perByteMs * (frame.length + MAX_FRAME);
    this.counters.requests++;
    return new Promise<T>((resolve, reject) => {
      let sentAt = 0;
      let resent = false;
      let silent = 0;
      let garbled = 0;
      let noiseMark = this.decoder.crcErrors + this.decoder.droppedBytes;
      let working = false;
      let timer: unknown;
      let done = false;
      const finish = (error: Error | undefined, value?: T) => {
        if (done) return; // e.g. a write that fails after the answer already came
        done = true;
        this.clock.clearTimeout(timer);
        if (this.pending === pending) this.pending = undefined;
        if (error) reject(error);
        else {
          if (rtt && !resent) rtt.estimator.sample(this.clock.now() - sentAt);
          resolve(value as T);
        }
      };
      const send = () => {
        sentAt = this.clock.now();
        timer = this.clock.setTimeout(onTimeout, rtt ? rtt.estimator.timeoutMs + perByteMs * (frame.length + rtt.answerBytes) : timeoutMs);
        this.transport.write(frame).catch((err: Error) =>
          finish(new LinkError(`writing to ${this.transport.name} failed ${describeContext(context)}: ${err.message}`, context)),
        );
      };
      const onTimeout = () => {
        const noise = this.decoder.crcErrors + this.decoder.droppedBytes;
        if (noise > noiseMark) garbled++;
        else silent++;
        noiseMark = noise;
        const limits = retryLimit !== undefined ? [retryLimit, retryLimit] : [this.silentRetryLimit(retries), GARBLED_FACTOR * retries];
        if (silent > limits[0] || garbled > limits[1]) {
          finish(new NoAnswerError(`board stopped answering after ${retries} retries ${describeContext(context)}`, context));
          return;
        }
        rtt?.estimator.timedOut();
        resent = true;
        this.counters.retransmissions++;
        send();
      };
      const pending: Pending = {
        accepts: (f) => f.seq === seq,
        context,
        fail: (error) => finish(error),
        // The board asks for its input while it works (streamed input): it got the request and is alive, so the
        // wait for the result starts again (it also stands for an ACK that was lost).
        progress: workMs > 0 ? () => {
          if (!working) timeoutMs += workMs;
          working = true;
          this.clock.clearTimeout(timer);
          timer = this.clock.setTimeout(onTimeout, timeoutMs);
        } : undefined,
        handle: (f) => {
          try {
            if (workMs > 0 && f.type === FRAME_TYPE.ACK && decodeAck(f.payload).requestType === type) {
              if (!working) timeoutMs += workMs; // the board is working on it: wait for the result
              working = true;
              this.clock.clearTimeout(timer);
              timer = this.clock.setTimeout(onTimeout, timeoutMs);
              return;
            }
            const value = this.interpret(f, context, accept);
            if (value === undefined) this.counters.staleFrames++;
            else finish(undefined, value);
          } catch (error) {
            finish(error instanceof MalformedPayloadError ? new LinkError(`${error.message} ${describeContext(context)}`, context) : (error as Error));
          }
        },
      };
      this.pending = pending;
      send();
    });
  }

  /**
   * Silent timeouts allowed in a row. On a line that has damaged frames since hello(), silence is most likely a
   * request the board never received intact, so it gets the same allowance as a garbled answer.
   */
  private silentRetryLimit(retries: number): number {
    return this.decoder.crcErrors + this.decoder.droppedBytes > this.noiseAtHello ? GARBLED_FACTOR * retries : retries;
  }

  /** NACK and ERROR answers become errors; everything else goes to the request's accept function. */
  private interpret<T>(f: Frame, context: LinkErrorContext, accept: Accept<T>): T | undefined {
    const error = errorFromAnswer(f, context);
    if (error instanceof BoardResetError) this.resetPending = true;
    if (error) throw error;
    return accept(f);
  }

  private onFrame(frame: Frame): void {
    if (frame.type === FRAME_TYPE.INPUT_REQUEST) {
      this.answerInputRequest(frame);
      return;
    }
    if (frame.type === FRAME_TYPE.RESET) {
      if (this.inHello) return;
      this.resetPending = true; // also fails the next request if nothing is in flight now
      this.pending?.fail(this.resetError(this.pending.context));
      return;
    }
    if (this.pending?.accepts(frame)) this.pending.handle(frame);
    else this.counters.staleFrames++;
  }

  private onClose(reason?: Error): void {
    this.closedReason = reason ? ` (${reason.message})` : '';
    const p = this.pending;
    if (p) p.fail(new LinkError(`link ${this.transport.name} closed${this.closedReason} ${describeContext(p.context)}`, p.context));
  }

  private resetError(context: LinkErrorContext): BoardResetError {
    this.resetPending = true;
    return resetErrorAt(context);
  }

  private async exclusive<T>(body: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('BoardClient is stop-and-wait: await the previous call before starting another');
    this.busy = true;
    try {
      return await body();
    } finally {
      this.busy = false;
    }
  }
}

/**
 * Bytes [offset, offset + maxLength) of a region of the sample, rows of cols pixels, or why the request does not
 * fit the sample. Every field is checked against the sample before anything is read.
 */
export function cropRegion(input: Uint8Array, r: InputRequest): Uint8Array | string {
  const { height, width, pixelBytes, y0, x0, rows, cols, offset, maxLength } = r;
  if (height * width * pixelBytes !== input.length) {
    return `a ${height}x${width} image of ${pixelBytes} bytes per pixel is ${height * width * pixelBytes} bytes, the sample ${input.length}`;
  }
  if (rows < 1 || cols < 1 || y0 + rows > height || x0 + cols > width) {
    return `region rows ${y0}..${y0 + rows - 1}, columns ${x0}..${x0 + cols - 1} is not inside the ${height}x${width} image`;
  }
  const regionBytes = rows * cols * pixelBytes;
  if (maxLength < 1 || offset >= regionBytes) return `bytes ${offset}..${offset + maxLength - 1} are not inside the ${regionBytes}-byte region`;
  const end = Math.min(regionBytes, offset + maxLength);
  const rowBytes = cols * pixelBytes;
  const out = new Uint8Array(end - offset);
  for (let at = offset; at < end; ) {
    const row = Math.floor(at / rowBytes);
    const within = at - row * rowBytes;
    const n = Math.min(rowBytes - within, end - at);
    const from = ((y0 + row) * width + x0) * pixelBytes + within;
    out.set(input.subarray(from, from + n), at - offset);
    at += n;
  }
  return out;
}

function acked(type: number): Accept<true> {
  return (f) => (f.type === FRAME_TYPE.ACK && decodeAck(f.payload).requestType === type ? true : undefined);
}

/** Shortest retransmission timeout for chunks and output reads (and never below a tenth of replyTimeoutMs, which
 * stands for the host's scheduling jitter), whatever the measured round trip. */
const MIN_RTO_MS = 10;
/** Successes in a row before a shrunken chunk doubles again. */
const GROW_AFTER = 8;
/** Timeouts with only damaged frames received count this many times less than silent ones. */
const GARBLED_FACTOR = 10;

/** No answer came (as opposed to a refusal or a closed port): the caller may retry differently. */
class NoAnswerError extends LinkError {}
