// Chip-side preparation between connecting and programming: keep the debug port alive in low-power modes,
// freeze the watchdogs while halted, then refuse a read-protected chip before anything is erased.
import type { Chip } from '../../boards';
import { FlashError, hex32, type Probe } from '../probe';
import { chipIdentity } from './chip-identity';
import { DBGMCU_APB1_FZ, DBGMCU_CR, FlashReg, Rdp } from './stm32-flash-registers';

/** Sets DBGMCU's low-power debug bits and watchdog freezes; the core may still be running (in WFI) when called. */
export async function configureDebugDomain(probe: Probe, chip: Chip): Promise<void> {
  chipIdentity(chip); // only STM32F4/F7 (both have these registers at these addresses) get here
  const cr = await probe.readWord(DBGMCU_CR.ADDRESS);
  await probe.writeWord(DBGMCU_CR.ADDRESS, (cr | DBGMCU_CR.DBG_SLEEP | DBGMCU_CR.DBG_STOP | DBGMCU_CR.DBG_STANDBY) >>> 0);
  const fz = await probe.readWord(DBGMCU_APB1_FZ.ADDRESS);
  await probe.writeWord(DBGMCU_APB1_FZ.ADDRESS, (fz | DBGMCU_APB1_FZ.DBG_IWDG_STOP | DBGMCU_APB1_FZ.DBG_WWDG_STOP) >>> 0);
}

/** How to lift read-out protection level 1 with the tools a lab has (each mass-erases the chip). */
export function rdpRemovalHint(boardId: string, openocdConfig: string | undefined): string {
  const openocd = openocdConfig
    ? `openocd -f ${openocdConfig} -c "init; reset halt; stm32f2x unlock 0; reset halt; exit"`
    : 'openocd -f <board config> -c "init; reset halt; stm32f2x unlock 0; reset halt; exit"';
  return `remove it with STM32CubeProgrammer (STM32_Programmer_CLI -c port=SWD mode=UR -ob RDP=0xAA) or ${openocd}, ` +
    `then power-cycle the board and flash ${boardId} again; removing it mass-erases the flash`;
}

/** Reads FLASH_OPTCR and throws before any erase when read-out protection is on. */
export async function refuseReadProtected(probe: Probe, boardId: string, openocdConfig?: string): Promise<void> {
  const optcr = await probe.readWord(FlashReg.OPTCR);
  const rdp = (optcr & Rdp.MASK) >>> Rdp.SHIFT;
  if (rdp === Rdp.LEVEL0) return;
  if (rdp === Rdp.LEVEL2) {
    throw new FlashError(`${probe.info.label}: board '${boardId}' has read-out protection level 2 (FLASH_OPTCR ${hex32(optcr)}, RDP 0xCC): ` +
      'the chip is permanently locked and can never be reprogrammed over SWD; replace the board');
  }
  throw new FlashError(`${probe.info.label}: read-out protection is on (level 1: FLASH_OPTCR ${hex32(optcr)}, RDP byte 0x${rdp.toString(16)}); ` +
    rdpRemovalHint(boardId, openocdConfig));
}
