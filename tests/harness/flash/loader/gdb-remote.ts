// A minimal GDB remote-protocol client (packets $data#checksum, '+' acks), enough to drive QEMU's gdbstub: write
// memory, set registers, set breakpoints, continue, interrupt, read memory and registers.
import * as net from 'net';

export class GdbRemote {
  private buffer = '';
  private waiters: Array<(packet: string) => void> = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.drain();
    });
  }

  static connect(path: string, timeoutMs = 5000): Promise<GdbRemote> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        const socket = net.createConnection(path);
        socket.once('connect', () => resolve(new GdbRemote(socket)));
        socket.once('error', (err) => {
          if (Date.now() - started > timeoutMs) reject(err);
          else setTimeout(attempt, 50);
        });
      };
      attempt();
    });
  }

  private drain(): void {
    for (;;) {
      this.buffer = this.buffer.replace(/^\+/, '');
      const match = /^\$([^#]*)#[0-9a-fA-F]{2}/.exec(this.buffer);
      if (!match) return;
      this.buffer = this.buffer.slice(match[0].length);
      this.socket.write('+');
      this.waiters.shift()?.(match[1]);
    }
  }

  private reply(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gdbstub: no reply within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((packet) => {
        clearTimeout(timer);
        resolve(packet);
      });
    });
  }

  async command(data: string, timeoutMs = 5000): Promise<string> {
    let sum = 0;
    for (const ch of data) sum = (sum + ch.charCodeAt(0)) & 0xff;
    const answer = this.reply(timeoutMs);
    this.socket.write(`$${data}#${sum.toString(16).padStart(2, '0')}`);
    return answer;
  }

  async writeMemory(address: number, bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length; at += 1024) {
      const piece = bytes.subarray(at, at + 1024);
      const answer = await this.command(`M${(address + at).toString(16)},${piece.length.toString(16)}:${Buffer.from(piece).toString('hex')}`);
      if (answer !== 'OK') throw new Error(`gdbstub: memory write at 0x${(address + at).toString(16)} answered '${answer}'`);
    }
  }

  /** In 1 KB packets: QEMU refuses longer ones (E22). */
  async readMemory(address: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += 1024) {
      const size = Math.min(1024, length - at);
      const answer = await this.command(`m${(address + at).toString(16)},${size.toString(16)}`);
      if (!/^([0-9a-f]{2})*$/.test(answer) || answer.length !== size * 2) throw new Error(`gdbstub: memory read at 0x${(address + at).toString(16)} answered '${answer.slice(0, 16)}'`);
      out.set(Buffer.from(answer, 'hex'), at);
    }
    return out;
  }

  /**
   * QEMU answers 'P' with "unsupported", so registers go through 'g'/'G' (all core registers at once). ARM layout:
   * r0–r15 (4 bytes each), f0–f7 (12 bytes each), fps, cpsr/xPSR.
   */
  static readonly XPSR = -1;

  private static offset(index: number): number {
    return index === GdbRemote.XPSR ? 16 * 4 + 8 * 12 + 4 : index * 4;
  }

  async setRegisters(values: Array<[number, number]>): Promise<void> {
    const all = Buffer.from(await this.command('g'), 'hex');
    for (const [index, value] of values) all.writeUInt32LE(value >>> 0, GdbRemote.offset(index));
    const answer = await this.command(`G${all.toString('hex')}`);
    if (answer !== 'OK') throw new Error(`gdbstub: register write answered '${answer}'`);
  }

  async register(index: number): Promise<number> {
    return Buffer.from(await this.command('g'), 'hex').readUInt32LE(GdbRemote.offset(index));
  }

  async breakpoint(address: number): Promise<void> {
    const answer = await this.command(`Z0,${address.toString(16)},2`);
    if (answer !== 'OK') throw new Error(`gdbstub: breakpoint at 0x${address.toString(16)} answered '${answer}'`);
  }

  /** Continues; resolves with the stop reply (e.g. T05…) when the target stops. */
  continue(timeoutMs = 10000): Promise<string> {
    const stop = this.reply(timeoutMs);
    this.socket.write('$c#63');
    return stop;
  }

  /** Interrupts a running target (Ctrl-C); the pending continue() resolves with the stop reply. */
  interrupt(): void {
    this.socket.write('\x03');
  }

  close(): void {
    this.socket.destroy();
  }
}
