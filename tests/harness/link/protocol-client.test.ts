// BoardClient over MemoryTransport against a scripted FakeBoard: retransmission, dedupe, resync, resets,
// disconnects and the errors the runner sees.
import { type FaultOptions } from '../../../harness/link/fault-injector';
import { crc32Of } from '../../../harness/link/frame-codec';
import { BoardAnswerError, BoardResetError, LinkError } from '../../../harness/link/link-errors';
import { MemoryTransport } from '../../../harness/link/memory-transport';
import { BoardClient, type BoardClientOptions } from '../../../harness/link/protocol-client';
import { FRAME_TYPE } from '../../../harness/link/protocol-ids';
import { FakeBoard, fakeOutput, type FakeBoardOptions } from './support/fake-board';

// Short timeouts keep the tests fast; assertions on retransmission counts allow for a loaded machine.
const FAST: BoardClientOptions = { replyTimeoutMs: 40, perByteMs: 0, runTimeoutMs: 0 };

async function setup(opts: { client?: BoardClientOptions; board?: FakeBoardOptions; hostFaults?: FaultOptions; boardFaults?: FaultOptions } = {}) {
  const [hostEnd, boardEnd] = MemoryTransport.pair(
    { name: 'memory:host', faults: opts.hostFaults },
    { name: 'memory:board', faults: opts.boardFaults },
  );
  await hostEnd.open();
  await boardEnd.open();
  const board = new FakeBoard(boardEnd, opts.board);
  const client = new BoardClient(hostEnd, { ...FAST, ...opts.client });
  return { hostEnd, boardEnd, board, client };
}

function sampleInput(index: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + index * 17) & 0xff);
}

