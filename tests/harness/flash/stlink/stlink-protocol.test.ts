// Byte-level checks: the command blocks the driver actually puts on the wire (captured by the simulator) against
// the layouts in stlink-org/stlink src/stlink-lib/{commands.h,usb.c} and probe-rs probe/stlink/{constants.rs,mod.rs}.
import { STLINK_MODELS } from '../../../../harness/flash/stlink/constants';
import { StlinkProtocol } from '../../../../harness/flash/stlink/stlink-protocol';
import type { UsbTransport } from '../../../../harness/flash/stlink/usb-transport';
import { simBoard } from './sim-fixture';

const block = (...bytes: number[]) => {
  const b = new Uint8Array(16);
  b.set(bytes);
  return Array.from(b);
};

/** A scripted transport (probe-rs's MockUsb idea): records what is sent, answers with canned replies. */
class ScriptedUsb implements UsbTransport {
  readonly label = 'scripted ST-Link';
  readonly productId = 0x374b;
  readonly serial = null;
  readonly sent: number[][] = [];
  constructor(private readonly replies: number[][]) {}
  async transferOut(data: Uint8Array): Promise<void> { this.sent.push(Array.from(data)); }
  async transferIn(length: number): Promise<Uint8Array> {
    const reply = this.replies.shift();
    if (!reply || reply.length !== length) throw new Error(`unexpected read of ${length}`);
    return Uint8Array.from(reply);
  }
  async close(): Promise<void> {}
}

