// Options and values several commands share, declared once: the schedule flags, positive integers, model names,
// output folder names. Commands import from here, never from each other.
import { Command, Option } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../errors';
import type { ScheduleRequest } from '../pack/select-schedule';
import { REPO_ROOT } from '../tool-info';

export const DEFAULT_BOARD = 'emu-f746';

export function positiveInteger(flag: string, raw: string): number {
  if (!/^\s*\d+\s*$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} ${raw}: expected a positive integer`);
  return Number(raw);
}

export const splitOption = (what = 'patch schedule: run the first n operators patch by patch'): Option => new Option('--split <n>', what);
export const patchesOption = (what = 'patch schedule: p x p patches'): Option => new Option('--patches <p>', what);

/** --flasher, shared by flash and run: which tool programs a real board (default: its flash.method). */
export const flasherOption = (): Option => new Option('--flasher <kind>', 'real boards: stlink (our driver), openocd, st-flash or msd (copy onto the ST-Link drive); default: the board\'s flash.method')
  .choices(['stlink', 'openocd', 'st-flash', 'msd']);

/** The firmware's compiler goal: speed (-O2) by default, since the bench measures latency; size (-Os) for tight flash. */
export const optimizeOption = (): Option => new Option('--optimize <goal>', 'firmware compiler optimization: speed (-O2, the default) or size (-Os, for tight flash)')
  .choices(['speed', 'size']);

export interface ScheduleCliOptions { schedule?: string; split?: string; patches?: string }

/** --schedule, --split, --patches; `prefix` qualifies the help text (e.g. "with --model: "). */
export function addScheduleOptions(command: Command, prefix = ''): Command {
  return command
    .option('--schedule <kind>', `${prefix}layer, patch (the planner's patch plan unless --split/--patches), stream (row bands with rings, column strips within +5 % MACs) or auto (default layer)`)
    .addOption(splitOption(`${prefix}patch schedule: run the first n operators patch by patch`))
    .addOption(patchesOption(`${prefix}patch schedule: p x p patches`));
}

export function scheduleRequest(o: ScheduleCliOptions): ScheduleRequest {
  const schedule = o.schedule ?? (o.split !== undefined || o.patches !== undefined ? 'patch' : 'layer');
  if (!['layer', 'patch', 'stream', 'auto'].includes(schedule)) throw new UsageError(`--schedule ${schedule}: expected layer, patch, stream or auto`);
  if (schedule === 'stream') {
    if (o.patches !== undefined) throw new UsageError('--patches only applies with --schedule patch; a stream plan has no patches');
    return o.split === undefined ? { schedule } : { schedule, split: positiveInteger('--split', o.split) };
  }
  if (schedule === 'patch') {
    if (o.split === undefined && o.patches === undefined) return { schedule }; // the planner's choice
    if (o.split === undefined || o.patches === undefined) throw new UsageError('--split and --patches go together: give both, or neither for the planner\'s choice');
    return { schedule, split: positiveInteger('--split', o.split), patches: positiveInteger('--patches', o.patches) };
  }
  if (o.split !== undefined || o.patches !== undefined) throw new UsageError(`--split/--patches only apply with --schedule patch`);
  return { schedule } as ScheduleRequest;
}

/** 20261207-235859: a sortable stamp for default output folders. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** --resume <dir> continues in that folder; --out may only repeat it. */
export function checkResumeOut(o: { resume?: string; out?: string }): void {
  if (o.resume !== undefined && o.out !== undefined && path.resolve(o.resume) !== path.resolve(o.out)) {
    throw new UsageError('--resume <dir> continues in that folder; drop --out (or give the same folder)');
  }
}

/** A model path, or a bare name found in demo/models/. */
export function resolveModelFile(model: string): string {
  if (fs.existsSync(model)) return model;
  const bundled = path.join(REPO_ROOT, 'demo', 'models', model.endsWith('.tflite') ? model : `${model}.tflite`);
  if (fs.existsSync(bundled)) return bundled;
  throw new UsageError(`--model ${model}: no such file (and no demo/models/${path.basename(bundled)}); pass a .tflite file`);
}
