// The link over a modelled serial line (harness/link/sim): one input upload measured in virtual time, exactly and
// reproducibly. Used by bench/link.ts and by the link tests.
import { BoardClient, type BoardClientOptions } from '../harness/link/protocol-client';
import { FaultyTransport, type FaultyTransportOptions } from '../harness/link/faulty-transport';
import { LineModel } from '../harness/link/sim/line-model';
import { SimulatedBoard, fakeOutput } from '../harness/link/sim/simulated-board';
import { VirtualClock } from '../harness/link/sim/virtual-clock';
import { timeoutsFor } from '../harness/link/timeouts';

export interface LineBench {
  baud: number;
  /** MCB_RX_RING_SIZE of the bench firmware. */
  rxRingBytes: number;
  /**
   * How fast the board drains its ring: STM32F746 at 216 MHz, ~40 cycles a byte for the decoder's bitwise CRC-32 and
   * the copy (an estimate; only hardware can measure it) = 5400 bytes/ms, far above any line rate here.
   */
  boardBytesPerMs: number;
  probeMaxBaud: number;
  /** Fastest rate the board's UART makes (default: probeMaxBaud). */
  boardMaxBaud?: number;
  client?: BoardClientOptions;
  faults?: FaultyTransportOptions;
  /** Board boots at this rate and the client negotiates `baud` (otherwise both start at `baud`). */
  bootBaud?: number;
}

export interface UploadResult {
  inputMs: number;
  /** Line time of the input bytes alone (10 bits a byte). */
  idealMs: number;
  efficiency: number;
  bitExact: boolean;
  overrunBytes: number;
  client: BoardClient;
}

/** Uploads `input` and runs it on a simulated board behind a modelled line; returns where the time went. */
export async function uploadOverLine(bench: LineBench, inputs: Uint8Array[]): Promise<UploadResult[]> {
  const clock = new VirtualClock();
  const line = new LineModel({ clock, baud: bench.bootBaud ?? bench.baud, rxRingBytes: bench.rxRingBytes, boardBytesPerMs: bench.boardBytesPerMs, probeMaxBaud: bench.probeMaxBaud });
  const largest = Math.max(...inputs.map((i) => i.length));
  new SimulatedBoard(line.board, { inputCap: largest, outputCap: largest, rxBufferSize: bench.rxRingBytes, maxBaud: bench.boardMaxBaud ?? bench.probeMaxBaud, clock });
  const host = bench.faults ? new FaultyTransport(line.host, bench.faults) : line.host;
  await host.open();
  await line.board.open();
  const client = new BoardClient(host, {
    ...timeoutsFor({ baudRate: bench.bootBaud ?? bench.baud, inferenceMs: 10 }),
    clock,
    ...(bench.bootBaud ? { baud: { boot: bench.bootBaud, fast: bench.baud } } : {}),
    ...bench.client,
  });
  await clock.run(client.hello());
  const results: UploadResult[] = [];
  for (const [index, input] of inputs.entries()) {
    const { output } = await clock.run(client.runSample(index, input));
    const idealMs = (input.length * 10_000) / bench.baud;
    const inputMs = client.lastTimings!.inputMs;
    results.push({ inputMs, idealMs, efficiency: idealMs / inputMs, bitExact: Buffer.from(output).equals(Buffer.from(fakeOutput(input))), overrunBytes: line.overrunBytes, client });
  }
  return results;
}
