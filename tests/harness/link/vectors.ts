// Loads the shared link vectors (tests/fixtures/protocol/vectors.json, generated from the spec by gen_vectors.py).
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../support/paths';

export interface FrameFields { type: string; typeCode: number; seq: number; payloadHex: string }
export interface FrameVector extends FrameFields { name: string; hex: string; crc: string }
export interface StreamVector { name: string; hex: string; frames: FrameFields[] }
export interface Vectors {
  crc32: { name: string; hex: string; crc: string }[];
  frames: FrameVector[];
  streams: StreamVector[];
  conversation: {
    board: Record<string, string | number>;
    reset: string;
    steps: { note: string; sendHex: string; expectHex: string[] }[];
    expectRuns: number;
    expectDuplicates: number;
  };
}

export const vectors: Vectors = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/protocol/vectors.json'), 'utf8'));
export const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
