// Streamed input (docs/protocol.md §5.9): a board without an input buffer asks for the regions it needs during RUN
// and the host crops them from the sample. BoardClient against the TypeScript board endpoint over MemoryTransport:
// patches with halos, parts smaller than a region, a noisy line, refusals, a host that stops answering, a reboot.
import { crc32Of } from '../../../harness/link/frame-codec';
import { BoardAnswerError, BoardResetError } from '../../../harness/link/link-errors';
import { MemoryTransport } from '../../../harness/link/memory-transport';
import { BoardClient, cropRegion, type BoardClientOptions } from '../../../harness/link/protocol-client';
import { FRAME_TYPE } from '../../../harness/link/protocol-ids';
import { FakeBoard, fakeOutput, type FakeBoardOptions } from './support/fake-board';
import type { FaultOptions } from '../../../harness/link/fault-injector';

const FAST: BoardClientOptions = { replyTimeoutMs: 40, perByteMs: 0, runTimeoutMs: 2000 };
const [H, W, PX] = [12, 10, 3];
/** 2×2 patches with a one-pixel halo, as a 3×3 convolution's input windows overlap. */
const PATCHES: [number, number, number, number][] = [[0, 0, 7, 6], [0, 4, 7, 6], [5, 0, 7, 6], [5, 4, 7, 6]];

async function setup(streamed: Partial<NonNullable<FakeBoardOptions['streamed']>> = {}, faults: { host?: FaultOptions; board?: FaultOptions } = {},
  client: BoardClientOptions = {}) {
  const [hostEnd, boardEnd] = MemoryTransport.pair({ name: 'memory:host', faults: faults.host }, { name: 'memory:board', faults: faults.board });
  await hostEnd.open();
  await boardEnd.open();
  const board = new FakeBoard(boardEnd, { streamed: { height: H, width: W, pixelBytes: PX, regions: PATCHES, partBytes: 50, ...streamed } });
  return { hostEnd, board, client: new BoardClient(hostEnd, { ...FAST, ...client }) };
}

const image = (seed: number) => Uint8Array.from({ length: H * W * PX }, (_, i) => (i * 13 + seed * 29) & 0xff);

