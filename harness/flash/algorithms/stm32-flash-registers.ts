// STM32F4 / STM32F7 embedded-flash interface registers. Sources: RM0090 §3.9 (F405/F407), RM0402 §3.8 (F412),
// RM0385 §3.7 (F746); cross-checked with stlink-org inc/stm32_flash.h (STM32_FLASH_F4_* / STM32_FLASH_F7_*).
// Both families put the interface at 0x40023C00 with the same register offsets and CR layout.

export type FlashFamily = 'stm32f4' | 'stm32f7';

export const FLASH_INTERFACE = 0x40023c00;
export const FlashReg = {
  ACR: FLASH_INTERFACE + 0x00,
  KEYR: FLASH_INTERFACE + 0x04,
  SR: FLASH_INTERFACE + 0x0c,
  CR: FLASH_INTERFACE + 0x10,
  OPTCR: FLASH_INTERFACE + 0x14,
} as const;

/** Written to KEYR in this order to unlock CR; any other write locks CR until the next reset. */
export const FLASH_KEYS = [0x45670123, 0xcdef89ab] as const;

export const Cr = {
  PG: 1 << 0,
  SER: 1 << 1,
  MER: 1 << 2,
  SNB_SHIFT: 3,
  SNB_MASK: 0xf << 3,
  PSIZE_SHIFT: 8,
  /** PSIZE = 0b10: 32-bit parallelism, valid for a 2.7–3.6 V supply. */
  PSIZE_X32: 2 << 8,
  STRT: 1 << 16,
  LOCK: 1 << 31,
} as const;

export const Sr = {
  EOP: 1 << 0,
  OPERR: 1 << 1,
  WRPERR: 1 << 4,
  PGAERR: 1 << 5,
  PGPERR: 1 << 6,
  /** F4 PGSERR (programming sequence error); the F7 manual names the same bit ERSERR (erase sequence error). */
  SEQERR: 1 << 7,
  BSY: 1 << 16,
} as const;

/** Error flags and their names per family, for messages. */
export function errorBits(family: FlashFamily): Array<[bit: number, name: string, meaning: string]> {
  return [
    [Sr.OPERR, 'OPERR', 'operation error'],
    [Sr.WRPERR, 'WRPERR', 'write protection error: the sector is write-protected by option bytes'],
    [Sr.PGAERR, 'PGAERR', 'programming alignment error'],
    [Sr.PGPERR, 'PGPERR', 'programming parallelism error: access width does not match PSIZE'],
    [Sr.SEQERR, family === 'stm32f7' ? 'ERSERR' : 'PGSERR', 'sequence error: flash written without PG set, or a bad erase request'],
  ];
}

export const SR_ERROR_MASK = Sr.OPERR | Sr.WRPERR | Sr.PGAERR | Sr.PGPERR | Sr.SEQERR;

/** Lowest supply at which x32 parallelism is allowed (the "program/erase parallelism" tables of RM0090 and RM0385). */
export const MIN_VOLTS_X32 = 2.7;

/** DBGMCU_IDCODE; DEV_ID is bits 11:0 (RM0090 §38.6.1, RM0385 §40.6.1). */
export const DBGMCU_IDCODE = 0xe0042000;

/**
 * DBGMCU_CR: keep the debug clocks alive in SLEEP/STOP/STANDBY, so a firmware waiting in WFI still answers the
 * probe (RM0090 §38.16.2, RM0385 §40.16.2; OpenOCD's stm32f4x.cfg / stm32f7x.cfg and pyOCD's STM32F4 target set them).
 */
export const DBGMCU_CR = { ADDRESS: 0xe0042004, DBG_SLEEP: 1 << 0, DBG_STOP: 1 << 1, DBG_STANDBY: 1 << 2 } as const;
/** DBGMCU_APB1_FZ: freeze the watchdogs while the core is halted, so an old firmware's IWDG cannot reset mid-erase. */
export const DBGMCU_APB1_FZ = { ADDRESS: 0xe0042008, DBG_WWDG_STOP: 1 << 11, DBG_IWDG_STOP: 1 << 12 } as const;

/** FLASH_OPTCR's RDP byte (bits 15:8): 0xAA level 0, 0xCC level 2 (permanent), anything else level 1. */
export const Rdp = { SHIFT: 8, MASK: 0xff << 8, LEVEL0: 0xaa, LEVEL2: 0xcc } as const;

/**
 * FLASH_ACR caches in front of the flash (the ART accelerator). F4 (RM0090 §3.9.1): ICEN 9, DCEN 10, ICRST 11,
 * DCRST 12, a reset taking effect only while its cache is off. F7 (RM0385 §3.7.1): ARTEN 9, ARTRST 11. They are not
 * kept coherent with erase and program, so ST's HAL flushes them after an erase (FLASH_FlushCaches).
 */
export const AcrCaches: Readonly<Record<FlashFamily, ReadonlyArray<{ enable: number; reset: number }>>> = {
  stm32f4: [{ enable: 1 << 9, reset: 1 << 11 }, { enable: 1 << 10, reset: 1 << 12 }],
  stm32f7: [{ enable: 1 << 9, reset: 1 << 11 }],
};
