// Builds host executables from the C link endpoint (firmware/core/protocol.c, link.c) for the protocol tests.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { C99_STRICT, CRC32_SOURCE, FIRMWARE_CORE_DIR, gcc, RUNTIME_INCLUDE_DIR, SANITIZE } from '../support/c-build';

export const CORE_DIR = FIRMWARE_CORE_DIR;
/** The link endpoint and the runtime CRC-32 it shares with the image loader. */
export const LINK_SOURCES = [path.join(CORE_DIR, 'protocol.c'), path.join(CORE_DIR, 'link.c'), CRC32_SOURCE];
/** The endpoint is also held to -Wconversion; its headers include the runtime's mcb/crc32.h. */
export const STRICT_FLAGS = [...C99_STRICT, '-Wconversion', `-I${RUNTIME_INCLUDE_DIR}`];
export const SANITIZE_FLAGS = [...SANITIZE, '-O1'];

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
  gcc(args);
  return exe;
}
