// Builds every C kernel unit test (tests/native/kernels/test_*.c) with the host gcc under
// -std=c99 -Wall -Wextra -Werror and AddressSanitizer + UBSan, runs it, and expects exit 0.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gcc, KERNEL_TEST_FLAGS, portableKernelSources } from '../support/c-build';
import { REPO_ROOT } from '../support/paths';

const TESTS_DIR = path.join(REPO_ROOT, 'tests', 'native', 'kernels');
const CFLAGS = [...KERNEL_TEST_FLAGS, '-O0'];

const kernelSources = portableKernelSources();
const testSources = fs.readdirSync(TESTS_DIR).filter((f) => /^test_.*\.c$/.test(f)).sort();

let buildDir = '';
let kernelObjects: string[] = [];

beforeAll(() => {
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-kernels-'));
  kernelObjects = kernelSources.map((src) => {
    const obj = path.join(buildDir, path.basename(src).replace(/\.c$/, '.o'));
    gcc([...CFLAGS, '-c', src, '-o', obj]);
    return obj;
  });
});

afterAll(() => {
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
});

describe('C kernel unit tests (gcc, ASan + UBSan)', () => {
  it('finds the kernels and their tests', () => {
    expect(kernelSources.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['conv_2d_s8_ref.c', 'depthwise_conv_2d_s8_ref.c', 'softmax_s8_ref.c']));
    expect(testSources.length).toBeGreaterThanOrEqual(9);
  });

  it.each(testSources)('%s builds cleanly and passes', (src) => {
    const exe = path.join(buildDir, src.replace(/\.c$/, ''));
    gcc([...CFLAGS, path.join(TESTS_DIR, src), ...kernelObjects, '-lm', '-o', exe]);
    let stdout = '';
    try {
      stdout = execFileSync(exe, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });
    } catch (err) {
      const e = err as { status?: number; stdout?: string; stderr?: string };
      throw new Error(`${src} exited with ${e.status}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    expect(stdout).toContain(': ok');
  });
});
