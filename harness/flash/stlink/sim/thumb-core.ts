// The simulated target's CPU: an interpreter for the 16-bit Thumb instructions of ARMv6-M that our flash loader is
// restricted to (its source assembles with .cpu cortex-m0), written from the ARMv7-M Architecture Reference Manual
// A5.2/A7.7. Anything else is an undefined instruction: the core locks up and the run reports it, so a loader
// that strays outside the subset fails in tests rather than silently doing something else.

export interface CoreBus {
  read32(address: number): number;
  read8(address: number): number;
  write32(address: number, value: number): void;
}

export type CoreStop = { kind: 'bkpt'; imm: number } | { kind: 'lockup'; why: string };

export class ThumbCore {
  readonly r = new Uint32Array(16);
  n = false;
  z = false;
  c = false;
  v = false;
  /** Why the core last stopped, once it has. */
  stopped: CoreStop | null = null;

  constructor(private readonly bus: CoreBus) {}

  get pc(): number {
    return this.r[15];
  }

  /** xPSR as DCRSR reads it (T bit set: Thumb state is the only state). */
  get xpsr(): number {
    return ((this.n ? 1 << 31 : 0) | (this.z ? 1 << 30 : 0) | (this.c ? 1 << 29 : 0) | (this.v ? 1 << 28 : 0) | (1 << 24)) >>> 0;
  }

  set xpsr(value: number) {
    this.n = (value & (1 << 31)) !== 0;
    this.z = (value & (1 << 30)) !== 0;
    this.c = (value & (1 << 29)) !== 0;
    this.v = (value & (1 << 28)) !== 0;
  }

  /** Runs up to `steps` instructions; returns why it stopped, or null when it is still running. */
  run(steps: number): CoreStop | null {
    for (let i = 0; i < steps && !this.stopped; i++) this.step();
    return this.stopped;
  }

  private fetch16(address: number): number {
    const word = this.bus.read32(address & ~3);
    return (address & 2) !== 0 ? word >>> 16 : word & 0xffff;
  }

  private lockup(why: string): void {
    this.stopped = { kind: 'lockup', why: `${why} at 0x${this.r[15].toString(16)}` };
  }

  private setNZ(value: number): void {
    this.n = (value & 0x80000000) !== 0;
    this.z = (value >>> 0) === 0;
  }

  /** a + b + carry with all four flags (AddWithCarry, A2.2.1). */
  private addFlags(a: number, b: number, carry: number): number {
    const unsigned = (a >>> 0) + (b >>> 0) + carry;
    const result = unsigned >>> 0;
    const signed = (a | 0) + (b | 0) + carry;
    this.setNZ(result);
    this.c = unsigned > 0xffffffff;
    this.v = signed !== (result | 0);
    return result;
  }

  private condition(cond: number): boolean {
    switch (cond) {
      case 0x0: return this.z;
      case 0x1: return !this.z;
      case 0x2: return this.c;
      case 0x3: return !this.c;
      case 0x4: return this.n;
      case 0x5: return !this.n;
      case 0x6: return this.v;
      case 0x7: return !this.v;
      case 0x8: return this.c && !this.z;
      case 0x9: return !this.c || this.z;
      case 0xa: return this.n === this.v;
      case 0xb: return this.n !== this.v;
      case 0xc: return !this.z && this.n === this.v;
      case 0xd: return this.z || this.n !== this.v;
      default: return true;
    }
  }

