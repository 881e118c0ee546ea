// The one place the tests' host C builds take their compiler flags and source lists from: every C test is
// strict C99 with warnings as errors, and runs under AddressSanitizer + UBSan unless it measures speed.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

export const RUNTIME_DIR = path.join(REPO_ROOT, 'native', 'runtime');
export const RUNTIME_INCLUDE_DIR = path.join(RUNTIME_DIR, 'include');
export const KERNELS_DIR = path.join(RUNTIME_DIR, 'kernels');
export const FIRMWARE_CORE_DIR = path.join(REPO_ROOT, 'firmware', 'core');
/** The runtime's CRC-32, shared by the image loader and the serial protocol. */
export const CRC32_SOURCE = path.join(RUNTIME_DIR, 'src', 'crc32.c');

/** Strict ISO C99: what every C file of the project must compile under. */
export const C99_STRICT = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic'];
/** ASan + UBSan, stopping at the first report. Pair with an -O level. */
export const SANITIZE = ['-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];
/** Strict, sanitized, and able to include the runtime's public headers and the kernels' private ones. */
export const KERNEL_TEST_FLAGS = [...C99_STRICT, ...SANITIZE, `-I${RUNTIME_INCLUDE_DIR}`, `-I${KERNELS_DIR}`];

/** The portable kernels (native/runtime/kernels/*.c, not the ISA twins below it), absolute paths. */
export function portableKernelSources(): string[] {
  return fs.readdirSync(KERNELS_DIR).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(KERNELS_DIR, f));
}

/** The runtime's own files (native/runtime/src/*.c), absolute paths. */
export function runtimeSources(): string[] {
  const dir = path.join(RUNTIME_DIR, 'src');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(dir, f));
}

/** Runs gcc; a failure carries the compiler's messages. */
export function gcc(args: string[], options: { cwd?: string; compiler?: string } = {}): void {
  const compiler = options.compiler ?? 'gcc';
  try {
    execFileSync(compiler, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`${compiler} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? String(err)}`);
  }
}