describe('streamed input', () => {
  it('HELLO_ACK says the board streams; RUN needs no upload; the regions arrive in parts and the output is exact', async () => {
    // Generous waits on both ends: this test counts exchanges, so a loaded machine must not cause resends.
    const { client, board, hostEnd } = await setup({ timeoutMs: 3000 }, {}, { replyTimeoutMs: 3000 });
    const hello = await client.hello();
    expect(hello).toMatchObject({ inputStreamed: true, inputCapacity: 0 });
    const input = image(1);
    const { output, stats } = await client.runSample(4, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(stats).toMatchObject({ sample: 4, outputCrc: crc32Of(fakeOutput(input)) });
    // Each 7×6×3 = 126-byte patch in parts of 50, 50, 26: 12 requests, 504 bytes (the halos twice).
    expect(client.counters).toMatchObject({ regionRequests: 12, regionBytes: 4 * 126, regionRefusals: 0, retransmissions: 0 });
    expect(board.regionRequests).toBe(12);
    // Nothing was uploaded.
    expect(hostEnd.written.some((w) => w[6] === FRAME_TYPE.INPUT_BEGIN || w[6] === FRAME_TYPE.INPUT_CHUNK)).toBe(false);
    expect(client.lastTimings?.inputMs).toBe(0);
  });

  it('on a line that drops and damages frames both ways, every sample still comes out exact', async () => {
    // Per byte: about one exchange in six loses its request or its answer; six in a row (a give-up) is ~1e-5.
    const faults = { drop: 0.0005, flip: 0.0005, duplicate: 0.0005, seed: 7 };
    const { client, board } = await setup({ timeoutMs: 50 }, { host: faults, board: { ...faults, seed: 8 } });
    await client.hello();
    for (let i = 0; i < 5; i++) {
      const input = image(10 + i);
      const { output } = await client.runSample(i, input);
      expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    }
    expect(board.regionRequests).toBeGreaterThan(5 * 12); // lost answers were asked for again
  }, 60_000);

  it('a region outside the sample is refused: the run fails with INPUT_UNAVAILABLE and says why', async () => {
    const { client } = await setup({ regions: [[0, 0, 7, 6], [6, 5, 7, 6]] });
    await client.hello();
    const failed = await client.runSample(2, image(2)).then(() => { throw new Error('expected a failure'); }, (e: BoardAnswerError) => e);
    expect(failed).toMatchObject({ name: 'BoardAnswerError', codeName: 'INPUT_UNAVAILABLE', detail: 13 });
    expect(failed.message).toMatch(/INPUT_UNAVAILABLE \(detail 13\): the host refused an input region; the host refused it: region rows 6\.\.12, columns 5\.\.10 is not inside the 12x10 image$/);
    expect(client.counters.regionRefusals).toBe(1);
  });

  it('a sample whose size does not match the board\'s image is refused, not cropped', async () => {
    const { client } = await setup();
    await client.hello();
    await expect(client.runSample(0, new Uint8Array(H * W * PX - 1))).rejects.toThrow(/the host refused it: a 12x10 image of 3 bytes per pixel is 360 bytes, the sample 359$/);
  });

  it('a host that stops answering: the board gives up after its resends and the run fails with a clear error', async () => {
    const { client, board } = await setup({ timeoutMs: 5 });
    await client.hello();
    board.silentWhen = (f) => f.type === FRAME_TYPE.INPUT_REGION;
    await expect(client.runSample(1, image(1))).rejects.toThrow(/INPUT_UNAVAILABLE \(detail 4294967295\): no answer to an input region request/);
    expect(board.regionRequests).toBe(6); // the request and five resends
  });

  it('a board that reboots in the middle of its requests: BoardResetError, then hello() and the sample again', async () => {
    const { client, board } = await setup();
    await client.hello();
    let answers = 0;
    board.beforeRequest = (f) => {
      if (f.type === FRAME_TYPE.INPUT_REGION && ++answers === 3) board.reboot();
    };
    await expect(client.runSample(5, image(5))).rejects.toBeInstanceOf(BoardResetError);
    board.beforeRequest = undefined;
    await client.hello();
    const input = image(5);
    const { output } = await client.runSample(5, input);
    expect(Buffer.from(output).equals(Buffer.from(fakeOutput(input)))).toBe(true);
    expect(board.runs.get(5)).toBe(1);
  });
});

describe('cropRegion', () => {
  const input = Uint8Array.from({ length: 4 * 5 * 2 }, (_, i) => i);
  const req = { sample: 0, height: 4, width: 5, pixelBytes: 2, y0: 1, x0: 2, rows: 2, cols: 3, offset: 0, maxLength: 100 };
  it('copies the region row by row, from any offset, never past its end', () => {
    expect([...(cropRegion(input, req) as Uint8Array)]).toEqual([14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29]);
    expect([...(cropRegion(input, { ...req, offset: 5, maxLength: 3 }) as Uint8Array)]).toEqual([19, 24, 25]);
    expect([...(cropRegion(input, { ...req, offset: 11 }) as Uint8Array)]).toEqual([29]);
  });
  it('refuses what does not fit the sample', () => {
    expect(cropRegion(input, { ...req, height: 5 })).toMatch(/5x5 image of 2 bytes per pixel is 50 bytes, the sample 40/);
    expect(cropRegion(input, { ...req, x0: 3 })).toMatch(/columns 3\.\.5 is not inside the 4x5 image/);
    expect(cropRegion(input, { ...req, rows: 0 })).toMatch(/not inside/);
    expect(cropRegion(input, { ...req, offset: 12 })).toMatch(/bytes 12\.\.111 are not inside the 12-byte region/);
    expect(cropRegion(input, { ...req, maxLength: 0 })).toMatch(/not inside the 12-byte region/);
  });
});
