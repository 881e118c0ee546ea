// Hardware-in-the-loop: flashes a real board listed in the hardware map. Flashing overwrites the board, so it
// runs only when MCUBENCH_LAB names a lab.json; everything else in this folder runs against the simulator.
import * as fs from 'fs';
import { flashBoard } from '../../../../harness/flash/stlink';
import { loadLabMap } from '../../../../harness/lab';
import { buildArmElf } from '../algorithms/arm-elf-fixture';

const labFile = process.env.MCUBENCH_LAB;
const entry = labFile && fs.existsSync(labFile) ? loadLabMap(labFile).boards.find((b) => b.available) : undefined;
const skipReason = entry ? '' : ' (skipped: needs a physical board + ST-Link; set MCUBENCH_LAB to a lab.json listing an available board)';

(entry ? it : it.skip)(`flashes a gcc-built test image onto the real board and verifies it${skipReason}`, async () => {
  const fixture = buildArmElf();
  const result = await flashBoard({ boardId: entry!.boardId, elfOrBin: fixture.elf, probeSelector: { serial: entry!.probeSerial } });
  expect(result.erasedSectors).toEqual([0]);
  expect(result.bytesProgrammed).toBeGreaterThanOrEqual(fs.statSync(fixture.bin).size);
}, 60000);
