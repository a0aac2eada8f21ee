// The run fingerprint: a 128-bit streaming hash of the trace (four 32-bit multiply-xor lanes with
// MurmurHash3's finaliser). It detects any difference between two runs of the same lab; it is not a
// cryptographic hash, and need not be: nothing adversarial chooses traces. Measured: SHA-256 over the
// UTF-8 of each event was ~80% of engine time in the chain benchmark; this hashes the JS string directly.

/** MurmurHash3's 32-bit finaliser (also used by the multipath hash). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;
  private c = 0x6a09e667;
  private d = 0xbb67ae85;
  private n = 0;

  updateString(s: string): void {
    for (let i = 0; i < s.length; i++) this.mix(s.charCodeAt(i));
    this.n += s.length;
    this.separator();
  }

  updateBytes(bytes: Uint8Array): void {
    // 0x100 keeps a byte distinct from the same code unit in a string.
    for (let i = 0; i < bytes.length; i++) this.mix(bytes[i]! | 0x100);
    this.n += bytes.length;
    this.separator();
  }

  private mix(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x5bd1e995);
    this.c = Math.imul((this.c ^ x) + (this.c << 5), 0x27d4eb2d);
    this.d = Math.imul(this.d ^ (x << 7) ^ (this.d >>> 11), 0x165667b1);
  }

  /** Marks the end of one item so that "ab"+"c" and "a"+"bc" hash differently. */
  private separator(): void {
    this.a = Math.imul(this.a ^ 0x1f, 0x01000193);
    this.b = Math.imul(this.b ^ 0x1f, 0x5bd1e995);
  }

  hex(): string {
    const n = this.n >>> 0;
    let h1 = fmix32(this.a ^ n);
    let h2 = fmix32(this.b ^ h1);
    const h3 = fmix32(this.c ^ h2);
    const h4 = fmix32(this.d ^ h3);
    h1 = fmix32(h1 ^ h4);
    h2 = fmix32(h2 ^ h1);
    return [h1, h2, h3, h4].map((h) => h.toString(16).padStart(8, '0')).join('');
  }
}
