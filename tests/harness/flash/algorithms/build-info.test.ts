// The firmware's build identity: a real build for one board carries its board id and model hash in
// .mcb_build_info, and every flash path refuses it for another board before anything is erased.
import * as crypto from 'crypto';
import * as fs from 'fs';
import { loadBoard } from '../../../../harness/boards';
import { buildFirmware } from '../../../../harness/build/build-firmware';
import { readBuildInfo } from '../../../../harness/flash/algorithms/build-info';
import { flasherFor } from '../../../../harness/targets';
import { flashBoard } from '../../../../harness/flash/stlink';
import { simBoard, writeTempFile } from '../stlink/sim-fixture';

let elf: string;
let modelSha: string;

beforeAll(async () => {
  // Any bytes do as the linked blob: the identity records their hash, the flashers never parse them.
  const modelImage = writeTempFile('model.img', Uint8Array.from({ length: 256 }, (_, i) => (i * 7) & 0xff));
  modelSha = crypto.createHash('sha256').update(fs.readFileSync(modelImage)).digest('hex');
  elf = (await buildFirmware({ board: 'nucleo-f412zg', modelImage })).elf;
}, 300000);

describe('firmware build identity', () => {
  it('a real build carries its board id and the model image SHA-256 in .mcb_build_info', () => {
    expect(readBuildInfo(fs.readFileSync(elf), elf)).toEqual({ board: 'nucleo-f412zg', modelSha256: modelSha });
  });

  it('flash refuses it for another board before opening the probe, naming both boards (the simulated board stays untouched)', async () => {
    const sim = simBoard('stm32f746g-disco');
    const error = await flashBoard({ boardId: 'stm32f746g-disco', elfOrBin: elf, probeFactory: sim.factory }).catch((e) => e);
    expect(error.name).toBe('FlashError');
    expect(error.message).toBe(`${elf} was built for board 'nucleo-f412zg', not for 'stm32f746g-disco': refusing to flash it (nothing was erased); ` +
      'build one for this board with mcubench build --board stm32f746g-disco --out firmware.elf');
    expect(sim.device.commands).toEqual([]);
    expect(sim.target.flash.eraseLog).toEqual([]);
  });

  it.each(['openocd', 'st-flash', 'msd'] as const)('--flasher %s refuses it too, before starting the tool', async (kind) => {
    await expect(flasherFor(loadBoard('stm32f746g-disco'), kind).flash({ board: loadBoard('stm32f746g-disco'), firmware: elf, halt: false }))
      .rejects.toThrow("was built for board 'nucleo-f412zg', not for 'stm32f746g-disco'");
  });

  it('refuses a firmware with another model image when the run names its model', async () => {
    const sim = simBoard('nucleo-f412zg');
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: elf, probeFactory: sim.factory, modelSha256: 'ab'.repeat(32) }))
      .rejects.toThrow(`carries model image ${modelSha}, but this run needs ${'ab'.repeat(32)}`);
    expect(sim.device.commands).toEqual([]);
  });

  it('flashes it onto its own board', async () => {
    const sim = simBoard('nucleo-f412zg');
    const result = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: elf, probeFactory: sim.factory, modelSha256: modelSha });
    expect(result.bytesProgrammed).toBeGreaterThan(1000);
  });
});
