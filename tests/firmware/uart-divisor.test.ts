// The UART divisor error has one definition in C (firmware/drivers/uart.h, which the drivers use to refuse a rate)
// and one in TypeScript (harness/link/baud-rates.ts, which picks the rate to ask for): they must agree.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { divisorError, MAX_DIVISOR_ERROR } from '../../harness/link/baud-rates';
import { REPO_ROOT } from '../support/paths';
import { makeBuildDir, removeBuildDirs } from './protocol-build';

afterAll(removeBuildDirs);

const CASES: [clockHz: number, baud: number][] = [
  [108_000_000, 115200], [108_000_000, 2_000_000], [108_000_000, 1_500_000], [50_000_000, 921600],
  [50_000_000, 1_500_000], [16_000_000, 921600], [25_000_000, 230400], [42_000_000, 460800], [84_000_000, 3_000_000],
];

describe('UART divisor error, C and TypeScript', () => {
  it('agrees on every rate of the table: the same divisor, the same verdict at 2 %', () => {
    const dir = makeBuildDir('mcb-uart-');
    const source = path.join(dir, 'divisor.c');
    fs.writeFileSync(source, `#include <stdio.h>
#include "uart.h"
int main(void) {
  static const unsigned long cases[][2] = {${CASES.map(([c, b]) => `{${c}ul, ${b}ul}`).join(', ')}};
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    unsigned long clock = cases[i][0], baud = cases[i][1], divisor = (clock + baud / 2) / baud;
    printf("%lu %u\\n", divisor, (unsigned)mcb_uart_error_permille((uint32_t)clock, (uint32_t)divisor, (uint32_t)baud));
  }
  return 0;
}
`);
    const exe = path.join(dir, 'divisor');
    execFileSync('gcc', ['-std=c99', '-Wall', '-Werror', `-I${path.join(REPO_ROOT, 'firmware/drivers')}`, source, '-o', exe]);
    const lines = execFileSync(exe, { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' ').map(Number));
    CASES.forEach(([clock, baud], i) => {
      const [divisor, permille] = lines[i];
      expect(divisor).toBe(Math.round(clock / baud));
      const error = divisorError(clock, baud);
      expect(permille).toBe(Math.max(0, Math.ceil(error * 1000 - 1e-9)));
      expect(permille <= 20).toBe(error <= MAX_DIVISOR_ERROR);
    });
  });
});
