// The C link endpoint against the shared vectors: CRC, framing, resync and the whole board-side conversation.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';
import { buildHostProgram, CORE_DIR, LINK_SOURCES, makeBuildDir, removeBuildDirs, STRICT_FLAGS } from './protocol-build';

afterAll(removeBuildDirs);

interface FrameFields { typeCode: number; seq: number; payloadHex: string }
const vectors = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/protocol/vectors.json'), 'utf8'));
const spec = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs/protocol.json'), 'utf8'));
const code = (list: { name: string; code: number }[], name: string) => list.find((x) => x.name === name)!.code;
const hexOrDash = (h: string) => (h.length ? h : '-');

/** The line format protocol_test.c reads (see its header comment). */
function flatten(): string {
  const out: string[] = [];
  for (const c of vectors.crc32) out.push(`crc ${hexOrDash(c.hex)} ${c.crc}`);
  for (const f of vectors.frames) out.push(`encode ${f.typeCode} ${f.seq} ${hexOrDash(f.payloadHex)} ${f.hex}`);
  for (const s of vectors.streams) {
    out.push(`stream ${hexOrDash(s.hex)} ${s.frames.length}`);
    for (const f of s.frames as FrameFields[]) out.push(`frame ${f.typeCode} ${f.seq} ${hexOrDash(f.payloadHex)}`);
  }
  const conv = vectors.conversation;
  const b = conv.board;
  out.push(
    [
      'board', b.firmwareVersion, b.boardId, b.coreClockHz, b.modelHashHex, b.arenaSize, code(spec.schedules, b.schedule),
      b.split, b.patches, code(spec.timeUnits, b.timeUnit), b.rxBufferSize, b.resetCause, b.inputCap, b.outputCap, b.maxBaud,
    ].join(' '),
  );
  out.push(`reset ${conv.reset}`);
  for (const step of conv.steps) {
    out.push(`send ${step.sendHex}`);
    for (const e of step.expectHex) out.push(`expect ${e}`);
    out.push('endstep');
  }
  out.push(`runs ${conv.expectRuns}`, `dups ${conv.expectDuplicates}`);
  out.push('probation'); // SET_BAUD reverts when nothing arrives at the new rate, stays when a frame does
  out.push('streamed'); // streamed input: region requests against a scripted host, lost and hostile answers, bad regions
  out.push('fuzz 1 20000', 'fuzz 2 20000'); // after the conversation: random hostile requests, ASan watching
  return out.join('\n') + '\n';
}

describe('C link endpoint (firmware/core/protocol.c, link.c)', () => {
  it('passes every shared vector under ASan/UBSan, fed whole and byte by byte', () => {
    const exe = buildHostProgram('protocol_test', [path.join(REPO_ROOT, 'tests/firmware/protocol_test.c')]);
    const input = path.join(path.dirname(exe), 'vectors.txt');
    fs.writeFileSync(input, flatten());
    const run = spawnSync(exe, [input], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/ 0 failures\n$/);
    // Guards against a silently empty run: every vector line must have produced checks.
    const checks = Number(/(\d+) checks/.exec(run.stdout)![1]);
    expect(checks).toBeGreaterThan(100);
    expect(run.status).toBe(0);
  });

  it('compiles warning-free for Cortex-M4 with the firmware flags, with its port adapter', () => {
    const armGcc = spawnSync('arm-none-eabi-gcc', ['--version']);
    if (armGcc.status !== 0) throw new Error('arm-none-eabi-gcc missing: run scripts/setup.sh');
    const dir = makeBuildDir('mcb-link-arm-');
    for (const src of [...LINK_SOURCES, path.join(CORE_DIR, 'link_port.c')]) {
      execFileSync('arm-none-eabi-gcc', [
        ...STRICT_FLAGS, '-mcpu=cortex-m4', '-mthumb', '-Os', `-I${CORE_DIR}`, '-c', src,
        '-o', path.join(dir, path.basename(src) + '.o'),
      ]);
    }
  });

  it('rejects a build whose MCB_LINK_MAX_PAYLOAD exceeds the protocol maximum', () => {
    const r = spawnSync('gcc', [...STRICT_FLAGS, '-DMCB_LINK_MAX_PAYLOAD=2048', `-I${CORE_DIR}`, '-fsyntax-only', LINK_SOURCES[0]], {
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('MCB_LINK_MAX_PAYLOAD must be between');
  });
});
