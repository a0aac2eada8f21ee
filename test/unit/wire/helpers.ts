// Shared test helpers: a seeded PRNG (tests are deterministic too) and fixture loading.
import { readFileSync } from 'node:fs';
import { fromHex } from '../../../engine/wire/hex.js';

/** mulberry32: small, seeded, good enough to spray test inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(rand: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

export interface LinuxPacket {
  name: string;
  kind: 'ipv4' | 'igmpmsg';
  scenario: string;
  description: string;
  capturedOn: string;
  hex: string;
}

interface FixtureFile {
  kernel: string;
  packets: LinuxPacket[];
}

export const linuxFixtures: FixtureFile = JSON.parse(
  readFileSync(new URL('../../fixtures/linux-packets/packets.json', import.meta.url), 'utf8'),
) as FixtureFile;

/** The bytes of the fixture named `name`; throws if it is missing, so a renamed fixture fails loudly. */
export function packet(name: string): Uint8Array {
  const p = linuxFixtures.packets.find((x) => x.name === name);
  if (!p) throw new Error(`no fixture named ${name}`);
  return fromHex(p.hex);
}
