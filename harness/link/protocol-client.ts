// Host side of the link (docs/protocol.md §5): BoardClient opens a session with hello() and runs samples with
// runSample(). Stop-and-wait: one request in flight, retransmitted with the same seq on timeout; answers are
// matched by seq (and sample index / run id), so late or duplicated answers are never taken for new ones.
import { FRAME_OVERHEAD, FrameDecoder, crc32Of, encodeFrame, type Frame } from './frame-codec';
import { errorFromAnswer, resetErrorAt } from './answer-errors';
import { BoardAnswerError, BoardResetError, LinkError, describeContext, type LinkErrorContext } from './link-errors';
import {
  CHUNK_HEADER, FRAME_TYPE, MalformedPayloadError, decodeAck, decodeHelloAck, decodeOutputChunk, decodePong,
  decodeStats, encodeHello, encodeInputBegin, encodeInputChunk, encodeInputEnd, encodeOutputRead, encodePing,
  encodeRun, type HelloAck, type RunStats,
} from './messages';
import { LINK_ERROR, PROTOCOL } from './protocol-ids';
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
}

/** One sample run on the board: its output bytes and the STATS it reported. */
export interface SampleRun {
  output: Uint8Array;
  stats: RunStats;
}

const MAX_FRAME = FRAME_OVERHEAD + PROTOCOL.MAX_PAYLOAD;

interface Pending {
  seq: number;
  context: LinkErrorContext;
  handle(frame: Frame): void;
  fail(error: Error): void;
}

/** Turns a frame into the request's result, or undefined to ignore it as stale. May throw BoardAnswerError. */
type Accept<T> = (frame: Frame) => T | undefined;

