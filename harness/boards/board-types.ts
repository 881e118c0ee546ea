// Shapes of boards/*.json and boards/chips/*.json after validation; addresses become numbers.

export type Core = 'cortex-m4' | 'cortex-m7';

export interface MemoryRange {
  base: number;
  size: number;
}

export interface NamedRange extends MemoryRange {
  name: string;
}

export interface Chip {
  id: string;
  name: string;
  core: Core;
  fpu: 'fpv4-sp-d16' | 'fpv5-sp-d16' | 'fpv5-d16';
  maxClockHz: number;
  irqCount: number;
  flash: MemoryRange & { sectors?: number[] };
  sram: MemoryRange & { regions: NamedRange[] };
  ccm?: MemoryRange;
  usartLayout: 'stm32-usart-v1' | 'stm32-usart-v2';
}

export interface BoardUart {
  peripheral: string;
  driver: 'stm32-usart' | 'cmsdk-uart';
  base: number;
  irq: number;
  baud: number;
  clockHz: number;
  /** Rates the link may switch to after HELLO (harness/link/baud-rates.ts picks the fastest that works). */
  rates?: number[];
  pins?: { tx: string; rx: string };
}

export interface QemuSettings {
  machine: string;
  cpu: Core;
  icountShift: number;
  extraArgs: string[];
  machineMemory: NamedRange[];
  linkAddresses: { flash: number; sram: number; ccm?: number };
}

export interface Board {
  id: string;
  name: string;
  type: 'mcu' | 'qemu';
  chip: string;
  clockHz: number;
  timer: 'dwt' | 'systick';
  uart: BoardUart;
  /** method: the default flasher (harness/flash/flasher.ts); openocd: the stock OpenOCD config for --flasher openocd. */
  flash: { method: 'stlink' | 'openocd' | 'st-flash' | 'msd' | 'qemu'; usb?: { vid: number; pid: number }; openocd?: string };
  qemu?: QemuSettings;
}

/** A linker MEMORY region: the chip's size at the address this board links it to. */
export interface LinkRegion {
  name: 'FLASH' | 'SRAM' | 'CCM';
  origin: number;
  size: number;
}

export interface ResolvedBoard {
  board: Board;
  chip: Chip;
  /** FLASH, SRAM and (if the chip has it) CCM, in that order. */
  linkRegions: LinkRegion[];
  boardFile: string;
  chipFile: string;
}
