// Issue 11's driver findings, one test each, against the stricter simulator: every one of these failed with the
// driver as it was before the fixes (checked by running this file against the old stlink/ sources).
import { flashBoard } from '../../../../harness/flash/stlink';
import { FlashError } from '../../../../harness/flash/probe';
import { imageBytes, simBoard, writeTempFile } from './sim-fixture';

const FLASH_BASE = 0x08000000;
const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const sent = (commands: Uint8Array[], ...prefix: number[]): boolean => commands.some((c) => prefix.every((b, i) => c[i] === b));

async function flashOk(sim: ReturnType<typeof simBoard>, boardId: string, length: number, seed: number, method?: 'loader' | 'direct'): Promise<void> {
  const image = imageBytes(length, seed);
  await flashBoard({ boardId, elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory, method });
  expect(equalBytes(sim.target.flashBytes(FLASH_BASE, length), image)).toBe(true);
  expect(sim.device.violations).toEqual([]);
  expect(sim.target.flash.cr >>> 0).toBe(0x80000000); // locked again
}

describe('USB open on Linux', () => {
  it('does not select configuration 1 again while cdc_acm and usb-storage hold the VCP and drive (the kernel would say EBUSY)', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { boundDrivers: ['cdc_acm', 'usb-storage'] });
    await sim.device.open();
    await expect(sim.device.selectConfiguration(1)).rejects.toThrow(/LIBUSB_ERROR_BUSY/);
    await sim.device.close();
    await flashOk(sim, 'nucleo-f412zg', 2048, 1);
  });

  it('still opens when the binding cannot tell the active configuration: the EBUSY proves it is configured', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { reportsConfiguration: false });
    await flashOk(sim, 'nucleo-f412zg', 1024, 2);
  });

  it('prints an old V2 dongle\'s binary serial as hex, and finds the probe by that hex', async () => {
    const raw = [0x55, 0xff, 0x6b, 0x06, 0x49, 0x71, 0x48, 0x53, 0x20, 0x10, 0x17, 0x87];
    const sim = simBoard('nucleo-f412zg', {}, { productId: 0x3748, serial: String.fromCharCode(...raw) });
    const [info] = await sim.factory.list();
    expect(info.serial).toBe('55FF6B064971485320101787');
    const probe = await sim.factory.open({ serial: '55ff6b064971485320101787' });
    expect(probe.info.serial).toBe('55FF6B064971485320101787');
    await probe.close();
  });
});

describe('probe product ids and firmware gates', () => {
  it.each([[0x374a, 'V2-1'], [0x3755, 'V3'], [0x3757, 'V3']])('knows PID 0x%s and flashes through it', async (pid) => {
    const sim = simBoard('stm32f746g-disco', {}, { productId: pid });
    await flashOk(sim, 'stm32f746g-disco', 1024, pid);
  });

  it('takes the V3PWR (PID 0x3757) reporting hardware version 4 as a V3: GET_VERSION_EX and SET_COM_FREQ', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { productId: 0x3757 });
    const probe = await sim.factory.open();
    await probe.attach();
    expect(sent(sim.device.commands, 0xfb)).toBe(true);
    expect(sent(sim.device.commands, 0xf2, 0x61)).toBe(true);
    expect(sent(sim.device.commands, 0xf2, 0x43)).toBe(false);
    await probe.close();
  });

  it('leaves the SWD clock alone on V2 firmware before J22, which has no SWD_SET_FREQ', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { productId: 0x3748, jtagVersion: 21 });
    const probe = await sim.factory.open();
    await probe.attach();
    expect(sent(sim.device.commands, 0xf2, 0x43)).toBe(false);
    expect(sim.device.violations).toEqual([]);
    await probe.close();
  });

  it('keeps 8-bit transfers at 64 bytes on V3 firmware before J6 (512 only from V3J6)', async () => {
    const sim = simBoard('stm32f746g-disco', {}, { productId: 0x374e, jtagVersion: 5 });
    const probe = await sim.factory.open();
    await probe.attach();
    await probe.writeMemory8(0x20000000, imageBytes(300, 3));
    expect(sim.device.commands.filter((c) => c[0] === 0xf2 && c[1] === 0x0d).map((c) => c[6] | (c[7] << 8))).toEqual([64, 64, 64, 64, 44]);
    expect(sim.device.violations).toEqual([]);
    await probe.close();
  });

  it('refuses V3 firmware below J3 (protocol-switching bugs) and names the update tool', async () => {
    const sim = simBoard('stm32f746g-disco', {}, { productId: 0x374e, jtagVersion: 2 });
    const probe = await sim.factory.open();
    await expect(probe.attach()).rejects.toThrow('firmware V3J2 has known protocol-switching bugs (fixed in V3J3); update it with STM32CubeProgrammer');
    await probe.close();
  });
});

