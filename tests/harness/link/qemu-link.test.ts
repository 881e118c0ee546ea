// The link on an emulated board: the C endpoint built into the real firmware (startup, UART driver, RX ring, port)
// for emu-f746 with tests/firmware/protocol_qemu_app.c as the application, run in QEMU with "-serial pty", and
// driven by BoardClient through SerialTransport, as the runner will do it.
import * as fs from 'fs';
import * as path from 'path';
import { startQemuLink, type QemuLink } from '../../../bench/link-qemu';
import { FaultyTransport } from '../../../harness/link/faulty-transport';
import { crc32Of } from '../../../harness/link/frame-codec';
import { BoardClient } from '../../../harness/link/protocol-client';
import { REPO_ROOT } from '../../support/paths';
import { fakeOutput } from './support/fake-board';

const BOARD = 'emu-f746';
const board = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'boards', `${BOARD}.json`), 'utf8'));
let link: QemuLink | undefined;

afterAll(async () => {
  await link?.stop();
});

describe(`link on ${BOARD} in QEMU`, () => {
  it('says hello and returns correct outputs, also through injected faults', async () => {
    link = await startQemuLink(BOARD);
    const faulty = new FaultyTransport(link.serial, { tx: { seed: 21, drop: 0.0003, flip: 0.0003 }, rx: { seed: 22, flip: 0.0003, garbage: 0.0003 } });
    const client = new BoardClient(faulty, { replyTimeoutMs: 200, perByteMs: 0.1, runTimeoutMs: 2000, retries: 10, maxChunk: 256 });
    const ack = await client.hello();
    expect(ack).toMatchObject({ boardId: BOARD, coreClockHz: board.clockHz, firmwareVersion: 'qemu-link-test', rxBufferSize: 1024, maxPayload: 1024, inputCapacity: 8192 });
    for (const [sample, length] of [[0, 0], [1, 1500], [2, 8192]]) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 29 + sample) & 0xff);
      const { output, stats } = await client.runSample(sample, input);
      const expected = fakeOutput(input);
      expect(Buffer.from(output).equals(Buffer.from(expected))).toBe(true);
      expect(stats).toMatchObject({ sample, outputLength: expected.length, outputCrc: crc32Of(expected), arenaHighWater: length });
    }
    expect(faulty.tx!.total + faulty.rx!.total).toBeGreaterThan(0);
  });
});
