// Host side of the MLPerf Tiny / EEMBC device-under-test protocol: ASCII commands ending in '%', answers as lines
// (m-… for messages, e-… for errors) ending with "m-ready". Drives any firmware that speaks it: ours built with
// `--dut mlperf-tiny`, or a lab's TFLM / STM32Cube.AI build.
import { LinkError } from '../link/link-errors';
import type { Transport, Unsubscribe } from '../link/transport';

export interface DutInference {
  /** The DUT's output values, as printed on its m-results line. */
  results: number[];
  /** Microseconds between the two m-lap-us marks, by the DUT's own timer, over `count` runs. */
  micros: number;
  count: number;
}

export interface DutOptions {
  /** Longest wait for the next line of an answer. Default 5000 ms. */
  lineTimeoutMs?: number;
  /** Longest wait for an inference to finish (scale with the model). Default 60000 ms. */
  inferTimeoutMs?: number;
  /** Bytes of input per `db <hex>%` command (the reference DUT's buffer takes 64). Default 64. */
  hexChunk?: number;
}

/** A DUT that sent something outside the protocol, or nothing: the message quotes what it said. */
export class DutProtocolError extends LinkError {
  constructor(message: string) {
    super(message);
    this.name = 'DutProtocolError';
  }
}

export class MlperfDut {
  private text = '';
  private readonly lines: string[] = [];
  private wake?: () => void;
  private readonly unsubscribe: Unsubscribe[];
  private closedReason?: string;
  /** Every line the DUT sent, in order (for transcripts and error messages). */
  readonly transcript: string[] = [];

  constructor(private readonly transport: Transport, private readonly options: DutOptions = {}) {
    this.unsubscribe = [
      transport.onData((chunk) => {
        this.text += Buffer.from(chunk).toString('latin1');
        let at: number;
        while ((at = this.text.indexOf('\n')) >= 0) {
          const line = this.text.slice(0, at).replace(/\r$/, '');
          this.text = this.text.slice(at + 1);
          if (line.trim() === '') continue;
          this.lines.push(line);
          this.transcript.push(line);
        }
        this.wake?.();
      }),
      transport.onClose((reason) => { this.closedReason = reason?.message ?? 'closed'; this.wake?.(); }),
    ];
  }

  /** Sends `command%` and returns the answer's lines up to (not including) m-ready; e- lines throw. */
  async command(command: string, timeoutMs = this.options.lineTimeoutMs ?? 5000): Promise<string[]> {
    this.lines.length = 0;
    await this.transport.write(Buffer.from(`${command}%`, 'latin1'));
    const answer: string[] = [];
    for (;;) {
      const line = await this.nextLine(command, timeoutMs);
      if (line === 'm-ready') break;
      answer.push(line);
    }
    const error = answer.find((l) => l.startsWith('e-'));
    if (error) throw new DutProtocolError(`DUT on ${this.transport.name} refused '${command}%': ${error}`);
    return answer;
  }

  /** Waits for the DUT's first m-ready after power-up or reset. */
  async waitReady(timeoutMs = 10_000): Promise<void> {
    for (;;) if ((await this.nextLine('start-up', timeoutMs)) === 'm-ready') return;
  }

  async name(): Promise<string> {
    const line = (await this.command('name')).find((l) => l.startsWith('m-name-'));
    if (!line) throw new DutProtocolError(`DUT on ${this.transport.name} answered 'name%' without an m-name- line`);
    return /\[(.*)\]/.exec(line)?.[1] ?? line.slice('m-name-'.length);
  }

  async profile(): Promise<string[]> {
    return this.command('profile');
  }

  /** db load N, then the bytes as hex in chunks; the DUT must confirm with m-load-done. */
  async load(input: Uint8Array): Promise<void> {
    const announced = await this.command(`db load ${input.length}`);
    if (!announced.some((l) => l.includes(`${input.length}`))) throw new DutProtocolError(`DUT did not acknowledge db load ${input.length}: ${announced.join(' | ')}`);
    const chunk = this.options.hexChunk ?? 64;
    let done = false;
    for (let at = 0; at < input.length; at += chunk) {
      const answer = await this.command(`db ${Buffer.from(input.subarray(at, at + chunk)).toString('hex')}`);
      done ||= answer.includes('m-load-done');
    }
    if (!done) throw new DutProtocolError(`DUT on ${this.transport.name} took ${input.length} bytes without m-load-done`);
  }

  /** infer N W: the results line and the DUT's own timing. */
  async infer(count = 1, warmup = 0): Promise<DutInference> {
    const answer = await this.command(`infer ${count} ${warmup}`, this.options.inferTimeoutMs ?? 60_000);
    const laps = answer.filter((l) => l.startsWith('m-lap-us-')).map((l) => Number(l.slice('m-lap-us-'.length)));
    const results = answer.find((l) => l.startsWith('m-results-'));
    if (laps.length !== 2 || laps.some((n) => !Number.isFinite(n))) throw new DutProtocolError(`DUT's infer answer has no two m-lap-us- marks: ${answer.join(' | ')}`);
    if (!results) throw new DutProtocolError(`DUT's infer answer has no m-results- line: ${answer.join(' | ')}`);
    return { results: parseResults(results), micros: (laps[1] - laps[0]) >>> 0, count };
  }

  dispose(): void {
    this.unsubscribe.forEach((u) => u());
  }

  private async nextLine(command: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.closedReason) throw new DutProtocolError(`DUT on ${this.transport.name} went away during '${command}%': ${this.closedReason}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        const heard = this.transcript.slice(-3).join(' | ') || 'nothing at all';
        throw new DutProtocolError(`DUT on ${this.transport.name} sent no line for ${timeoutMs} ms during '${command}%' (last heard: ${heard}); ` +
          'is it an MLPerf Tiny DUT at this baud rate?');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = undefined;
    }
  }
}

/** "m-results-[0.1,-2.5]" → [0.1, -2.5]. */
export function parseResults(line: string): number[] {
  const body = /^m-results-\[(.*)\]\s*$/.exec(line)?.[1];
  if (body === undefined) throw new DutProtocolError(`not an m-results line: ${line}`);
  if (body.trim() === '') return [];
  return body.split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isFinite(n)) throw new DutProtocolError(`m-results value '${v}' is not a number`);
    return n;
  });
}
