import { writeMarkdownReport } from '../../../harness/report/markdown-writer';
import { BOARD_RUN, HOST_EVAL, readFixture } from './fixtures';

describe('writeMarkdownReport', () => {
  const board = readFixture(BOARD_RUN);
  const md = writeMarkdownReport(board);
  const lines = md.split('\n');

  it('titles the report with model and board and summarises the run', () => {
    expect(lines[0]).toBe('# mcubench results: mlperf_tiny_vww_96_int8 on stm32f746g-disco');
    expect(lines).toContain('| schedule | patch-based (2×2 patches, split before op 8) |');
    expect(lines).toContain('| samples | 10 |');
    expect(lines).toContain('| skipped inputs | 1 |');
  });

  it('prints accuracy and device/host agreement that match the samples', () => {
    // 7 of the 10 device predictions equal the label; 9 of 10 equal the host prediction.
    const correct = board.samples.filter((s) => s.predicted === s.label).length;
    const same = board.samples.filter((s) => s.predicted === s.hostPredicted).length;
    expect([correct, same]).toEqual([7, 9]);
    expect(lines).toContain('| top-1 | 70.00 % |');
    expect(lines).toContain('| top-5 | 100.00 % |');
    expect(lines).toContain('| 10 | 9 | 1 | 90.00 % |');
    expect(lines).toContain('| bit-exact rate | 90.00 % |');
  });

  it('prints latency in cycles and in ms at the board clock', () => {
    // p99 13,053,448.54 cycles at 216 MHz = 60.4326 ms.
    expect(lines).toContain('| p99 | 13,053,449 | 60.433 ms |');
    expect(lines).toContain('| min | 12,977,652 | 60.082 ms |');
    expect(md).toContain('Clock: 216 MHz.');
  });

  it('lists every operator\'s latency beside its live bytes, each with a bar; patch-stage operators on their own rows', () => {
    const at = lines.indexOf('## Latency and memory per operator (patch schedule, mean over samples)');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 2]).toBe('| op | type | ran | MACs | cycles | cycles / MAC | share | latency | live bytes | memory |');
    const rows = lines.slice(at + 4, at + 4 + 31);
    expect(rows.map((l) => Number(l.split(' | ')[0].slice(2)))).toEqual(board.ops!.map((o) => o.index));
    // Op 0 is the slowest (full bar) and ran per patch; the peak op 2 has the full memory bar of the patch plan.
    expect(rows[0]).toBe('| 0 | CONV_2D | patch stage | 701,784 | 1,453,111 | 2.07 | 11.2 % | ████████████████ | 26,787 B (26.2 KiB) | ███████████████▌ |');
    expect(rows[2]).toMatch(/^\| 2 \| CONV_2D \| patch stage \| .* \| 27,672 B \(27\.0 KiB\) \| ████████████████ \|$/);
    expect(rows[8]).toBe('| 8 | CONV_2D | whole | 294,912 | 407,095 | 1.38 | 3.1 % | ████▌ | 13,824 B (13.5 KiB) | ████████ |');
    expect(lines[at + 4 + 31 + 1]).toBe("The operators' sum is 12,925,178 cycles, 99.5 % of the mean latency (the rest, which no operator owns, is copying the input in "
      + 'and the output out and the walk between operators); patch-stage operators are timed over all 4 patches, their live bytes are per patch.');
  });

  it('compares SRAM with the plan and the board, with headroom', () => {
    const s = board.sram!;
    expect(s.staticBytes! + s.stackPeakBytes! + s.arenaPeakBytes!).toBe(s.measuredPeakBytes); // 39,272 B
    expect(s.boardBytes! - s.measuredPeakBytes!).toBe(288408);
    expect(lines).toContain('| planned peak, layer-based | 55,296 B (54.0 KiB) |');
    expect(lines).toContain('| planned peak, patch-based (2×2, split 8) | 27,672 B (27.0 KiB) |');
    expect(lines).toContain('| patch-based reduction | 2.00× |'); // 55296 / 27672 = 1.998
    expect(lines).toContain('| measured arena peak | 27,672 B (27.0 KiB), ±0 B vs plan |');
    expect(lines).toContain('| measured total peak | 39,272 B (38.4 KiB) |');
    expect(lines).toContain('| headroom (board − measured peak) | 288,408 B (281.6 KiB), 88.0 % free |');
  });

  it('sums flash and lists checks and skipped inputs with table-safe text', () => {
    expect(lines).toContain('| total | 359,676 B (351.2 KiB) |'); // 41,212 + 318,464
    expect(lines).toContain('| headroom | 688,900 B (672.8 KiB), 65.7 % free |');
    expect(lines).toContain('## Checks (3 passed, 2 failed)');
    expect(lines).toContain('| latency p99 <= 60.250 ms | FAIL | latency p99 60.433 ms exceeds the budget 60.250 ms by 0.183 ms |');
    expect(lines).toContain('| broken\\|frame.jpg | JPEG decode failed: unexpected end of data <EOF> |');
  });

  it('leaves out sections a host eval has no data for', () => {
    const host = writeMarkdownReport(readFixture(HOST_EVAL));
    expect(host.split('\n')[0]).toBe('# mcubench results: mcunet-in3_320kb-1mb_imagenet');
    expect(host).toContain('| top-5 | 91.67 % |'); // 11 of 12
    expect(host).toContain('## Checks (3 passed, 0 failed)');
    for (const absent of ['## Latency', '## Flash', '## Fidelity', '## Skipped', 'board SRAM', '| board |']) expect(host).not.toContain(absent);
  });

  it('prints detection mAP and AP per class', () => {
    const r = readFixture(HOST_EVAL);
    delete r.accuracy;
    r.detection = { map07: 0.512, map12: 0.5346, perClass: { person: 0.5346, 'traffic|light': 0.25 } };
    const out = writeMarkdownReport(r).split('\n');
    expect(out).toContain('| mAP (VOC07 11-point) | 51.20 % |');
    expect(out).toContain('| mAP (VOC12 all-point) | 53.46 % |');
    expect(out).toContain('| person | 53.46 % |');
    expect(out).toContain('| traffic\\|light | 25.00 % |');
  });

  it('says by how much a run overflows the board', () => {
    const r = readFixture(BOARD_RUN);
    r.sram!.measuredPeakBytes = 327680 + 2048;
    expect(writeMarkdownReport(r)).toContain('| headroom (board − measured peak) | over by 2,048 B (2.0 KiB) |');
  });
});
