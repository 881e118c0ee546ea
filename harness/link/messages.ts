// Payload layouts of the link (docs/protocol.md §4): request encoders and answer decoders for the host side.
// Every decoder checks lengths and throws MalformedPayloadError rather than reading past the payload.
import { FRAME_TYPE, FRAME_TYPE_NAME, INPUT_MODE, LINK_ERROR_NAME, PROTOCOL, SCHEDULE, TIME_UNIT } from './protocol-ids';

export class MalformedPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPayloadError';
  }
}

/** Smallest max_payload a board may report: a HELLO_ACK with two 32-character names needs 108 bytes. */
export const MIN_MAX_PAYLOAD = 128;

/** Bytes between the payload start and the data in INPUT_CHUNK / OUTPUT_CHUNK (sample + offset). */
export const CHUNK_HEADER = 8;

class PayloadWriter {
  private readonly parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  done(tail?: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.parts.length + (tail?.length ?? 0));
    out.set(this.parts);
    if (tail) out.set(tail, this.parts.length);
    return out;
  }
}

class PayloadReader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly data: Uint8Array, private readonly what: string) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  private need(n: number): number {
    if (this.pos + n > this.data.length) {
      throw new MalformedPayloadError(`${this.what} payload of ${this.data.length} bytes is too short`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }
  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.slice(at, at + n);
  }
  name(max: number): string {
    const n = this.u8();
    if (n > max) throw new MalformedPayloadError(`${this.what} string of ${n} bytes exceeds ${max}`);
    return Buffer.from(this.bytes(n)).toString('latin1');
  }
  rest(): Uint8Array {
    return this.bytes(this.data.length - this.pos);
  }
  end(): void {
    if (this.pos !== this.data.length) {
      throw new MalformedPayloadError(`${this.what} payload has ${this.data.length - this.pos} unexpected trailing bytes`);
    }
  }
}

// ---- requests (host -> board) ----

export const encodeHello = (version: number, runId: number) => new PayloadWriter().u16(version).u32(runId).done();
export const encodePing = (nonce: number) => new PayloadWriter().u32(nonce).done();
export const encodeInputBegin = (sample: number, total: number) => new PayloadWriter().u32(sample).u32(total).done();
export const encodeInputChunk = (sample: number, offset: number, data: Uint8Array) =>
  new PayloadWriter().u32(sample).u32(offset).done(data);
export const encodeInputEnd = (sample: number, inputCrc: number) => new PayloadWriter().u32(sample).u32(inputCrc).done();
export const encodeRun = (sample: number) => new PayloadWriter().u32(sample).done();
export const encodeOutputRead = (sample: number, offset: number, maxLength: number) =>
  new PayloadWriter().u32(sample).u32(offset).u16(maxLength).done();
export const encodeSetBaud = (baud: number) => new PayloadWriter().u32(baud).done();

// ---- answers (board -> host) ----

export type ScheduleName = 'layer' | 'patch';
export type TimeUnitName = 'cycles' | 'instructions';

export interface HelloAck {
  protocolVersion: number;
  runId: number;
  coreClockHz: number;
  /** First bytes of the SHA-256 of the model image the board holds, as hex. */
  modelHash: string;
  arenaSize: number;
  schedule: ScheduleName;
  split: number;
  patches: number;
  /** Bytes the board's receive path holds: no request frame may be larger. */
  rxBufferSize: number;
  maxPayload: number;
  timeUnit: TimeUnitName;
  inputCapacity: number;
  outputCapacity: number;
  /** Most per-op latencies one STATS frame reports. */
  maxOps: number;
  /** The board holds no input buffer and asks for the input region by region during RUN (INPUT_REQUEST). */
  inputStreamed: boolean;
  firmwareVersion: string;
  boardId: string;
}

export interface RunStats {
  sample: number;
  outputLength: number;
  outputCrc: number;
  /** Whole-inference latency in timeUnit (u64 on the wire; exact below 2^53). */
  latencyTotal: number;
  timeUnit: TimeUnitName;
  stackHighWater: number;
  arenaHighWater: number;
  /** Ops executed; opLatency may hold fewer when the board's STATS frame could not carry them all. */
  opCount: number;
  opLatency: number[];
}

export interface Nack { requestType: number; code: number; codeName: string; detail: number }
export interface BoardFailure { code: number; codeName: string; detail: number; message: string }
export interface OutputChunk { sample: number; offset: number; data: Uint8Array }
export interface ResetNotice { protocolVersion: number; resetCause: number }

function enumName<T extends string>(code: number, table: Record<string, number>, what: string): T {
  const entry = Object.entries(table).find(([, v]) => v === code);
  if (!entry) throw new MalformedPayloadError(`unknown ${what} code ${code}`);
  return entry[0].toLowerCase() as T;
}

