// The per-kernel C micro-benchmark (bench/kernels/bench_kernels.c): builds it with gcc -O3 against every
// portable kernel and the x86 twins, and prints reference vs AVX2 time per mcunet-in3 layer shape.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..');
const KERNELS = path.join(REPO_ROOT, 'native', 'runtime', 'kernels');

function cSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return cSources(p);
    return e.name.endsWith('.c') ? [p] : [];
  });
}

/** Builds and runs the micro-benchmark; false when a shape gave different bytes. */
export function runKernelBench(tmp: string, reps = 5): boolean {
  const exe = path.join(tmp, 'bench_kernels');
  execFileSync('gcc', ['-std=c99', '-O3', '-DNDEBUG', `-I${path.join(REPO_ROOT, 'native', 'runtime', 'include')}`, `-I${KERNELS}`,
    path.join(__dirname, 'kernels', 'bench_kernels.c'), ...cSources(KERNELS), '-lm', '-o', exe], { stdio: 'inherit' });
  console.log('\nper kernel (best of several calls, thread CPU time):');
  try {
    process.stdout.write(execFileSync(exe, [String(reps)], { encoding: 'utf8' }));
    return true;
  } catch (err) {
    process.stdout.write((err as { stdout?: string }).stdout ?? '');
    return false;
  }
}
