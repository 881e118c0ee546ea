// Builds host executables from the C link endpoint (firmware/core/protocol.c, link.c) for the protocol tests.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';

export const CORE_DIR = path.join(REPO_ROOT, 'firmware', 'core');
export const LINK_SOURCES = [path.join(CORE_DIR, 'protocol.c'), path.join(CORE_DIR, 'link.c')];
export const STRICT_FLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-Wconversion'];
export const SANITIZE_FLAGS = ['-g', '-O1', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

const buildDirs: string[] = [];

/** A fresh temp dir, removed by removeBuildDirs(). */
export function makeBuildDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  buildDirs.push(dir);
  return dir;
}

/** Call from afterAll: deletes every dir made by makeBuildDir / buildHostProgram in this test file. */
export function removeBuildDirs(): void {
  for (const dir of buildDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Compiles `sources` plus the link endpoint into a fresh temp dir; returns the executable path. */
export function buildHostProgram(name: string, sources: string[], extraFlags: string[] = []): string {
  const dir = makeBuildDir('mcb-link-');
  const exe = path.join(dir, name);
  const args = [...STRICT_FLAGS, ...SANITIZE_FLAGS, ...extraFlags, `-I${CORE_DIR}`, ...LINK_SOURCES, ...sources, '-o', exe];
  try {
    execFileSync('gcc', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer };
    throw new Error(`gcc failed building ${name}:\n${e.stderr?.toString() ?? String(err)}`);
  }
  return exe;
}
