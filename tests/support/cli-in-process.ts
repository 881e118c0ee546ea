// Runs the mcubench CLI in this process (no start-up cost), capturing what it prints; process.exitCode is reset
// so one command's failure does not leak into the next or into jest's own exit status.
import { main } from '../../harness/cli/main';

export async function cliInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out.push(String(c)); return true; });
  const se = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { err.push(String(c)); return true; });
  try {
    return { status: await main(['node', 'mcubench', ...args]), stdout: out.join(''), stderr: err.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
  }
}