describe('modes another tool left behind', () => {
  it('re-enters a probe left in debug mode (DEBUG_EXIT, then ENTER SWD) instead of trusting the stale session', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { initialMode: 0x02 });
    await flashOk(sim, 'nucleo-f412zg', 1024, 4);
    const exitAt = sim.device.commands.findIndex((c) => c[0] === 0xf2 && c[1] === 0x21);
    const enterAt = sim.device.commands.findIndex((c) => c[0] === 0xf2 && c[1] === 0x30);
    expect(exitAt).toBeGreaterThan(-1);
    expect(enterAt).toBeGreaterThan(exitAt);
  });

  it('exits SWIM mode (F4 01) before entering SWD', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { initialMode: 0x03 });
    await flashOk(sim, 'nucleo-f412zg', 1024, 5);
    expect(sent(sim.device.commands, 0xf4, 0x01)).toBe(true);
  });
});

describe('direct flash programming (no loader) through a stalling, faulting bus', () => {
  it('repeats a 1 KB flash write that the bus answered with WAIT, and the image still lands intact', async () => {
    const sim = simBoard('nucleo-f412zg');
    sim.device.faults.waitOnFlashWrites = 3;
    await flashOk(sim, 'nucleo-f412zg', 4096, 6, 'direct');
    expect(sim.device.faults.waitOnFlashWrites).toBe(0);
  });

  it('reports an AP fault mid-programming with its address, clears the sticky error (ABORT) and relocks the flash', async () => {
    const sim = simBoard('nucleo-f412zg');
    sim.device.faults.faultOnFlashWrite = true;
    const error = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', imageBytes(2048, 7)), probeFactory: sim.factory, method: 'direct' }).catch((e) => e);
    expect(error).toBeInstanceOf(FlashError);
    expect(error.message).toBe('ST-Link V2-1 at bus 1 addr 5: SWD write of 1024 bytes at 0x08000000 failed: status 0x11 (SWD_AP_FAULT) (fault at 0x08000008)');
    expect(sim.device.sticky).toBe(false);
    expect(sim.target.flash.cr >>> 0).toBe(0x80000000);
  });
});

describe('reset', () => {
  it('does not fail on the AIRCR write the reset itself tears down, and tolerates DHCSR faults while the chip resets', async () => {
    const sim = simBoard('nucleo-f412zg', { faultsAfterReset: 2 });
    const probe = await sim.factory.open();
    await probe.attach();
    await probe.reset(true);
    expect(sim.target.halted).toBe(true);
    await probe.reset(false);
    expect(sim.target.halted).toBe(false);
    expect(sim.target.resetCount).toBe(2);
    await probe.close();
  });

  it('falls back to NRST when SYSRESETREQ is ignored, and clears the reset vector catch afterwards', async () => {
    const sim = simBoard('nucleo-f412zg', { ignoresSysResetReq: true });
    const probe = await sim.factory.open();
    await probe.attach();
    await probe.reset(true);
    expect(sim.target.halted).toBe(true);
    expect(sim.target.demcrValue & 1).toBe(0); // VC_CORERESET not left set
    await probe.reset(false);
    expect(sim.target.halted).toBe(false); // so a later run-reset does not stop at the reset vector
    expect(sim.target.resetCount).toBe(2);
    await probe.close();
  });
});

describe('the target side: DBGMCU, watchdog, read-out protection', () => {
  it('confirms the halt by S_HALT: a core asleep in WFI without DBG_SLEEP never halts, and attach says so', async () => {
    const sim = simBoard('nucleo-f412zg', { sleepsInWfi: true });
    const probe = await sim.factory.open();
    await expect(probe.attach()).rejects.toThrow(/the core did not halt within 500 ms \(DHCSR 0x00010001\)/);
    await probe.close();
  }, 10000);

  it('sets DBG_SLEEP/STOP/STANDBY before halting a firmware asleep in WFI, then flashes', async () => {
    const sim = simBoard('nucleo-f412zg', { sleepsInWfi: true });
    await flashOk(sim, 'nucleo-f412zg', 2048, 8);
    expect(sim.target.dbgmcu.cr & 0x7).toBe(0x7);
  });

  it.each(['loader', 'direct'] as const)('freezes IWDG and WWDG while halted (and the %s path keeps the watchdog away), so an old firmware\'s watchdog cannot reset the chip mid-erase', async (method) => {
    const sim = simBoard('stm32f746g-disco', { watchdogResetAfter: 40 });
    await flashOk(sim, 'stm32f746g-disco', 8192, 9, method);
    expect(sim.target.dbgmcu.apb1Fz & ((1 << 11) | (1 << 12))).toBe((1 << 11) | (1 << 12));
    expect(sim.target.resetCount).toBe(1); // only the final reset-and-run
  });

  it('refuses an RDP level-1 board before erasing, and says how to remove the protection', async () => {
    const sim = simBoard('stm32f746g-disco', { rdpLevel: 1 });
    const error = await flashBoard({ boardId: 'stm32f746g-disco', elfOrBin: writeTempFile('fw.bin', imageBytes(1024, 10)), probeFactory: sim.factory }).catch((e) => e);
    expect(error).toBeInstanceOf(FlashError);
    expect(error.message).toContain('read-out protection is on (level 1: FLASH_OPTCR 0x0FFF55ED, RDP byte 0x55); remove it with STM32CubeProgrammer (STM32_Programmer_CLI -c port=SWD mode=UR -ob RDP=0xAA) or openocd');
    expect(sim.target.flash.eraseLog).toEqual([]);
  });
});
