// Test helper: collects what a SerialPort receives and waits for a pattern, with a timeout.
import type { SerialPort } from 'serialport';

export class SerialText {
  text = '';

  constructor(port: SerialPort) {
    port.on('data', (chunk: Buffer) => { this.text += chunk.toString('latin1'); });
  }

  async waitFor(pattern: RegExp, timeoutMs = 10000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.text.match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; received: ${JSON.stringify(this.text)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** `key=value` pairs of a status line, values as numbers where they are numbers. */
export function parseFields(line: string): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const [, key, value] of line.matchAll(/(\w+)=(\S+)/g)) fields[key] = /^\d+$/.test(value) ? Number(value) : value;
  return fields;
}