describe('BoardClient', () => {
  it('says hello and runs a multi-chunk sample', async () => {
    // A generous timeout: this test asserts that a clean link needs no retransmission, even on a loaded machine.
    const { client, board } = await setup({ client: { runId: 0x1234, replyTimeoutMs: 3000 } });
    const ack = await client.hello();
    expect(ack).toMatchObject({ runId: 0x1234, boardId: 'fake-board', firmwareVersion: 'fake-1.0', coreClockHz: 216_000_000, schedule: 'layer', timeUnit: 'cycles' });
    const input = sampleInput(3, 3000); // 3 chunks in, 2 out
    const { output, stats } = await client.runSample(3, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(stats).toMatchObject({ sample: 3, outputLength: 1504, outputCrc: crc32Of(fakeOutput(input)), latencyTotal: 2 ** 32 + 3000, opLatency: [3000, 6000, 9000] });
    expect(board.runs.get(3)).toBe(1);
    expect(client.counters.retransmissions).toBe(0);
  });

  it('handles an empty input', async () => {
    const { client } = await setup();
    await client.hello();
    const { output } = await client.runSample(0, new Uint8Array(0));
    expect([...output]).toEqual([0, 1, 2, 3]);
  });

  it('sizes chunks to the board: two chunk frames in flight never exceed its receive buffer', async () => {
    const { client, hostEnd } = await setup({ board: { rxBufferSize: 100, maxPayload: 128 } });
    await client.hello();
    const input = sampleInput(1, 500);
    const { output } = await client.runSample(1, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(Math.max(...hostEnd.written.map((c) => c.length))).toBe(50); // two full chunk frames fill the buffer exactly
  });

  it('on a flow-controlled link (QEMU) sends whole-payload chunks, two in flight, whatever the receive buffer', async () => {
    const { client, hostEnd } = await setup({ board: { rxBufferSize: 100, maxPayload: 128 }, client: { flowControlled: true } });
    await client.hello();
    const input = sampleInput(2, 500);
    const { output } = await client.runSample(2, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(Math.max(...hostEnd.written.map((c) => c.length))).toBe(128 + 14);
  });

  // Per-byte rates of each fault kind. With 64-byte chunks a request/answer pair crosses ~100 bytes, so even the
  // heavy rate (0.7 % of bytes damaged) spoils about half of the exchanges; 20 retries make a give-up
  // vanishingly unlikely.
  it.each([
    ['light', 1, 0.0003],
    ['medium', 2, 0.001],
    ['heavy', 3, 0.002],
  ])('survives %s damage in both directions (seed %i) with every sample run exactly once', async (_label, seed, rate) => {
    const faults = (s: number): FaultOptions => ({ seed: s, drop: rate, flip: rate, duplicate: rate, garbage: rate / 2, garbageMaxBytes: 12 });
    const { client, board, hostEnd, boardEnd } = await setup({ hostFaults: faults(seed), boardFaults: faults(seed + 100), client: { retries: 20, maxChunk: 64 } });
    await client.hello();
    for (let index = 0; index < 8; index++) {
      const input = sampleInput(index, 200 + index * 150);
      const { output, stats } = await client.runSample(index, input);
      expect(stats.sample).toBe(index);
      expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    }
    expect([...board.runs.values()]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(hostEnd.faults!.total + boardEnd.faults!.total).toBeGreaterThan(0);
    expect(client.counters.retransmissions).toBeGreaterThan(0);
  });

  it('ignores duplicated answers (same seq) instead of taking them for the next request', async () => {
    const { client, board } = await setup();
    board.answerTwice = true;
    await client.hello();
    const input = sampleInput(5, 2500);
    const { output } = await client.runSample(5, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(client.counters.staleFrames).toBeGreaterThan(5);
  });

  it('retransmits a RUN whose answer was lost and gets the cached STATS: the sample runs once', async () => {
    const { client, board, boardEnd } = await setup();
    await client.hello();
    // The board runs the first RUN but its STATS never leaves (the client's end is closed to it for a moment):
    // the retransmitted RUN must be answered from the board's cache, not run again.
    const realWrite = boardEnd.write.bind(boardEnd);
    let lost = 0;
    boardEnd.write = async (data) => {
      if (data[6] === FRAME_TYPE.STATS && lost++ === 0) return;
      return realWrite(data);
    };
    const input = sampleInput(2, 100);
    const { output } = await client.runSample(2, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(board.runs.get(2)).toBe(1);
    expect(board.duplicates).toBeGreaterThanOrEqual(1);
    expect(lost).toBeGreaterThanOrEqual(2); // the lost STATS and the cached one sent again
    expect(client.counters.retransmissions).toBeGreaterThanOrEqual(1);
  });

  it('gives up with a LinkError naming the sample, request and seq when the board stops answering', async () => {
    const { client, board } = await setup();
    await client.hello();
    await client.runSample(11, sampleInput(11, 10));
    let chunks = 0;
    const swallowed = new Map<number, number>(); // seq -> copies the board received and ignored
    board.silentWhen = (f) => {
      const silent = f.type === FRAME_TYPE.INPUT_CHUNK && ++chunks >= 2;
      if (silent) swallowed.set(f.seq, (swallowed.get(f.seq) ?? 0) + 1);
      return silent;
    };
    const error = await client.runSample(12, sampleInput(12, 4000)).then(() => { throw new Error('expected a failure'); }, (e: Error) => e);
    expect(error).toBeInstanceOf(LinkError);
    expect(error).not.toBeInstanceOf(BoardResetError);
    expect(error.name).toBe('LinkError');
    expect(error.message).toMatch(/^board stopped answering after 5 retries during sample 12 \(INPUT_CHUNK seq \d+\)$/);
    expect((error as LinkError).context).toMatchObject({ sample: 12, request: 'INPUT_CHUNK' });
    // After each silent timeout the window is resent from the bytes the board holds, in new frames: the first
    // chunk was acked, so every later frame is swallowed, and the client gave up after the 5th resend went unanswered.
    expect(swallowed.has((error as LinkError).context.seq!)).toBe(true);
    expect(client.counters.retransmissions).toBe(5);
  });

  it('reports a board reset mid-sample as BoardResetError, and recovers after hello()', async () => {
    const { client, board } = await setup();
    await client.hello();
    let chunks = 0;
    board.beforeRequest = (f) => {
      if (f.type === FRAME_TYPE.INPUT_CHUNK && ++chunks === 2) board.reboot();
    };
    const error = await client.runSample(4, sampleInput(4, 3000)).then(() => { throw new Error('expected a failure'); }, (e: Error) => e);
    expect(error).toBeInstanceOf(BoardResetError);
    expect(error.name).toBe('BoardResetError');
    expect(error.message).toMatch(/^board reset during sample 4 \(INPUT_CHUNK seq \d+\): call hello\(\) again/);
    // Until a new hello(), every request fails the same way.
    await expect(client.runSample(4, sampleInput(4, 10))).rejects.toBeInstanceOf(BoardResetError);
    board.beforeRequest = undefined;
    await client.hello();
    const input = sampleInput(4, 3000);
    const { output } = await client.runSample(4, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
  });

  it('detects a reset whose RESET notice was lost, from the NO_SESSION answer', async () => {
    const { client, board } = await setup();
    await client.hello();
    board.beforeRequest = (f) => {
      if (f.type === FRAME_TYPE.RUN) (board as unknown as { session: boolean }).session = false; // rebooted silently
    };
    await expect(client.runSample(9, sampleInput(9, 40))).rejects.toThrow(/^board reset during sample 9 \(RUN seq \d+\)/);
  });

  it('fails fast with a LinkError when the link disconnects mid-request', async () => {
    const { client, board, hostEnd } = await setup({ client: { replyTimeoutMs: 10_000 } });
    await client.hello();
    board.silentWhen = (f) => {
      if (f.type === FRAME_TYPE.RUN) setTimeout(() => hostEnd.disconnect(), 5);
      return f.type === FRAME_TYPE.RUN;
    };
    const started = Date.now();
    const error = await client.runSample(6, sampleInput(6, 10)).then(() => { throw new Error('expected a failure'); }, (e: Error) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(LinkError);
    expect(error.message).toMatch(/^link memory:host closed \(memory:host disconnected\) during sample 6 \(RUN seq \d+\)$/);
    await expect(client.ping()).rejects.toThrow(/link memory:host is closed/);
  });

  it('turns NACK and ERROR answers into BoardAnswerError with the code', async () => {
    const { client, board } = await setup({ board: { inputCap: 100 } });
    await client.hello();
    const tooLarge = await client.runSample(1, new Uint8Array(101)).then(() => { throw new Error('expected a failure'); }, (e: BoardAnswerError) => e);
    expect(tooLarge).toBeInstanceOf(BoardAnswerError);
    expect(tooLarge).toMatchObject({ name: 'BoardAnswerError', codeName: 'TOO_LARGE', detail: 100 });
    expect(tooLarge.message).toMatch(/input of 101 bytes exceeds board fake-board's input buffer of 100 bytes/);
    board.failNextRun = 42;
    const failed = await client.runSample(2, sampleInput(2, 50)).then(() => { throw new Error('expected a failure'); }, (e: BoardAnswerError) => e);
    expect(failed).toMatchObject({ name: 'BoardAnswerError', codeName: 'RUN_FAILED', detail: 42 });
    expect(failed.message).toBe('board failed during sample 2 (RUN seq ' + failed.context.seq + '): RUN_FAILED (detail 42): inference callback failed');
  });

  it('explains a protocol version mismatch', async () => {
    const { client } = await setup({ board: { protocolVersion: 9 } });
    await expect(client.hello()).rejects.toThrow(/VERSION_MISMATCH \(detail 9\); the board speaks protocol version 9, the harness 3: flash matching firmware/);
  });

  it('ignores a HELLO_ACK for another run id (a stale session) and times out', async () => {
    const { client, board } = await setup({ client: { retries: 1 } });
    board.beforeRequest = (f) => {
      if (f.type === FRAME_TYPE.HELLO) f.payload.set([0xff, 0xff, 0xff, 0xff], 2); // board echoes a different id
    };
    await expect(client.hello()).rejects.toThrow(/^board stopped answering after 1 retries outside any sample \(HELLO seq \d+\)$/);
    expect(client.counters.staleFrames).toBeGreaterThanOrEqual(1);
  });

  it('refuses overlapping calls: the link is stop-and-wait', async () => {
    const { client } = await setup();
    await client.hello();
    const first = client.runSample(1, sampleInput(1, 10));
    await expect(client.ping()).rejects.toThrow(/stop-and-wait/);
    await first;
  });

  it('measures a round trip with ping()', async () => {
    const { client } = await setup();
    const rtt = await client.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(1000);
  });
});