  private step(): void {
    const pc = this.r[15];
    let op: number;
    try {
      op = this.fetch16(pc);
    } catch (err) {
      return this.lockup(`instruction fetch fault (${(err as Error).message})`);
    }
    let next = (pc + 2) >>> 0;
    const rd = op & 7;
    const rn = (op >> 3) & 7;
    try {
      if ((op & 0xf800) === 0x0000 || (op & 0xf800) === 0x0800) {
        // LSLS / LSRS (immediate), A7.7.67/70; LSLS #0 is MOVS Rd, Rm
        const imm = (op >> 6) & 0x1f;
        const value = this.r[rn];
        let result: number;
        if ((op & 0x0800) === 0) {
          result = imm === 0 ? value : (value << imm) >>> 0;
          if (imm !== 0) this.c = ((value >>> (32 - imm)) & 1) === 1;
        } else {
          const shift = imm === 0 ? 32 : imm;
          result = shift === 32 ? 0 : value >>> shift;
          this.c = ((value >>> (shift - 1)) & 1) === 1;
        }
        this.r[rd] = result;
        this.setNZ(result);
      } else if ((op & 0xfe00) === 0x1800) {
        this.r[rd] = this.addFlags(this.r[rn], this.r[(op >> 6) & 7], 0); // ADDS Rd, Rn, Rm
      } else if ((op & 0xfe00) === 0x1a00) {
        this.r[rd] = this.addFlags(this.r[rn], ~this.r[(op >> 6) & 7], 1); // SUBS Rd, Rn, Rm
      } else if ((op & 0xe000) === 0x2000) {
        const r8 = (op >> 8) & 7;
        const imm8 = op & 0xff;
        switch ((op >> 11) & 3) {
          case 0: this.r[r8] = imm8; this.setNZ(imm8); break; // MOVS imm
          case 1: this.addFlags(this.r[r8], ~imm8, 1); break; // CMP imm
          case 2: this.r[r8] = this.addFlags(this.r[r8], imm8, 0); break; // ADDS imm8
          default: this.r[r8] = this.addFlags(this.r[r8], ~imm8, 1); // SUBS imm8
        }
      } else if ((op & 0xfc00) === 0x4000) {
        const rm = rn;
        switch ((op >> 6) & 0xf) {
          case 0x1: this.r[rd] = (this.r[rd] ^ this.r[rm]) >>> 0; this.setNZ(this.r[rd]); break; // EORS
          case 0x8: this.setNZ((this.r[rd] & this.r[rm]) >>> 0); break; // TST
          case 0xf: this.r[rd] = ~this.r[rm] >>> 0; this.setNZ(this.r[rd]); break; // MVNS
          default: return this.lockup(`undefined instruction 0x${op.toString(16)} (data processing outside the loader's subset)`);
        }
      } else if ((op & 0xf800) === 0x4800) {
        const base = ((pc + 4) & ~3) >>> 0; // LDR (literal): Align(PC, 4)
        this.r[(op >> 8) & 7] = this.bus.read32(base + (op & 0xff) * 4);
      } else if ((op & 0xf000) === 0x6000) {
        const address = (this.r[rn] + ((op >> 6) & 0x1f) * 4) >>> 0;
        if ((op & 0x0800) !== 0) this.r[rd] = this.bus.read32(address); // LDR imm5
        else this.bus.write32(address, this.r[rd]); // STR imm5
      } else if ((op & 0xf800) === 0x7800) {
        this.r[rd] = this.bus.read8((this.r[rn] + ((op >> 6) & 0x1f)) >>> 0); // LDRB imm5
      } else if ((op & 0xff00) === 0xbe00) {
        this.stopped = { kind: 'bkpt', imm: op & 0xff }; // BKPT: halts in debug state, PC stays on it
        return;
      } else if ((op & 0xf000) === 0xd000 && (op & 0x0f00) < 0x0e00) {
        const offset = ((op & 0xff) << 24) >> 23; // sign-extended imm8 × 2
        if (this.condition((op >> 8) & 0xf)) next = (pc + 4 + offset) >>> 0;
      } else if ((op & 0xf800) === 0xe000) {
        next = (pc + 4 + (((op & 0x7ff) << 21) >> 20)) >>> 0; // B imm11
      } else {
        return this.lockup(`undefined instruction 0x${op.toString(16)}`);
      }
    } catch (err) {
      return this.lockup(`bus fault (${(err as Error).message})`);
    }
    this.r[15] = next;
  }
}