describe('ST-Link command blocks on the wire', () => {
  it('attach, memory access and reset send the documented bytes (V2-1, starting in mass-storage mode)', async () => {
    const sim = simBoard('nucleo-f412zg');
    const probe = await sim.factory.open();
    await probe.attach();
    await probe.readMemory32(0x08000000, 1024);
    await probe.writeMemory32(0x20000000, new Uint8Array(8));
    await probe.writeMemory8(0x20000010, Uint8Array.of(1, 2, 3));
    await probe.close();
    const sent = sim.device.commands.map((c) => Array.from(c));
    expect(sent.slice(0, 8)).toEqual([
      block(0xf1), // STLINK_GET_VERSION (commands.h 0xF1)
      block(0xf5), // STLINK_GET_CURRENT_MODE (0xF5)
      block(0xf2, 0x43, 0x01, 0x00), // DEBUG_COMMAND, APIV2_SWD_SET_FREQ (0x43), divisor 1 = 1.8 MHz (probe-rs Hz1800000 = 1)
      block(0xf2, 0x30, 0xa3), // DEBUG_COMMAND, APIV2_ENTER (0x30), ENTER_SWD (0xA3)
      block(0xf2, 0x31), // APIV2_READ_IDCODES (0x31)
      block(0xf2, 0x46, 0xff, 0xff, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x00), // APIV2_WRITE_DAP_REG: DP (port 0xFFFF) ABORT ← STKCMPCLR|STKERRCLR|WDERRCLR|ORUNERRCLR
      block(0xf2, 0x35, 0xf0, 0xed, 0x00, 0xe0, 0x03, 0x00, 0x5f, 0xa0), // APIV2_WRITEDEBUGREG: DHCSR ← DBGKEY|C_HALT|C_DEBUGEN
      block(0xf2, 0x36, 0xf0, 0xed, 0x00, 0xe0), // APIV2_READDEBUGREG: DHCSR, until S_HALT shows
    ]);
    expect(sent.slice(8)).toEqual([
      block(0xf2, 0x07, 0x00, 0x00, 0x00, 0x08, 0x00, 0x04, 0x00), // READMEM_32BIT addr LE, len LE, AP 0 (usb.c _stlink_usb_read_mem32)
      block(0xf2, 0x3e), // APIV2_GETLASTRWSTATUS2 (0x3E)
      block(0xf2, 0x08, 0x00, 0x00, 0x00, 0x20, 0x08, 0x00, 0x00), // WRITEMEM_32BIT
      block(0xf2, 0x3e),
      block(0xf2, 0x0d, 0x10, 0x00, 0x00, 0x20, 0x03, 0x00, 0x00), // WRITEMEM_8BIT (0x0D)
      block(0xf2, 0x3e),
      block(0xf2, 0x21), // DEBUG_EXIT (0x21)
    ]);
    expect(sim.device.violations).toEqual([]);
  });

  it('leaves DFU with F3 07 before entering SWD', async () => {
    const dfu = simBoard('nucleo-f412zg', {}, { initialMode: 0x00 });
    await (await dfu.factory.open()).attach();
    expect(dfu.device.commands.slice(1, 3).map((c) => Array.from(c))).toEqual([block(0xf5), block(0xf3, 0x07)]); // DFU_COMMAND, DFU_EXIT
    expect(dfu.device.mode).toBe(0x02);
  });

  it('V2 (PID 0x3748) sends on endpoint 2; V3 (PID 0x374e) asks GET_VERSION_EX and sets the clock with SET_COM_FREQ', async () => {
    expect(STLINK_MODELS.get(0x3748)).toEqual({ name: 'V2', outEndpoint: 2, inEndpoint: 1 }); // stlink usb.c: ep_req 2 for 0x3748
    const v2 = simBoard('nucleo-f412zg', {}, { productId: 0x3748 });
    await (await v2.factory.open()).attach(); // the simulator rejects a transfer on the wrong endpoint
    expect(v2.device.violations).toEqual([]);
    const v3 = simBoard('stm32f746g-disco', {}, { productId: 0x374e, jtagVersion: 7 });
    const probe = await v3.factory.open();
    await probe.attach();
    const sent = v3.device.commands.map((c) => Array.from(c));
    expect(sent[1]).toEqual(block(0xfb)); // STLINK_GET_VERSION_APIV3 (0xFB)
    expect(sent[3]).toEqual(block(0xf2, 0x61, 0x00, 0x00, 0x08, 0x07, 0x00, 0x00)); // SET_COM_FREQ, SWD, 1800 kHz LE32
    expect(v3.device.swdKhz).toBe(1800);
    await probe.writeMemory8(0x20000000, new Uint8Array(300)); // V3 from J6 takes up to 512 bytes per 8-bit write
    expect(v3.device.commands.filter((c) => c[1] === 0x0d)).toHaveLength(1);
  });

  it('refuses firmware without GET_LAST_RW_STATUS2 (before V2J15) and releases the device on close', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { jtagVersion: 14 });
    const probe = await sim.factory.open();
    await expect(probe.attach()).rejects.toThrow('ST-Link V2-1 at bus 1 addr 5: firmware V2J14 is too old (need V2J15 or later)');
    await probe.close();
    expect(sim.device.opened).toBe(false);
  });

  it('parses GET_VERSION and the target voltage as stlink usb.c does', async () => {
    // V2J37M26: version 2, JTAG 37, SWIM/MSD 26 packed big-endian as 4+6+6 bits = 0x295A; VID 0x0483, PID 0x374B LE.
    const usb = new ScriptedUsb([[0x29, 0x5a, 0x83, 0x04, 0x4b, 0x37], [0x18, 0x06, 0, 0, 0x5a, 0x08, 0, 0]]);
    const protocol = new StlinkProtocol(usb);
    expect(await protocol.getVersion()).toEqual({ stlink: 2, jtag: 37, swim: 26, vendorId: 0x0483, productId: 0x374b });
    // factor 0x618 = 1560, reading 0x85A = 2138: 2 × 1.2 V × 2138 / 1560 = 3.2892 V.
    expect(await protocol.targetVoltage()).toBeCloseTo(3.2892, 4);
    expect(usb.sent).toEqual([block(0xf1), block(0xf7)]);
  });

  it('turns status bytes into named errors and retries WAIT', async () => {
    const sim = simBoard('stm32f746g-disco');
    const probe = await sim.factory.open();
    await probe.attach();
    sim.device.faults.nextRwStatus = 0x12;
    await expect(probe.readMemory32(0xe000ed00, 4)).rejects.toThrow('ST-Link V2-1 at bus 1 addr 5: SWD read of 0xE000ED00 failed: status 0x12 (SWD_AP_ERROR)');
    await expect(probe.readMemory32(0x60000000, 8)).rejects.toThrow('ST-Link V2-1 at bus 1 addr 5: SWD read of 0x60000000 failed: status 0x11 (SWD_AP_FAULT) (fault at 0x60000000)');
    await expect(probe.readWord(0x60000000)).rejects.toThrow('SWD read of 0x60000000 failed: status 0x11 (SWD_AP_FAULT)');
    sim.device.faults.waitReplies = 3;
    expect(await probe.readWord(0xe000ed00)).toBe(0x410fc271); // Cortex-M7 r0p1 CPUID after three WAITs
    await expect(probe.readMemory32(0x20000002, 4)).rejects.toThrow('32-bit read of 4 bytes at 0x20000002 is not 4-byte aligned');
  });

  it('splits 32-bit transfers at 1 KB boundaries and 8-bit ones at 64 bytes on a V2-1', async () => {
    const sim = simBoard('nucleo-f412zg');
    const probe = await sim.factory.open();
    await probe.attach();
    const data = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    await probe.writeMemory32(0x20000200, data.subarray(0, 2400));
    const writes = sim.device.commands.filter((c) => c[1] === 0x08).map((c) => [Buffer.from(c).readUInt32LE(2), Buffer.from(c).readUInt16LE(6)]);
    expect(writes).toEqual([[0x20000200, 512], [0x20000400, 1024], [0x20000800, 864]]);
    await probe.writeMemory8(0x20001001, data.subarray(0, 130));
    expect(sim.device.commands.filter((c) => c[1] === 0x0d).map((c) => c[6])).toEqual([63, 64, 3]);
    expect(Buffer.from(await probe.readMemory8(0x20001001, 130)).equals(Buffer.from(data.subarray(0, 130)))).toBe(true);
    expect(Array.from(await probe.readMemory8(0x20001002, 1))).toEqual([1]); // 1-byte read: the probe replies 2 bytes
    expect(Buffer.from(sim.target.sram.subarray(0x200, 0x200 + 2400)).equals(Buffer.from(data.subarray(0, 2400)))).toBe(true);
    expect(sim.device.violations).toEqual([]);
  });
});
