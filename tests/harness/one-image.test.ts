// One model and one schedule give one image, whichever command packs it: infer, eval, run and build all go through
// planImage (shape ops folded, then planned and packed). ST's SSD head is the model where this matters: its 15
// SHAPE/STRIDED_SLICE/PACK operators fold away, so an image packed without folding has another hash.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBoard, type ResolvedBoard } from '../../harness/boards';
import { evaluate, loadModel, packModel, prepareBoardImage } from '../../harness/index';
import { packImage } from '../../harness/pack/pack-image';
import { readImageSummary } from '../../harness/pack/read-image';
import { selectSchedule, type ScheduleRequest } from '../../harness/pack/select-schedule';
import { MANIFEST_FILE } from '../../harness/run/pipeline-manifest';
import { sharedModel } from '../support/paths';

const SSD = sharedModel('st_ssd_mobilenet_v1_025_192_person_int8');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** emu-f746 with room for the SSD (it needs ~390 KB of SRAM): the run and build paths then get past the fit check. */
function roomyBoard(): ResolvedBoard {
  const board = loadBoard('emu-f746');
  return { ...board, chip: { ...board.chip, sram: { ...board.chip.sram, size: 4 << 20 }, flash: { ...board.chip.flash, size: 4 << 20 } } };
}

describe.each<[string, ScheduleRequest]>([
  ['layer', { schedule: 'layer' }],
  ['patch 4x4 over 6 ops', { schedule: 'patch', split: 6, patches: 4 }],
])('st_ssd_mobilenet_v1 (%s)', (_name, schedule) => {
  it('packs to the same model hash through infer, eval, run and build', async () => {
    // infer: the packed image the host runs.
    const inferImage = packModel(SSD, schedule).bytes;
    const modelHash = readImageSummary(inferImage).modelHash;
    expect(sha256(inferImage.subarray(64 + 16 * readImageSummary(inferImage).sections.length))).toBe(modelHash);

    // run and build: the bench firmware's image (prepareBoardFirmware → prepareBoardImage, before compiling).
    const boardImage = prepareBoardImage({ board: roomyBoard(), graph: loadModel(SSD), modelName: 'ssd', schedule });
    expect(boardImage.image.modelHash).toBe(modelHash);
    expect(Buffer.from(boardImage.image.bytes).equals(Buffer.from(inferImage))).toBe(true);

    // eval: one raw input through the host pipeline; its run manifest records the image hash it ran.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-one-image-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'in'));
    fs.writeFileSync(path.join(dir, 'in', 'zeros.bin'), new Uint8Array(192 * 192 * 3));
    await evaluate({ modelFile: SSD, datasetDir: path.join(dir, 'in'), schedule, outDir: path.join(dir, 'out'), progress: false, threads: 1 });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'out', MANIFEST_FILE), 'utf8')) as { fingerprint: string };
    expect(manifest.fingerprint).toMatch(new RegExp(`^image:${modelHash}:`));

    // Without folding the same model packs differently: the test would catch a command that skipped planImage.
    const raw = loadModel(SSD);
    expect(packImage(raw, selectSchedule(raw, schedule)).modelHash).not.toBe(modelHash);
  }, 120_000);
});
