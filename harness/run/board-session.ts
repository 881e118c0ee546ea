// One board running the bench firmware, seen through the link: launch its target (QEMU, or a real board flashed by
// its flasher), open its console (pty or virtual COM port) as a serial port, say hello (and check the model it
// holds), run samples, and recover when the board stops answering or reboots.
import type { ResolvedBoard } from '../boards';
import { BoardResetError, LinkError } from '../link/link-errors';
import type { HelloAck } from '../link/messages';
import { BoardClient, type BoardClientOptions, type SampleRun } from '../link/protocol-client';
import { SerialTransport } from '../link/serial-transport';
import type { Transport } from '../link/transport';
import { launchTarget, type Target, type TargetLaunchOptions } from '../targets';

export interface BoardSessionOptions {
  board: ResolvedBoard;
  elf: string;
  /** First 16 hex digits of the image's model hash: the board must report the same. */
  modelHash: string;
  modelName: string;
  /** Wraps the serial transport, e.g. in a FaultyTransport (fault-injection tests). */
  wrapTransport?: (transport: Transport) => Transport;
  client?: BoardClientOptions;
  /** Board restarts allowed over the whole session before giving up. Default 3. */
  maxRestarts?: number;
  /** Progress and recovery notes for the user. */
  onNote?: (note: string) => void;
  /** Real boards only: hardware map and flasher (tests pass the ST-Link simulator's). */
  target?: Pick<TargetLaunchOptions, 'lab' | 'flasher'>;
}

export class BoardSession {
  /** QEMU restarts done to recover. */
  restarts = 0;
  /** Link health over every boot of this session: requests sent, retransmissions, stale answers ignored. */
  /** Link counters of the boots that ended (linkCountersNow() adds the running one). regionBytes: streamed input served. */
  readonly linkCounters = { requests: 0, retransmissions: 0, staleFrames: 0, regionRequests: 0, regionBytes: 0 };
  private running?: Target;
  private transport?: Transport;
  private client?: BoardClient;
  private info?: HelloAck;

  private constructor(private readonly options: BoardSessionOptions) {}

  static async start(options: BoardSessionOptions): Promise<BoardSession> {
    const session = new BoardSession(options);
    await session.boot();
    return session;
  }

  /** HELLO_ACK of the current boot. */
  get hello(): HelloAck {
    if (!this.info) throw new Error('BoardSession used before start()');
    return this.info;
  }

  /** The running target (tests kill its QEMU to check recovery). */
  get target(): Target | undefined {
    return this.running;
  }

  /**
   * Runs one sample. A link failure (no answer, port gone, board reset) restarts the board and retries the sample
   * once; a second failure is a LinkError naming the sample. A board that answers with NACK/ERROR is not retried.
   */
  async runSample(index: number, name: string, input: Uint8Array): Promise<SampleRun> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.client) await this.recover(`board not running`);
        return await this.client!.runSample(index, input);
      } catch (err) {
        if (!(err instanceof LinkError)) throw err;
        if (attempt >= 1) {
          throw new LinkError(`sample '${name}' failed twice on board ${this.options.board.board.id}, giving up: ${err.message}` +
            `${this.describeExit()}; finished samples are kept (rerun with --resume)`, err.context);
        }
        await this.recover(err instanceof BoardResetError ? 'the board reset' : err.message);
      }
    }
  }

  /** The link counters over every boot so far, the running one included. */
  linkCountersNow(): BoardSession['linkCounters'] {
    const now = { ...this.linkCounters };
    if (this.client) for (const key of COUNTED) now[key] += this.client.counters[key];
    return now;
  }

  async close(): Promise<void> {
    if (this.client) {
      for (const key of COUNTED) this.linkCounters[key] += this.client.counters[key];
    }
    this.client?.dispose();
    this.client = undefined;
    await this.transport?.close().catch(() => undefined);
    this.transport = undefined;
    await this.running?.stop().catch(() => undefined);
    this.running = undefined;
  }

  private async recover(reason: string): Promise<void> {
    const max = this.options.maxRestarts ?? 3;
    if (this.restarts >= max) {
      throw new LinkError(`board ${this.options.board.board.id} needed more than ${max} restarts (${reason}); giving up${this.describeExit()}`);
    }
    this.restarts++;
    this.options.onNote?.(`board ${this.options.board.board.id}: ${reason}; restarting it (restart ${this.restarts} of at most ${max})`);
    await this.close();
    await this.boot();
  }

  private async boot(): Promise<void> {
    const { board } = this.options;
    // Paused until the port is open, so the RESET notice the firmware sends at boot is not lost.
    const target = await launchTarget(board, this.options.elf, { paused: true, ...this.options.target });
    this.running = target;
    const serial = new SerialTransport({ path: target.consolePath, baudRate: board.board.uart.baud });
    try {
      await serial.open();
      await target.resume();
    } catch (err) {
      await serial.close().catch(() => undefined);
      await target.stop().catch(() => undefined);
      this.running = undefined;
      throw err;
    }
    this.transport = this.options.wrapTransport ? this.options.wrapTransport(serial) : serial;
    this.client = new BoardClient(this.transport, this.options.client);
    try {
      this.info = await this.client.hello();
      this.checkBoard(this.info);
    } catch (err) {
      // A board that cannot be used must not keep QEMU or the port alive behind the error.
      await this.close();
      throw err;
    }
  }

  private checkBoard(ack: HelloAck): void {
    const { board, modelHash, modelName } = this.options;
    if (ack.boardId !== board.board.id) {
      throw new LinkError(`the firmware answering on ${this.transport?.name} was built for board '${ack.boardId}', not '${board.board.id}'`);
    }
    if (ack.modelHash !== modelHash.slice(0, ack.modelHash.length)) {
      throw new LinkError(`board ${board.board.id} holds model ${ack.modelHash}, not ${modelName} (${modelHash.slice(0, 16)}); ` +
        'the firmware and the model image are out of step: rebuild');
    }
  }

  private describeExit(): string {
    const note = this.running?.exitNote();
    return note ? ` (${note})` : '';
  }
}

const COUNTED = ['requests', 'retransmissions', 'staleFrames', 'regionRequests', 'regionBytes'] as const;
