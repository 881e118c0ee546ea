// Test support: a real redis-server on a Unix socket in a scratch folder, with an append-only file fsync'd on every
// write (so it can be killed and restarted without losing queued jobs), tied to the test process.
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { spawnChild } from '../../../harness/process/children';

export class RedisServer {
  private child?: ChildProcess;
  constructor(readonly dir: string) {}

  get socket(): string {
    return path.join(this.dir, 'redis.sock');
  }

  get url(): string {
    return `unix://${this.socket}`;
  }

  async start(): Promise<void> {
    fs.rmSync(this.socket, { force: true });
    this.child = spawnChild('redis-server', [
      '--port', '0', '--unixsocket', this.socket, '--unixsocketperm', '700', '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', path.join(this.dir, 'redis.log'),
    ], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await this.ping())) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${this.socket}: ${fs.readFileSync(path.join(this.dir, 'redis.log'), 'utf8').slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no shutdown save, no goodbye to clients (the append-only file keeps every acknowledged write). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.createConnection(this.socket);
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('+PONG')); });
    });
  }
}
