// ST-Link USB protocol numbers. Values checked against stlink-org/stlink (src/stlink-lib/commands.h, usb.h, usb.c)
// and probe-rs (probe-rs/src/probe/stlink/constants.rs, usb_interface.rs); see tests/harness/flash/stlink/.

export const ST_VENDOR_ID = 0x0483;
/** Every command is one 16-byte block on the OUT endpoint, zero padded (stlink usb.h STLINK_CMD_SIZE). */
export const COMMAND_LENGTH = 16;

export interface StlinkModel {
  name: 'V2' | 'V2-1' | 'V3';
  /** Bulk endpoint numbers without the direction bit, as WebUSB's transferIn/transferOut take them. */
  outEndpoint: number;
  inEndpoint: number;
}

/** Product ids → model. V2 sends on EP 2; V2-1 and V3 send on EP 1; all answer on EP 1 IN (usb.c ep_req/ep_rep). */
export const STLINK_MODELS: ReadonlyMap<number, StlinkModel> = new Map<number, StlinkModel>([
  [0x3748, { name: 'V2', outEndpoint: 2, inEndpoint: 1 }],
  [0x374a, { name: 'V2-1', outEndpoint: 1, inEndpoint: 1 }], // V2-1 "audio" variant (probe-rs lists it as V2-1)
  [0x374b, { name: 'V2-1', outEndpoint: 1, inEndpoint: 1 }], // Nucleo / Discovery on-board
  [0x3752, { name: 'V2-1', outEndpoint: 1, inEndpoint: 1 }], // V2-1 without mass storage
  [0x374e, { name: 'V3', outEndpoint: 1, inEndpoint: 1 }], // V3E
  [0x374f, { name: 'V3', outEndpoint: 1, inEndpoint: 1 }], // V3SET / bridge
  [0x3753, { name: 'V3', outEndpoint: 1, inEndpoint: 1 }], // V3 with two virtual COM ports
  [0x3754, { name: 'V3', outEndpoint: 1, inEndpoint: 1 }], // V3 without mass storage
  [0x3755, { name: 'V3', outEndpoint: 1, inEndpoint: 1 }], // V3PWR in its USB loader (OpenOCD STLINK_V3P_USBLOADER_PID)
  [0x3757, { name: 'V3', outEndpoint: 1, inEndpoint: 1 }], // V3PWR: reports hardware version 4 (OpenOCD STLINK_V3P_PID)
]);

/** First byte of a command block. */
export const Command = {
  GET_VERSION: 0xf1,
  DEBUG: 0xf2,
  DFU: 0xf3,
  GET_CURRENT_MODE: 0xf5,
  GET_TARGET_VOLTAGE: 0xf7,
  GET_VERSION_EX: 0xfb, // V3 only
  SWIM: 0xf4,
} as const;

/** Second byte after Command.SWIM (0xF4): leave SWIM mode (STM8 debug), no reply (OpenOCD stlink_usb_mode_leave). */
export const SWIM_EXIT = 0x01;

/** Second byte after Command.DEBUG (0xF2). */
export const DebugCommand = {
  READMEM_32BIT: 0x07,
  WRITEMEM_32BIT: 0x08,
  READMEM_8BIT: 0x0c,
  WRITEMEM_8BIT: 0x0d,
  EXIT: 0x21,
  READ_CORE_ID: 0x22, // API v1 only
  ENTER: 0x30, // API v2 "enter", followed by ENTER_SWD
  READ_IDCODES: 0x31,
  WRITE_DEBUG_REG: 0x35,
  READ_DEBUG_REG: 0x36,
  DRIVE_NRST: 0x3c,
  GET_LAST_RW_STATUS2: 0x3e, // from V2J15
  SWD_SET_FREQ: 0x43, // V2 from J22 (OpenOCD STLINK_F_HAS_SWD_SET_FREQ)
  WRITE_DAP_REG: 0x46, // V2 from J24, every V3 (OpenOCD STLINK_F_HAS_DAP_REG)
  SET_COM_FREQ: 0x61, // V3 replaces SWD_SET_FREQ
  ENTER_SWD: 0xa3,
} as const;

export const DFU_EXIT = 0x07;

export const NrstLevel = { LOW: 0x00, HIGH: 0x01, PULSE: 0x02 } as const;

/** Reply to GET_CURRENT_MODE. */
export const Mode = { DFU: 0x00, MASS: 0x01, DEBUG: 0x02, SWIM: 0x03, BOOTLOADER: 0x04 } as const;

