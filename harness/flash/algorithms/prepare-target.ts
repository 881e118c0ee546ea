// From an opened probe to a halted, identified, writable STM32: the order matters. The DEV_ID is read while the
// firmware still runs (DBGMCU sits on the PPB, which a sleeping core does not stall), DBGMCU is set before the halt
// (a core in WFI without DBG_SLEEP may never take it), and read-out protection is checked before any erase.
import type { Chip } from '../../boards';
import type { Probe, TargetIdentity } from '../probe';
import { expectDevId } from './chip-identity';
import { configureDebugDomain, refuseReadProtected } from './debug-setup';
import { DBGMCU_IDCODE } from './stm32-flash-registers';

export async function prepareTarget(probe: Probe, chip: Chip, boardId: string, openocdConfig?: string): Promise<TargetIdentity & { idcode: number }> {
  const identity = await probe.connect();
  const idcode = await probe.readWord(DBGMCU_IDCODE);
  expectDevId(chip, idcode, boardId);
  await configureDebugDomain(probe, chip);
  await probe.halt();
  await refuseReadProtected(probe, boardId, openocdConfig);
  return { ...identity, idcode };
}
