// Builds the firmware for one board with CMake, cached under .cache/firmware/<content hash>/.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard, type ResolvedBoard } from '../boards';
import { BuildError } from './build-error';
import { ContentHasher } from './content-hash';
import { readElfSizes, type FirmwareSizes } from './elf-size';
import { describeLinkOverflow } from './link-overflow';
import { runTool, tail } from './run-tool';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIRMWARE_DIR = path.join(REPO_ROOT, 'firmware');
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'firmware');

export interface BuildOptions {
  /** Board id (boards/<id>.json). */
  board: string;
  /** Model image file embedded in the .model flash section (symbols mcb_model_image_start/_end). */
  modelImage?: string;
  /** Extra C sources (runtime, protocol endpoint); their folders' files count towards the cache key. */
  extraSources?: string[];
  extraIncludeDirs?: string[];
  /** Application sources replacing firmware/app/main.c. */
  appSources?: string[];
  /** Extra compile definitions. */
  defines?: Record<string, string | number>;
  /** Tensor arena bytes (multiple of 16); default: the CMake default. */
  arenaSize?: number;
  stackSize?: number;
  /** 'speed' (-O2, the default: the bench measures latency) or 'size' (-Os). */
  optimize?: 'size' | 'speed';
  /** When given, firmware.elf and firmware.bin are also copied here. */
  outDir?: string;
  cacheDir?: string;
  /** Progress lines from cmake and the compiler. */
  onLine?: (line: string) => void;
}

export interface FirmwareBuild {
  board: string;
  hash: string;
  cached: boolean;
  /** Paths inside the cache, or inside outDir when one was given. */
  elf: string;
  bin: string;
  map: string;
  sizes: FirmwareSizes;
}

/** Each entry is a few hundred KB; keep the most recently used ones. */
const CACHE_ENTRIES_KEPT = 48;

const ARTIFACTS = ['firmware.elf', 'firmware.bin', 'firmware.map', 'generated/mcb_board.h', 'generated/mcb_board.ld', 'generated/model_image.S'];

export async function buildFirmware(options: BuildOptions): Promise<FirmwareBuild> {
  const resolved = loadBoard(options.board);
  checkOptions(options);
  const cacheRoot = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const hash = await buildHash(options, resolved);
  const cacheDir = path.join(cacheRoot, hash);
  const cached = fs.existsSync(path.join(cacheDir, 'result.json'));
  if (cached) {
    const now = new Date();
    fs.utimesSync(cacheDir, now, now); // recently used entries survive pruning
  } else {
    await buildInto(cacheRoot, cacheDir, hash, options, resolved);
    pruneCache(cacheRoot, CACHE_ENTRIES_KEPT);
  }
  const sizes = (JSON.parse(fs.readFileSync(path.join(cacheDir, 'result.json'), 'utf8')) as { sizes: FirmwareSizes }).sizes;
  let result: FirmwareBuild = {
    board: options.board, hash, cached,
    elf: path.join(cacheDir, 'firmware.elf'), bin: path.join(cacheDir, 'firmware.bin'), map: path.join(cacheDir, 'firmware.map'), sizes,
  };
  if (options.outDir) result = copyOut(result, options.outDir);
  return result;
}

