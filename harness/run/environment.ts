// What a run was made with, for results.json `environment`: reports show it, the gate checks its identity
// fields. Tool versions are asked once per process; a tool that cannot be asked is left out, never guessed.
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ResolvedBoard } from '../boards';
import type { FirmwareBuild } from '../build';
import type { HelloAck } from '../link/messages';
import type { Environment } from '../report/results';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const answers = new Map<string, string | undefined>();

function firstLine(command: string, args: string[], cwd?: string): string | undefined {
  const key = [command, ...args].join(' ');
  if (!answers.has(key)) {
    try {
      answers.set(key, execFileSync(command, args, { cwd, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim() || undefined);
    } catch {
      answers.set(key, undefined);
    }
  }
  return answers.get(key);
}

/** Git commit of the project checkout, with `-dirty` when tracked files differ from it. */
function gitCommit(): string | undefined {
  const head = firstLine('git', ['rev-parse', 'HEAD'], REPO_ROOT);
  if (!head) return undefined;
  const dirty = firstLine('git', ['status', '--porcelain', '--untracked-files=no'], REPO_ROOT);
  return dirty ? `${head}-dirty` : head;
}

function fileSha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Facts of every run: the model file, the project commit, the host. */
export function runEnvironment(modelFile: string): Environment {
  const cpus = os.cpus();
  return {
    modelSha256: fileSha256(modelFile),
    gitCommit: gitCommit(),
    host: `${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
    node: process.version,
  };
}

/** Facts of a board run: firmware build, compiler and flags, the board's own report, QEMU's version. */
export function boardEnvironment(board: ResolvedBoard, firmware: FirmwareBuild, hello: HelloAck, optimize: 'size' | 'speed' = 'speed'): Environment {
  return {
    imageHash: hello.modelHash,
    firmwareHash: firmware.hash,
    firmwareProtocol: hello.protocolVersion,
    coreClockHz: hello.coreClockHz,
    compiler: firstLine('arm-none-eabi-gcc', ['--version']),
    // As firmware/CMakeLists.txt sets them: architecture flags from the chip, optimisation from the build type.
    compilerFlags: `-mcpu=${board.chip.core} -mthumb -mfpu=${board.chip.fpu} -mfloat-abi=hard ${optimize === 'speed' ? '-O2' : '-Os'} -DNDEBUG -std=c99`,
    ...(board.board.type === 'qemu' ? { qemuVersion: firstLine('qemu-system-arm', ['--version']) } : {}),
  };
}
