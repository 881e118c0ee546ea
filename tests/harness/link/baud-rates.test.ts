// The rate table: each board's candidate rates against its ST-Link's VCP limit and its USART divisor error.
import { loadBoard } from '../../../harness/boards';
import { divisorError, linkBaudFor } from '../../../harness/link/baud-rates';

describe('linkBaudFor', () => {
  it('STM32F746G-DISCO (USART1 at 108 MHz, ST-LINK/V2-1): 2 Mbit/s, the VCP limit, with an exact divisor of 54', () => {
    const plan = linkBaudFor(loadBoard('stm32f746g-disco'))!;
    expect(plan).toMatchObject({ boot: 115200, fast: 2_000_000 });
    expect(plan.considered.find((c) => c.baud === 2_000_000)).toEqual({ baud: 2_000_000, usable: true, why: 'divisor error 0.00 %' });
    expect(plan.considered.find((c) => c.baud === 3_000_000)).toEqual({ baud: 3_000_000, usable: false, why: "above the ST-Link V2-1's VCP limit of 2000000 baud" });
  });

  it('NUCLEO-F412ZG (USART3 at 50 MHz): 2 Mbit/s divides exactly (25); 921600 is 0.47 % off and still usable', () => {
    const plan = linkBaudFor(loadBoard('nucleo-f412zg'))!;
    expect(plan.fast).toBe(2_000_000);
    expect(plan.considered.find((c) => c.baud === 921600)).toEqual({ baud: 921600, usable: true, why: 'divisor error 0.47 %' });
  });

  it('refuses divisors below 16 and errors above 2 %, matching the firmware driver', () => {
    expect(divisorError(50_000_000, 4_000_000)).toBe(Number.POSITIVE_INFINITY); // 12.5 → below 16
    expect(divisorError(16_000_000, 921600)).toBeCloseTo(0.0212, 4); // 17.36 → 17: 2.1 % off, refused
    expect(divisorError(108_000_000, 115200)).toBeCloseTo(0.00053, 5); // 937.5 → 938
  });

  it('keeps emulated boards at their boot rate: the QEMU pty ignores baud', () => {
    expect(linkBaudFor(loadBoard('emu-f746'))).toBeUndefined();
    expect(linkBaudFor(loadBoard('emu-f405'))).toBeUndefined();
  });
});