export function decodeHelloAck(payload: Uint8Array): HelloAck {
  const r = new PayloadReader(payload, 'HELLO_ACK');
  const ack: HelloAck = {
    protocolVersion: r.u16(),
    runId: r.u32(),
    coreClockHz: r.u32(),
    modelHash: Buffer.from(r.bytes(PROTOCOL.MODEL_HASH_SIZE)).toString('hex'),
    arenaSize: r.u32(),
    schedule: enumName<ScheduleName>(r.u8(), SCHEDULE, 'schedule'),
    split: r.u16(),
    patches: r.u16(),
    rxBufferSize: r.u16(),
    maxPayload: r.u16(),
    timeUnit: enumName<TimeUnitName>(r.u8(), TIME_UNIT, 'time unit'),
    inputCapacity: r.u32(),
    outputCapacity: r.u32(),
    maxOps: r.u16(),
    inputStreamed: inputMode(r.u8()),
    firmwareVersion: r.name(PROTOCOL.MAX_NAME_LEN),
    boardId: r.name(PROTOCOL.MAX_NAME_LEN),
  };
  r.end();
  if (ack.maxPayload < MIN_MAX_PAYLOAD || ack.maxPayload > PROTOCOL.MAX_PAYLOAD) {
    throw new MalformedPayloadError(`HELLO_ACK max payload ${ack.maxPayload} is outside ${MIN_MAX_PAYLOAD}..${PROTOCOL.MAX_PAYLOAD}`);
  }
  return ack;
}

function inputMode(code: number): boolean {
  if (code !== INPUT_MODE.UPLOADED && code !== INPUT_MODE.STREAMED) throw new MalformedPayloadError(`HELLO_ACK input mode ${code} is unknown`);
  return code === INPUT_MODE.STREAMED;
}

/** The board's INPUT_REQUEST: bytes [offset, offset + maxLength) of a region of the sample it is running (§5.9). */
export interface InputRequest {
  sample: number;
  /** The whole image the board expects: rows, columns, bytes per pixel (channels × element size). */
  height: number;
  width: number;
  pixelBytes: number;
  y0: number;
  x0: number;
  rows: number;
  cols: number;
  offset: number;
  maxLength: number;
}

export function decodeInputRequest(payload: Uint8Array): InputRequest {
  const r = new PayloadReader(payload, 'INPUT_REQUEST');
  const request = {
    sample: r.u32(), height: r.u16(), width: r.u16(), pixelBytes: r.u16(), y0: r.u16(), x0: r.u16(), rows: r.u16(), cols: r.u16(),
    offset: r.u32(), maxLength: r.u16(),
  };
  r.end();
  return request;
}

/** INPUT_REGION: status 0 with the bytes asked for, or a LINK_ERROR code and no bytes (the host refuses). */
export const encodeInputRegion = (sample: number, offset: number, status: number, data?: Uint8Array) =>
  new PayloadWriter().u32(sample).u32(offset).u16(status).done(data);

export function decodeStats(payload: Uint8Array): RunStats {
  const r = new PayloadReader(payload, 'STATS');
  const sample = r.u32();
  const outputLength = r.u32();
  const outputCrc = r.u32();
  const lo = r.u32();
  const hi = r.u32();
  const timeUnit = enumName<TimeUnitName>(r.u8(), TIME_UNIT, 'time unit');
  const stackHighWater = r.u32();
  const arenaHighWater = r.u32();
  const opCount = r.u16();
  const reported = r.u16();
  if (reported > opCount) throw new MalformedPayloadError(`STATS reports ${reported} op latencies for ${opCount} ops`);
  const opLatency = Array.from({ length: reported }, () => r.u32());
  r.end();
  return { sample, outputLength, outputCrc, latencyTotal: hi * 2 ** 32 + lo, timeUnit, stackHighWater, arenaHighWater, opCount, opLatency };
}

export interface Ack {
  requestType: number;
  /** ACK of INPUT_CHUNK only: bytes of the input the board holds so far (everything before this offset). */
  received?: number;
}

export function decodeAck(payload: Uint8Array): Ack {
  const r = new PayloadReader(payload, 'ACK');
  const requestType = r.u8();
  const received = requestType === FRAME_TYPE.INPUT_CHUNK ? r.u32() : undefined;
  r.end();
  return received === undefined ? { requestType } : { requestType, received };
}

export function decodeNack(payload: Uint8Array): Nack {
  const r = new PayloadReader(payload, 'NACK');
  const nack = { requestType: r.u8(), code: r.u16(), codeName: '', detail: r.u32() };
  r.end();
  nack.codeName = LINK_ERROR_NAME[nack.code] ?? `error ${nack.code}`;
  return nack;
}

export function decodeError(payload: Uint8Array): BoardFailure {
  const r = new PayloadReader(payload, 'ERROR');
  const code = r.u16();
  const detail = r.u32();
  const message = r.name(PROTOCOL.MAX_MESSAGE_LEN);
  r.end();
  return { code, codeName: LINK_ERROR_NAME[code] ?? `error ${code}`, detail, message };
}

export function decodeOutputChunk(payload: Uint8Array): OutputChunk {
  const r = new PayloadReader(payload, 'OUTPUT_CHUNK');
  return { sample: r.u32(), offset: r.u32(), data: r.rest() };
}

export function decodePong(payload: Uint8Array): number {
  const r = new PayloadReader(payload, 'PONG');
  const nonce = r.u32();
  r.end();
  return nonce;
}

export function decodeReset(payload: Uint8Array): ResetNotice {
  const r = new PayloadReader(payload, 'RESET');
  const notice = { protocolVersion: r.u16(), resetCause: r.u32() };
  r.end();
  return notice;
}

export const frameTypeName = (type: number): string => FRAME_TYPE_NAME[type] ?? `type 0x${type.toString(16)}`;
export { FRAME_TYPE };
