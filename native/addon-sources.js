#!/usr/bin/env node
// The one list of sources the addon is built from, used by both native/CMakeLists.txt (cmake-js) and
// binding.gyp (node-gyp): the portable runtime, every kernel, and the addon glue.
//   node native/addon-sources.js             paths relative to the repository root, one per line
//   node native/addon-sources.js --cmake     absolute paths, ';'-separated (a CMake list)
//   node native/addon-sources.js --gyp       paths relative to the repository root, space-separated
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const GROUPS = [
  { dir: 'native/runtime/src', ext: ['.c'] },
  { dir: 'native/runtime/kernels', ext: ['.c'] },
  { dir: 'native/addon', ext: ['.c', '.cc'] },
];

function walk(dir, ext) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return walk(rel, ext);
    return ext.some((x) => e.name.endsWith(x)) ? [rel] : [];
  });
}

function addonSources() {
  return GROUPS.flatMap((g) => walk(g.dir, g.ext)).sort();
}

module.exports = { addonSources };

if (require.main === module) {
  const list = addonSources();
  if (process.argv.includes('--cmake')) process.stdout.write(list.map((f) => path.join(root, f)).join(';'));
  else if (process.argv.includes('--gyp')) process.stdout.write(list.join(' '));
  else process.stdout.write(`${list.join('\n')}\n`);
}