/** Status byte of debug replies; 0x80 is success (stlink STLINK_DEBUG_ERR_OK). */
export const STATUS_OK = 0x80;
export const STATUS_NAMES: Readonly<Record<number, string>> = {
  0x80: 'OK',
  0x81: 'DEBUG_FAULT',
  0x01: 'UNKNOWN_ERROR',
  0x04: 'UNKNOWN_JTAG_CHAIN',
  0x05: 'NO_DEVICE_CONNECTED',
  0x08: 'COMMAND_ERROR',
  0x09: 'GET_IDCODE_ERROR',
  0x0a: 'ALIGNMENT_ERROR',
  0x0b: 'DBG_POWER_ERROR',
  0x0c: 'WRITE_ERROR',
  0x0d: 'WRITE_VERIFY_ERROR',
  0x0e: 'ALREADY_OPENED_IN_OTHER_MODE',
  0x10: 'SWD_AP_WAIT',
  0x11: 'SWD_AP_FAULT',
  0x12: 'SWD_AP_ERROR',
  0x13: 'SWD_AP_PARITY_ERROR',
  0x14: 'SWD_DP_WAIT',
  0x15: 'SWD_DP_FAULT',
  0x16: 'SWD_DP_ERROR',
  0x17: 'SWD_DP_PARITY_ERROR',
  0x18: 'SWD_AP_WDATA_ERROR',
  0x19: 'SWD_AP_STICKY_ERROR',
  0x1a: 'SWD_AP_STICKYORUN_ERROR',
  0x20: 'SWV_NOT_AVAILABLE',
  0x41: 'FREQ_NOT_SUPPORTED',
  0x42: 'UNKNOWN_COMMAND',
};
/** WAIT answers are transient: the AP or DP was busy (e.g. flash stalled the bus); the command is retried. */
export const WAIT_STATUSES: ReadonlySet<number> = new Set([0x10, 0x14]);
/** Faults that leave a sticky flag in the DP's CTRL/STAT: every later AP access fails until ABORT clears it. */
export const STICKY_FAULT_STATUSES: ReadonlySet<number> = new Set([0x11, 0x12, 0x15, 0x16, 0x18, 0x19, 0x1a]);

/** V2 SWD clock: delay-loop divisor for SWD_SET_FREQ, by kHz, fastest first (probe-rs SwdFrequencyToDelayCount). */
export const V2_SWD_DIVISORS: ReadonlyArray<readonly [khz: number, divisor: number]> = [
  [4600, 0], [1800, 1], [1200, 2], [950, 3], [650, 5], [480, 7], [400, 9], [360, 10], [240, 15], [150, 25], [125, 31], [100, 40],
];

/** Largest 32-bit transfer per command (probe-rs STLINK_MAX_READ_LEN is 6144); we stay within one 1 KB TAR page. */
export const MAX_TRANSFER_32 = 1024;
/** Largest 8-bit transfer per command: 64 bytes, 512 on V3 from firmware J6 (OpenOCD STLINK_F_HAS_RW8_512BYTES). */
export const MAX_TRANSFER_8 = 64;
export const MAX_TRANSFER_8_V3J6 = 512;

/** Firmware gates (OpenOCD stlink_usb_version): the first J number that has each feature. */
export const FirmwareGate = {
  /** GET_LAST_RW_STATUS2, our only view of a failed memory access. */
  V2_RW_STATUS2: 15,
  V2_SWD_SET_FREQ: 22,
  V2_DAP_REG: 24,
  /** V3 before J3 has protocol-switching bugs; ST's release notes ask for an update. */
  V3_MIN: 3,
  V3_RW8_512: 6,
} as const;

/** DP ABORT (DP register 0, written through WRITE_DAP_REG on port 0xFFFF): clear every sticky flag (ADIv5 B2.2.1). */
export const DP_PORT = 0xffff;
export const DP_ABORT = { ADDRESS: 0x0, CLEAR_STICKY: (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) } as const;

/** Cortex-M debug registers (ARMv7-M ARM C1.6). */
export const Dhcsr = {
  ADDRESS: 0xe000edf0,
  DBGKEY: 0xa05f0000,
  C_DEBUGEN: 1 << 0,
  C_HALT: 1 << 1,
  S_REGRDY: 1 << 16,
  S_HALT: 1 << 17,
  S_RESET_ST: 1 << 25,
} as const;
export const DEMCR = { ADDRESS: 0xe000edfc, VC_CORERESET: 1 << 0 } as const;
export const AIRCR = { ADDRESS: 0xe000ed0c, VECTKEY: 0x05fa0000, SYSRESETREQ: 1 << 2 } as const;