export class BoardClient {
  /** Link health, for reports: retransmissions sent, answers ignored as stale, decoder damage. */
  readonly counters = { requests: 0, retransmissions: 0, staleFrames: 0 };
  private readonly options: Required<Omit<BoardClientOptions, 'maxChunk'>> & { maxChunk: number };
  private readonly decoder = new FrameDecoder();
  private readonly unsubscribe: Unsubscribe[];
  private pending?: Pending;
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
    };
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
      try {
        const ack = await this.exchange({ request: 'HELLO' }, FRAME_TYPE.HELLO, encodeHello(PROTOCOL.PROTOCOL_VERSION, this.runId), 0, (f) => {
          if (f.type !== FRAME_TYPE.HELLO_ACK) return undefined;
          const decoded = decodeHelloAck(f.payload);
          return decoded.runId === this.runId ? decoded : undefined; // another session's answer
        });
        if (ack.rxBufferSize < FRAME_OVERHEAD + CHUNK_HEADER + 1) {
          throw new LinkError(`board ${ack.boardId} reports a ${ack.rxBufferSize}-byte receive buffer, too small for any INPUT_CHUNK`);
        }
        this.info = ack;
        return ack;
      } finally {
        this.inHello = false;
      }
    });
  }

  /** Round-trip time of one PING, in ms. */
  async ping(): Promise<number> {
    return this.exclusive(async () => {
      const nonce = Math.floor(Math.random() * 0x1_0000_0000);
      const start = performance.now();
      await this.exchange({ request: 'PING' }, FRAME_TYPE.PING, encodePing(nonce), 0, (f) =>
        f.type === FRAME_TYPE.PONG && decodePong(f.payload) === nonce ? true : undefined,
      );
      return performance.now() - start;
    });
  }

  /** Uploads one input, runs it and reads back output and stats. */
  async runSample(index: number, input: Uint8Array): Promise<SampleRun> {
    return this.exclusive(async () => {
      const info = this.info;
      if (!info) throw new Error('BoardClient.runSample() called before hello()');
      if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) throw new RangeError(`sample index ${index} is not a u32`);
      if (input.length > info.inputCapacity) {
        throw new BoardAnswerError(
          `sample ${index}: input of ${input.length} bytes exceeds board ${info.boardId}'s input buffer of ${info.inputCapacity} bytes; check the model/firmware pairing`,
          LINK_ERROR.TOO_LARGE, 'TOO_LARGE', info.inputCapacity, { sample: index },
        );
      }
      const at = (request: string) => ({ sample: index, request });
      await this.exchange(at('INPUT_BEGIN'), FRAME_TYPE.INPUT_BEGIN, encodeInputBegin(index, input.length), 0, acked(FRAME_TYPE.INPUT_BEGIN));
      const chunk = Math.min(info.maxPayload, info.rxBufferSize - FRAME_OVERHEAD, this.options.maxChunk + CHUNK_HEADER) - CHUNK_HEADER;
      for (let offset = 0; offset < input.length; offset += chunk) {
        const data = input.subarray(offset, Math.min(offset + chunk, input.length));
        await this.exchange(at('INPUT_CHUNK'), FRAME_TYPE.INPUT_CHUNK, encodeInputChunk(index, offset, data), 0, acked(FRAME_TYPE.INPUT_CHUNK));
      }
      await this.exchange(at('INPUT_END'), FRAME_TYPE.INPUT_END, encodeInputEnd(index, crc32Of(input)), 0, acked(FRAME_TYPE.INPUT_END));
      const stats = await this.exchange(at('RUN'), FRAME_TYPE.RUN, encodeRun(index), Math.max(this.options.runTimeoutMs, 1), (f) => {
        if (f.type !== FRAME_TYPE.STATS) return undefined;
        const s = decodeStats(f.payload);
        return s.sample === index ? s : undefined;
      });
      if (stats.outputLength > info.outputCapacity) {
        throw new LinkError(`board reported ${stats.outputLength} output bytes for sample ${index}, more than its ${info.outputCapacity}-byte buffer`, at('RUN'));
      }
      const output = await this.readOutput(index, stats.outputLength);
      if (crc32Of(output) !== stats.outputCrc) {
        throw new LinkError(`output of sample ${index} does not match the CRC in its STATS: the board or the link corrupted it`, { sample: index });
      }
      return { output, stats };
    });
  }

  private async readOutput(index: number, length: number): Promise<Uint8Array> {
    const info = this.info!;
    const output = new Uint8Array(length);
    const chunk = Math.min(info.maxPayload - CHUNK_HEADER, this.options.maxChunk, 0xffff);
    for (let offset = 0; offset < length; ) {
      const want = Math.min(chunk, length - offset);
      const got = await this.exchange({ sample: index, request: 'OUTPUT_READ' }, FRAME_TYPE.OUTPUT_READ, encodeOutputRead(index, offset, want), 0, (f) => {
        if (f.type !== FRAME_TYPE.OUTPUT_CHUNK) return undefined;
        const c = decodeOutputChunk(f.payload);
        if (c.sample !== index || c.offset !== offset) return undefined;
        if (c.data.length === 0 || c.data.length > want) {
          throw new MalformedPayloadError(`OUTPUT_CHUNK carries ${c.data.length} bytes for a request of ${want}`);
        }
        return c.data;
      });
      output.set(got, offset);
      offset += got.length;
    }
    return output;
  }

  /**
   * Sends one request and retransmits it (same seq, same bytes) until an accepted answer or the retry limit.
   * workMs > 0 marks a request the board ACKs before working on it (RUN): after that ACK the wait grows by workMs.
   */
  private exchange<T>(where: LinkErrorContext, type: number, payload: Uint8Array, workMs: number, accept: Accept<T>): Promise<T> {
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    const context = { ...where, seq };
    if (this.closedReason !== undefined) {
      return Promise.reject(new LinkError(`link ${this.transport.name} is closed${this.closedReason}; cannot send ${describeContext(context)}`, context));
    }
    if (this.resetPending) return Promise.reject(this.resetError(context));
    const frame = encodeFrame(type, seq, payload);
    const { replyTimeoutMs, perByteMs, retries } = this.options;
    let timeoutMs = replyTimeoutMs + perByteMs * (frame.length + MAX_FRAME);
    this.counters.requests++;
    return new Promise<T>((resolve, reject) => {
      let attempts = 0;
      let working = false;
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (error: Error | undefined, value?: T) => {
        if (done) return; // e.g. a write that fails after the answer already came
        done = true;
        clearTimeout(timer);
        if (this.pending === pending) this.pending = undefined;
        if (error) reject(error);
        else resolve(value as T);
      };
      const send = () => {
        timer = setTimeout(onTimeout, timeoutMs);
        this.transport.write(frame).catch((err: Error) =>
          finish(new LinkError(`writing to ${this.transport.name} failed ${describeContext(context)}: ${err.message}`, context)),
        );
      };
      const onTimeout = () => {
        if (attempts >= retries) {
          finish(new LinkError(`board stopped answering after ${retries} retries ${describeContext(context)}`, context));
          return;
        }
        attempts++;
        this.counters.retransmissions++;
        send();
      };
      const pending: Pending = {
        seq,
        context,
        fail: (error) => finish(error),
        handle: (f) => {
          try {
            if (workMs > 0 && f.type === FRAME_TYPE.ACK && decodeAck(f.payload) === type) {
              if (!working) timeoutMs += workMs; // the board is working on it: wait for the result
              working = true;
              clearTimeout(timer);
              timer = setTimeout(onTimeout, timeoutMs);
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

  /** NACK and ERROR answers become errors; everything else goes to the request's accept function. */
  private interpret<T>(f: Frame, context: LinkErrorContext, accept: Accept<T>): T | undefined {
    const error = errorFromAnswer(f, context);
    if (error instanceof BoardResetError) this.resetPending = true;
    if (error) throw error;
    return accept(f);
  }

  private onFrame(frame: Frame): void {
    if (frame.type === FRAME_TYPE.RESET) {
      if (this.inHello) return;
      this.resetPending = true; // also fails the next request if nothing is in flight now
      this.pending?.fail(this.resetError(this.pending.context));
      return;
    }
    if (this.pending && frame.seq === this.pending.seq) this.pending.handle(frame);
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

function acked(type: number): Accept<true> {
  return (f) => (f.type === FRAME_TYPE.ACK && decodeAck(f.payload) === type ? true : undefined);
}
