// Hardware-in-the-loop: launches a real board from the hardware map (flash, open its ST-Link COM port, start, reset).
// Flashing overwrites the board, so it runs only when MCUBENCH_LAB names a lab.json with an available board that
// has a serialPort; the simulator + pty test beside this file covers the same code path without hardware.
import * as fs from 'fs';
import { loadBoard } from '../../../../harness/boards';
import { loadLabMap } from '../../../../harness/lab';
import type { DeviceTarget } from '../../../../harness/targets';
import { buildArmElf } from '../../flash/algorithms/arm-elf-fixture';
import { startWithConsole } from '../start-with-console';

const labFile = process.env.MCUBENCH_LAB;
const entry = labFile && fs.existsSync(labFile) ? loadLabMap(labFile).boards.find((b) => b.available && b.serialPort) : undefined;
const skipReason = entry ? '' : ' (skipped: needs a physical board + ST-Link; set MCUBENCH_LAB to a lab.json listing an available board with its serialPort)';

(entry ? it : it.skip)(`flashes a gcc-built image onto the real board, opens its console and resets it${skipReason}`, async () => {
  const fixture = buildArmElf();
  const board = await startWithConsole(loadBoard(entry!.boardId), fixture.elf, { lab: labFile });
  try {
    expect((board.target as DeviceTarget).flash.erasedSectors).toEqual([0]);
    expect(board.port.isOpen).toBe(true);
    await board.target.reset();
    expect(board.port.isOpen).toBe(true);
  } finally {
    await board.stop();
  }
}, 60000);
