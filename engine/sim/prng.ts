// Seeded PRNG: xoshiro128** seeded through splitmix32. Every random choice the model makes
// (IGMP report delays, MAC addresses, IP ids) draws from here, so a run is a function of its seed.

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    const st = { s: (seed >>> 0) ^ Math.floor(seed / 0x100000000) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
  }

  /** get_random_u32() */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    return result;
  }

  /** get_random_u32_below(ceil): uniform in [0, ceil), unbiased (rejection sampling). */
  below(ceil: number): number {
    if (!Number.isInteger(ceil) || ceil <= 0 || ceil > 0x100000000) throw new RangeError(`below(${ceil})`);
    const limit = 0x100000000 - (0x100000000 % ceil);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % ceil;
    }
  }

  /** A float in [0, 1) with 32 bits of randomness (for the sandbox's Math.random). */
  float(): number {
    return this.u32() / 0x100000000;
  }

  /** A derived, independent generator (e.g. one per daemon), stable for a given label. */
  fork(label: string): Prng {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new Prng(((this.seed >>> 0) ^ h) >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
