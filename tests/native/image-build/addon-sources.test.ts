// cmake-js (native/CMakeLists.txt) and node-gyp (binding.gyp) must build the addon from the same sources:
// both ask native/addon-sources.js, and that list must be every runtime, kernel and addon source on disk.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../support/paths';

function glob(dir: string, exts: string[]): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return glob(rel, exts);
    return exts.includes(path.extname(e.name)) ? [rel] : [];
  });
}

const script = path.join(REPO_ROOT, 'native', 'addon-sources.js');
const run = (...args: string[]) => execFileSync(process.execPath, [script, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

test('the shared list is every .c of runtime/src and kernels plus the addon glue', () => {
  const onDisk = [...glob('native/runtime/src', ['.c']), ...glob('native/runtime/kernels', ['.c']), ...glob('native/addon', ['.c', '.cc'])].sort();
  expect(run().trim().split('\n')).toEqual(onDisk);
  expect(onDisk).toContain('native/runtime/src/image.c');
  expect(onDisk).toContain('native/addon/addon.cc');
});

test('binding.gyp takes its sources from the shared list', () => {
  const gyp = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'binding.gyp'), 'utf8'));
  const target = gyp.targets[0];
  expect(target.target_name).toBe('mcubench_native');
  expect(target.sources).toEqual(['<!@(node native/addon-sources.js --gyp)']);
  // What gyp's <!@(...) expansion yields: the command's output split on whitespace.
  expect(run('--gyp').trim().split(/\s+/)).toEqual(run().trim().split('\n'));
});

test('native/CMakeLists.txt takes its sources from the shared list', () => {
  const cmake = fs.readFileSync(path.join(REPO_ROOT, 'native', 'CMakeLists.txt'), 'utf8');
  expect(cmake).toMatch(/addon-sources\.js --cmake/);
  expect(cmake).toMatch(/add_library\(\$\{PROJECT_NAME\} SHARED \$\{MCB_ADDON_SOURCES\}/);
  expect(cmake).toMatch(/set\(CMAKE_C_STANDARD 99\)/);
  const list = run('--cmake').split(';').map((f) => path.relative(REPO_ROOT, f));
  expect(list).toEqual(run().trim().split('\n'));
});
