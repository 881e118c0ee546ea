// The x86 AVX2 twins (native/runtime/kernels/x86/) against the portable references: tests/native/kernels/
// twins_avx2.c runs thousands of random calls per op (shapes, strides, dilations, paddings, windows, regions,
// quantization tables, in-place and invalid calls) and demands the reference's status and bytes. Built with
// gcc -std=c99 -Wall -Wextra -Werror -pedantic and ASan + UBSan, twice: with the twins' internal buffer limits
// shrunk (so stripes, channel groups and both conv filter layouts all switch over on small shapes) and with the
// shipped limits.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gcc, KERNEL_TEST_FLAGS, KERNELS_DIR, portableKernelSources } from '../support/c-build';
import { REPO_ROOT } from '../support/paths';

const X86_DIR = path.join(KERNELS_DIR, 'x86');
const TEST_SOURCE = path.join(REPO_ROOT, 'tests', 'native', 'kernels', 'twins_avx2.c');
const CFLAGS = [...KERNEL_TEST_FLAGS, '-O1'];
/** Limits small enough that the random shapes (up to 40x40, 600 channels) cross every one of them. */
const SMALL_LIMITS = ['-DSTRIPE_BYTES=1024', '-DINPLACE_STACK_BYTES=1024', '-DMAX_PAIR_WORDS=512'];
const SEED = '20261126';

const cpuHasAvx2 = (): boolean => /\bavx2\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));

let buildDir = '';
const programs: Record<'small' | 'shipped', string> = { small: '', shipped: '' };

beforeAll(() => {
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-twins-'));
  const portable = portableKernelSources();
  const twins = fs.readdirSync(X86_DIR).filter((f) => f.endsWith('.c')).map((f) => path.join(X86_DIR, f));
  const objects = portable.map((src) => {
    const obj = path.join(buildDir, path.basename(src).replace(/\.c$/, '.o'));
    gcc([...CFLAGS, '-c', src, '-o', obj]);
    return obj;
  });
  for (const variant of ['small', 'shipped'] as const) {
    const twinObjects = twins.map((src) => {
      const obj = path.join(buildDir, `${variant}_${path.basename(src).replace(/\.c$/, '.o')}`);
      gcc([...CFLAGS, ...(variant === 'small' ? SMALL_LIMITS : []), '-c', src, '-o', obj]);
      return obj;
    });
    programs[variant] = path.join(buildDir, `twins_${variant}`);
    gcc([...CFLAGS, TEST_SOURCE, ...objects, ...twinObjects, '-lm', '-o', programs[variant]]);
  }
}, 240000);

afterAll(() => {
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
});

function run(program: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(program, args, { encoding: 'utf8', env: { ...process.env, MCB_FORCE_REF: '', ...env } });
  if (r.status !== 0) throw new Error(`${path.basename(program)} ${args.join(' ')} exited with ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe('AVX2 twins give the reference kernels\' bytes (ASan + UBSan)', () => {
  it('has the twins and a CPU to run them on (or says why not)', () => {
    expect(fs.readdirSync(X86_DIR).sort()).toEqual(expect.arrayContaining(['add_s8_avx2.c', 'conv_2d_s8_avx2.c', 'depthwise_conv_2d_s8_avx2.c', 'fully_connected_s8_avx2.c', 'leaky_relu_s8_avx2.c', 'mul_s8_avx2.c']));
    const out = run(programs.shipped, [SEED, '1']);
    if (!cpuHasAvx2()) {
      expect(out).toContain('skip: this CPU has no AVX2');
    } else {
      expect(out).toMatch(/^dispatch: ok, active avx2$/m);
    }
  });

  it.each([
    ['small buffer limits', 'small', 2500],
    ['shipped buffer limits', 'shipped', 1000],
  ] as const)('random calls with %s: identical status and bytes', (_label, variant, cases) => {
    const out = run(programs[variant], [SEED, String(cases)]);
    if (!cpuHasAvx2()) {
      expect(out).toContain('skip: this CPU has no AVX2'); // the twins cannot run here; dispatch uses the references
      return;
    }
    for (const section of ['requant8', 'conv_2d', 'depthwise_conv_2d', 'fully_connected', 'add', 'mul', 'leaky_relu']) {
      expect(out).toMatch(new RegExp(`^${section}: ok`, 'm'));
    }
    // Most valid calls must really go through the twins (a twin that declines everything proves nothing).
    for (const m of out.matchAll(/^(conv_2d|depthwise_conv_2d|fully_connected|add|mul|leaky_relu): ok, (\d+) cases, (\d+) valid, (\d+) taken/gm)) {
      expect(Number(m[4])).toBeGreaterThan(Number(m[3]) * 0.6);
    }
  }, 120000);

  it('MCB_FORCE_REF=1 pins dispatch to the reference', () => {
    expect(run(programs.shipped, [], { MCB_FORCE_REF: '1' })).toMatch(/^dispatch: ok, active ref$/m);
  });
});
