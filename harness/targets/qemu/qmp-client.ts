// A minimal QMP (QEMU Machine Protocol) client over a unix socket: handshake, commands, replies in order.
import * as net from 'net';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class QmpClient {
  private buffer = '';
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.failAll(new Error('QMP connection closed')));
    socket.on('error', (err) => this.failAll(err));
  }

  /** Connects, retrying while QEMU has not created the socket yet, then negotiates capabilities. */
  static async connect(socketPath: string, timeoutMs: number, isAlive: () => boolean): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await openSocket(socketPath);
        const client = new QmpClient(socket);
        await client.execute('qmp_capabilities');
        return client;
      } catch (err) {
        if (!isAlive() || Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('QMP connection closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.onMessage(JSON.parse(line) as { id?: number; return?: unknown; error?: { desc?: string } });
    }
  }

  private onMessage(message: { id?: number; return?: unknown; error?: { desc?: string } }): void {
    // Greetings and asynchronous events carry no id and need no answer here.
    if (message.id === undefined) return;
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`QMP: ${message.error.desc ?? JSON.stringify(message.error)}`));
    else waiter.resolve(message.return);
  }

  private failAll(err: Error): void {
    this.closed = true;
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }
}

function openSocket(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
