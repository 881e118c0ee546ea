// Test helper: a real pseudo-terminal standing in for an ST-Link virtual COM port. socat creates the pty (with a
// stable symlink, like /dev/serial/by-id/…) and relays it to its stdin/stdout, which play the firmware's UART.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export class PtyConsole {
  /** What the host wrote to the port (the firmware's RX line). */
  received = '';

  private constructor(readonly path: string, private readonly socat: ChildProcess) {
    socat.stdout!.setEncoding('latin1').on('data', (chunk: string) => { this.received += chunk; });
  }

  static async open(): Promise<PtyConsole> {
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-pty-')), 'console');
    // wait-slave: relay nothing until the port is opened, as a UART that nobody listens to yet.
    const socat = spawn('socat', [`pty,raw,echo=0,link=${link},wait-slave`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    socat.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const deadline = Date.now() + 5000;
    while (!fs.existsSync(link)) {
      if (socat.exitCode !== null || Date.now() > deadline) throw new Error(`socat made no pty (is socat installed? scripts/setup.sh): ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return new PtyConsole(link, socat);
  }

  /** Bytes the firmware sends (the host reads them from the port). */
  send(text: string): void {
    this.socat.stdin!.write(Buffer.from(text, 'latin1'));
  }

  async waitFor(pattern: RegExp, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.received)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} on the pty within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    if (this.socat.exitCode === null) this.socat.kill('SIGTERM');
  }
}
