// Compiles the board-independent firmware helpers for the host and runs their C checks.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { C99_STRICT, FIRMWARE_CORE_DIR as CORE, gcc } from '../support/c-build';

describe('firmware core helpers on the host', () => {
  it('pass their C checks (watermark, receive ring, decimal formatting)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-core-host-'));
    const exe = path.join(dir, 'test_core_host');
    gcc([...C99_STRICT, '-O1', `-I${CORE}`, '-o', exe,
      path.join(__dirname, 'test_core_host.c'), path.join(CORE, 'watermark.c'), path.join(CORE, 'rx_ring.c'), path.join(CORE, 'fmt.c')]);
    const output = execFileSync(exe, { encoding: 'utf8' });
    expect(output).toMatch(/^ok \d+\n$/);
    fs.rmSync(dir, { recursive: true });
  });
});
