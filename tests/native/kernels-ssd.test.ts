// Builds and runs the SSD layout-kernel unit test (SHAPE, STRIDED_SLICE, PACK, TILE, RESIZE_BILINEAR) on its
// own: strict C99 with AddressSanitizer + UBSan (tests/support/c-build.ts). tests/native/kernels.test.ts also
// picks the file up.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gcc, KERNEL_TEST_FLAGS, portableKernelSources } from '../support/c-build';
import { REPO_ROOT } from '../support/paths';

const TEST_SOURCE = path.join(REPO_ROOT, 'tests', 'native', 'kernels', 'test_layout_ssd.c');

let buildDir = '';

beforeAll(() => {
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-kernels-ssd-'));
});

afterAll(() => {
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
});

describe('SSD layout kernels (gcc, ASan + UBSan)', () => {
  it('test_layout_ssd.c builds warning-free and every check passes', () => {
    const exe = path.join(buildDir, 'test_layout_ssd');
    gcc([...KERNEL_TEST_FLAGS, '-O0', TEST_SOURCE, ...portableKernelSources(), '-lm', '-o', exe]);
    let stdout = '';
    try {
      stdout = execFileSync(exe, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });
    } catch (err) {
      const e = err as { status?: number; stdout?: string; stderr?: string };
      throw new Error(`test_layout_ssd exited with ${e.status}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    expect(stdout).toContain('test_layout_ssd: ok');
  });
});