function checkOptions(options: BuildOptions): void {
  const sizeOk = (n: number | undefined, multiple: number): boolean => n === undefined || (Number.isInteger(n) && n > 0 && n % multiple === 0);
  if (!sizeOk(options.arenaSize, 16)) throw new BuildError(`arena size ${options.arenaSize} must be a positive multiple of 16 bytes`);
  if (!sizeOk(options.stackSize, 8)) throw new BuildError(`stack size ${options.stackSize} must be a positive multiple of 8 bytes`);
  for (const file of [options.modelImage, ...(options.extraSources ?? []), ...(options.appSources ?? [])]) {
    if (file !== undefined && !fs.existsSync(file)) throw new BuildError(`build input ${file} does not exist`);
  }
  for (const name of Object.keys(options.defines ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BuildError(`'${name}' is not a valid C macro name`);
  }
}

let toolchainIdentity: Promise<string> | undefined;

async function buildHash(options: BuildOptions, resolved: ResolvedBoard): Promise<string> {
  toolchainIdentity ??= runTool('arm-none-eabi-gcc', ['--version']).then((r) => r.output.split('\n')[0]);
  const hasher = new ContentHasher()
    .addValue('toolchain', await toolchainIdentity)
    .addTree(FIRMWARE_DIR, 'firmware')
    .addFile(resolved.boardFile, 'board')
    .addFile(resolved.chipFile, 'chip')
    .addValue('options', {
      arenaSize: options.arenaSize, stackSize: options.stackSize, optimize: options.optimize ?? 'speed',
      defines: Object.entries(options.defines ?? {}).sort(([a], [b]) => a.localeCompare(b)),
      extraSources: (options.extraSources ?? []).map((f) => path.resolve(f)),
      extraIncludeDirs: (options.extraIncludeDirs ?? []).map((d) => path.resolve(d)),
      appSources: (options.appSources ?? []).map((f) => path.resolve(f)),
    });
  if (options.modelImage) hasher.addFile(options.modelImage, 'model');
  // Headers next to extra sources and in extra include folders change the build as much as the sources do.
  const dirs = new Set([...(options.extraSources ?? []), ...(options.appSources ?? [])].map((f) => path.dirname(path.resolve(f))));
  for (const dir of dirs) hasher.addTree(dir);
  for (const dir of options.extraIncludeDirs ?? []) hasher.addTree(path.resolve(dir));
  return hasher.digest();
}

async function buildInto(cacheRoot: string, cacheDir: string, hash: string, options: BuildOptions, resolved: ResolvedBoard): Promise<void> {
  // Build in a private folder and rename it into place, so parallel builds of the same inputs never see half a result.
  const staging = path.join(cacheRoot, `.tmp-${hash}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const buildDir = path.join(staging, 'build');
  fs.mkdirSync(buildDir, { recursive: true });
  try {
    const configure = await runTool('cmake', ['-S', FIRMWARE_DIR, '-B', buildDir, '-G', 'Unix Makefiles', ...cmakeDefinitions(options)], { onLine: options.onLine });
    if (configure.code !== 0) {
      throw new BuildError(`configuring the firmware for ${options.board} failed (cmake exit ${configure.code}):\n${tail(configure.output)}`);
    }
    const build = await runTool('cmake', ['--build', buildDir, '-j2'], { onLine: options.onLine });
    fs.writeFileSync(path.join(staging, 'build.log'), configure.output + build.output);
    if (build.code !== 0) {
      const overflow = describeLinkOverflow(build.output, resolved.linkRegions);
      if (overflow) throw new BuildError(`firmware for ${options.board} ${overflow}`);
      throw new BuildError(`building the firmware for ${options.board} failed (exit ${build.code}):\n${tail(build.output)}`);
    }
    for (const artifact of ARTIFACTS) fs.copyFileSync(path.join(buildDir, artifact), path.join(staging, path.basename(artifact)));
    const sizes = readElfSizes(path.join(staging, 'firmware.elf'));
    fs.writeFileSync(path.join(staging, 'result.json'), `${JSON.stringify({ board: options.board, hash, sizes }, null, 2)}\n`);
    fs.rmSync(buildDir, { recursive: true, force: true });
    try {
      fs.renameSync(staging, cacheDir);
    } catch (err) {
      // Another process finished the same build first: its result is identical, keep it.
      if (!fs.existsSync(path.join(cacheDir, 'result.json'))) throw err;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function cmakeDefinitions(options: BuildOptions): string[] {
  const list = (items: string[] | undefined): string => (items ?? []).map((item) => path.resolve(item)).join(';');
  const defs = [`-DMCB_BOARD=${options.board}`, `-DCMAKE_BUILD_TYPE=${options.optimize === 'size' ? 'MinSizeRel' : 'Release'}`];
  if (options.arenaSize !== undefined) defs.push(`-DMCB_ARENA_SIZE=${options.arenaSize}`);
  if (options.stackSize !== undefined) defs.push(`-DMCB_STACK_SIZE=${options.stackSize}`);
  if (options.modelImage) defs.push(`-DMCB_MODEL_IMAGE=${path.resolve(options.modelImage)}`);
  if (options.extraSources?.length) defs.push(`-DMCB_EXTRA_SOURCES=${list(options.extraSources)}`);
  if (options.extraIncludeDirs?.length) defs.push(`-DMCB_EXTRA_INCLUDE_DIRS=${list(options.extraIncludeDirs)}`);
  if (options.appSources?.length) defs.push(`-DMCB_APP_SOURCES=${list(options.appSources)}`);
  const defines = Object.entries(options.defines ?? {}).map(([name, value]) => `${name}=${value}`);
  if (defines.length) defs.push(`-DMCB_EXTRA_DEFINITIONS=${defines.join(';')}`);
  return defs;
}

function copyOut(result: FirmwareBuild, outDir: string): FirmwareBuild {
  fs.mkdirSync(outDir, { recursive: true });
  const elf = path.join(outDir, 'firmware.elf');
  const bin = path.join(outDir, 'firmware.bin');
  const map = path.join(outDir, 'firmware.map');
  fs.copyFileSync(result.elf, elf);
  fs.copyFileSync(result.bin, bin);
  fs.copyFileSync(result.map, map);
  return { ...result, elf, bin, map };
}

/** Removes the least recently used cache entries beyond `keep` (staging folders of running builds are left alone). */
export function pruneCache(cacheRoot: string, keep: number): void {
  const entries = fs.readdirSync(cacheRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[0-9a-f]{24}$/.test(entry.name))
    .map((entry) => ({ dir: path.join(cacheRoot, entry.name), used: fs.statSync(path.join(cacheRoot, entry.name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const stale of entries.slice(keep)) fs.rmSync(stale.dir, { recursive: true, force: true });
}
