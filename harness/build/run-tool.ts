// Runs one build tool (cmake, arm-none-eabi-size, ...) and collects its interleaved output.
import { spawn } from 'child_process';
import { BuildError } from './build-error';

export interface ToolResult {
  code: number;
  output: string;
}

export function runTool(command: string, args: string[], options: { cwd?: string; onLine?: (line: string) => void } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    const collect = (data: Buffer): void => {
      const text = data.toString('utf8');
      chunks.push(text);
      if (options.onLine) text.split('\n').filter((line) => line.length > 0).forEach(options.onLine);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT'
        ? new BuildError(`'${command}' is not installed or not on PATH; run scripts/setup.sh (needs cmake, gcc-arm-none-eabi, libnewlib-arm-none-eabi)`)
        : err);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output: chunks.join('') }));
  });
}

/** The last lines of a tool's output: enough to show the error without the whole log. */
export function tail(output: string, lines = 30): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
