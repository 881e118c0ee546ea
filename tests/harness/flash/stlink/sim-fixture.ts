// Test helpers: a simulated board behind a simulated ST-Link, and deterministic image bytes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBoard } from '../../../../harness/boards';
import { SimStm32Target, SimulatedStlink, simulatedProbeFactory, type SimStlinkOptions, type TargetOptions } from '../../../../harness/flash/stlink/sim';

export function simBoard(boardId: string, target: TargetOptions = {}, stlink: SimStlinkOptions = {}) {
  const { chip } = loadBoard(boardId);
  const sim = new SimStm32Target(chip, target);
  const device = new SimulatedStlink(sim, stlink);
  return { chip, target: sim, device, factory: simulatedProbeFactory([device], { timeoutMs: 300 }) };
}

/** Pseudo-random bytes from a fixed seed (a 32-bit LCG), so images never look like erased flash. */
export function imageBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

export function writeTempFile(name: string, bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-flash-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}
