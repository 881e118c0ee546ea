// The link over a modelled serial line (harness/link/sim: 115200 baud, 1 ms USB frames, the board's 1 KB receive
// ring) in virtual time: a line that corrupts 1 % of bytes in both directions still delivers every sample
// bit-exact, and the baud switch after HELLO lands on the fast rate or falls back to the boot rate.
import { uploadOverLine, type LineBench } from '../../../bench/link-sim';
import { LinkError } from '../../../harness/link/link-errors';
import { BoardClient } from '../../../harness/link/protocol-client';
import { LineModel } from '../../../harness/link/sim/line-model';
import { SimulatedBoard, fakeOutput } from '../../../harness/link/sim/simulated-board';
import { VirtualClock } from '../../../harness/link/sim/virtual-clock';
import { timeoutsFor } from '../../../harness/link/timeouts';

const line: LineBench = { baud: 115200, rxRingBytes: 1024, boardBytesPerMs: 5400, probeMaxBaud: 2_000_000 };
const inputs = (count: number, length: number) => Array.from({ length: count }, (_, s) => Uint8Array.from({ length }, (_, i) => (i * 31 + s * 7) & 0xff));
const onePercent = { tx: { seed: 5, flip: 0.01 }, rx: { seed: 6, flip: 0.01 } };

describe('a line corrupting 1 % of bytes both ways', () => {
  it('delivers all 16 person_detect-sized samples bit-exact, shrinking its chunks', async () => {
    const results = await uploadOverLine({ ...line, faults: onePercent }, inputs(16, 96 * 96));
    expect(results.filter((r) => r.bitExact)).toHaveLength(16);
    const client = results[0].client;
    expect(client.counters.chunkShrinks).toBeGreaterThan(0);
    expect(results.every((r) => r.overrunBytes === 0)).toBe(true); // the window never overruns the board's ring
  }, 120_000);

  it('defeated protocol version 1: stop-and-wait with 1 KB chunks never gets one intact chunk across', async () => {
    const error = await uploadOverLine({ ...line, faults: onePercent, client: { maxChunksInFlight: 1, minChunk: 1 << 20 } }, inputs(1, 96 * 96)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(LinkError);
    expect((error as Error).message).toMatch(/^board stopped answering after 5 retries during sample 0 \(INPUT_CHUNK seq \d+\)$/);
  }, 60_000);
});

describe('baud negotiation after HELLO', () => {
  it('moves both ends to the fast rate when board and probe make it', async () => {
    const [result] = await uploadOverLine({ ...line, bootBaud: 115200, baud: 2_000_000 }, inputs(1, 92_928));
    expect(result.client.baudOutcome).toEqual({ baud: 2_000_000, switched: true });
    expect(result.bitExact).toBe(true);
    expect(result.inputMs).toBeLessThan(1000); // at 115200 the line alone would take 8067 ms
  });

  it('stays at the boot rate when the board refuses the rate', async () => {
    const [result] = await uploadOverLine({ ...line, bootBaud: 115200, baud: 3_000_000, probeMaxBaud: 4_000_000, boardMaxBaud: 2_000_000 }, inputs(1, 1000));
    expect(result.client.baudOutcome).toEqual({ baud: 115200, switched: false, reason: 'board refused 3000000 baud (BAD_ARGUMENT)' });
    expect(result.bitExact).toBe(true);
  });

  it('falls back when the board switched but the probe cannot follow: both ends end at the boot rate', async () => {
    const [result] = await uploadOverLine({ ...line, bootBaud: 115200, baud: 2_000_000, probeMaxBaud: 1_000_000, boardMaxBaud: 2_000_000 }, inputs(1, 1000));
    expect(result.client.baudOutcome).toEqual({ baud: 115200, switched: false, reason: 'no answer at 2000000 baud; both ends went back to 115200' });
    expect(result.bitExact).toBe(true);
  });
});

describe('a board reset after the baud switch', () => {
  it('comes back at the boot rate: the link fails, and hello() meets it there and switches again', async () => {
    const clock = new VirtualClock();
    const line = new LineModel({ clock, baud: 115200, rxRingBytes: 1024, boardBytesPerMs: 5400, probeMaxBaud: 2_000_000 });
    const board = new SimulatedBoard(line.board, { inputCap: 4096, outputCap: 4096, rxBufferSize: 1024, maxBaud: 2_000_000, clock });
    await line.host.open();
    await line.board.open();
    const client = new BoardClient(line.host, { ...timeoutsFor({ baudRate: 115200, inferenceMs: 10 }), clock, baud: { boot: 115200, fast: 2_000_000 } });
    await clock.run(client.hello());
    expect(client.baudOutcome).toEqual({ baud: 2_000_000, switched: true });
    const input = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    board.reboot(); // its RESET notice goes out at 115200 and reaches a host listening at 2 Mbit/s as garbage
    const error = await clock.run(client.runSample(1, input)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(LinkError);
    await clock.run(client.hello());
    expect(client.baudOutcome).toEqual({ baud: 2_000_000, switched: true });
    const { output } = await clock.run(client.runSample(1, input));
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(line.host.baudRate).toBe(2_000_000);
  });
});
