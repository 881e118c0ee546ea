// Builds and runs the SSD layout-kernel unit test (SHAPE, STRIDED_SLICE, PACK, TILE, RESIZE_BILINEAR) on its
// own: gcc -std=c99 -Wall -Wextra -Werror -pedantic with AddressSanitizer + UBSan, linking only the kernels it
// exercises so it stays a few seconds. (tests/native/kernels.test.ts also picks the file up with every kernel.)
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';

const KERNELS_DIR = path.join(REPO_ROOT, 'native', 'runtime', 'kernels');
const INCLUDE_DIR = path.join(REPO_ROOT, 'native', 'runtime', 'include');
const TEST_SOURCE = path.join(REPO_ROOT, 'tests', 'native', 'kernels', 'test_layout_ssd.c');
const KERNEL_SOURCES = ['shape_ref.c', 'strided_slice_ref.c', 'pack_ref.c', 'tile_ref.c', 'resize_bilinear_s8_ref.c', 'kernel_common.c'];
const CFLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O0', '-g', '-fno-omit-frame-pointer',
  '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined', `-I${INCLUDE_DIR}`, `-I${KERNELS_DIR}`];

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
    try {
      execFileSync('gcc', [...CFLAGS, TEST_SOURCE, ...KERNEL_SOURCES.map((f) => path.join(KERNELS_DIR, f)), '-lm', '-o', exe],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stderr?: Buffer };
      throw new Error(`gcc failed:\n${e.stderr?.toString() ?? ''}`);
    }
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
