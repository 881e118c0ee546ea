#!/usr/bin/env node
// The CLI runs its TypeScript sources through SWC: no stale build output, start-up of a few hundred ms.
const path = require('path');
require('@swc-node/register');
require(path.join(__dirname, '..', 'harness', 'cli', 'main.ts'))
  .main(process.argv)
  .then((code) => { process.exitCode = code; });
