// The run fingerprint: a 128-bit streaming hash of the trace (four 32-bit multiply-xor lanes with
// MurmurHash3's finaliser). It detects any difference between two runs of the same lab; it is not a
// cryptographic hash, and need not be: nothing adversarial chooses traces.
// Speed (trace emission is the engine's hottest path): values are fed as typed 32-bit words — two UTF-16
// code units or four packet bytes per word, numbers as numbers — instead of hashing JSON text one
// character at a time; and names that repeat (node, function, kind, payload keys) are interned: the
// first occurrence is hashed in full, later ones as their first-seen index. Every item starts with a
// type tag and strings carry their length, so the word stream decodes back to the values it came from:
// two different traces never feed the lanes the same words.

/** MurmurHash3's 32-bit finaliser (also used by the multipath hash). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Type tags (arbitrary distinct words).
const T_NULL = 0x6e756c6c;
const T_FALSE = 0x66616c73;
const T_TRUE = 0x74727565;
const T_INT = 0x696e7433;
const T_NUM = 0x66363420;
const T_STR = 0x73747220;
const T_BYTES = 0x62797465;
const T_ARR = 0x61727220;
const T_OBJ = 0x6f626a20;
const T_END = 0x656e6420;
const T_NEWSYM = 0x6e73796d;
const T_SYM = 0x73796d20;
const T_UNDEF = 0x756e6466;

const T_BIGINT = 0x696e7436;
// Explicit little-endian: the same value gives the same words on any host.
const f64 = new DataView(new ArrayBuffer(8));

export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;
  private c = 0x6a09e667;
  private d = 0xbb67ae85;
  private n = 0;
  private readonly syms = new Map<string, number>();

  /** One string item (tagged, length-prefixed). */
  updateString(s: string): void {
    this.mix(T_STR);
    this.chars(s);
  }

  /** One byte-string item (tagged, length-prefixed, four bytes per word). */
  updateBytes(bytes: Uint8Array): void {
    const len = bytes.length;
    this.mix(T_BYTES);
    this.mix(len);
    let i = 0;
    for (; i + 4 <= len; i += 4) this.mix((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!);
    if (i < len) {
      let w = 0;
      for (; i < len; i++) w = (w << 8) | bytes[i]!;
      this.mix(w);
    }
  }

  /** A number item: small integers as one word, anything else as its IEEE-754 bits. */
  updateNumber(v: number): void {
    if ((v | 0) === v) {
      this.mix(T_INT);
      this.mix(v);
    } else if (Number.isSafeInteger(v)) {
      // Nanosecond times pass 2^31 after ~2 s: two words, no float conversion.
      this.mix(T_BIGINT);
      this.mix(v % 0x100000000);
      this.mix(Math.floor(v / 0x100000000));
    } else {
      f64.setFloat64(0, v, true);
      this.mix(T_NUM);
      this.mix(f64.getUint32(0, true));
      this.mix(f64.getUint32(4, true));
    }
  }

  /** A number or null. */
  updateNullableNumber(v: number | null): void {
    if (v === null) this.mix(T_NULL);
    else this.updateNumber(v);
  }

  /**
   * A string expected to repeat (a name). The first time it is hashed in full; afterwards only its index
   * in first-seen order, which the stream itself defines, so the encoding stays unambiguous.
   */
  updateSymbol(s: string): void {
    const id = this.syms.get(s);
    if (id === undefined) {
      this.syms.set(s, this.syms.size);
      this.mix(T_NEWSYM);
      this.chars(s);
    } else {
      this.mix(T_SYM);
      this.mix(id);
    }
  }

  /** A JSON-like value; object keys are symbols, in the object's own key order (JSON.stringify's). */
  updateValue(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.updateNumber(v);
        return;
      case 'string':
        this.updateString(v);
        return;
      case 'boolean':
        this.mix(v ? T_TRUE : T_FALSE);
        return;
      case 'object':
        if (v === null) this.mix(T_NULL);
        else if (Array.isArray(v)) {
          this.mix(T_ARR);
          this.mix(v.length);
          for (const x of v) this.updateValue(x);
        } else {
          this.mix(T_OBJ);
          const o = v as Record<string, unknown>;
          for (const k in o) {
            this.updateSymbol(k);
            this.updateValue(o[k]);
          }
          this.mix(T_END);
        }
        return;
      default:
        // undefined (JSON.stringify would drop the key) and anything not JSON: one fixed word.
        this.mix(T_UNDEF);
    }
  }

  /** Length, then two UTF-16 code units per word. */
  private chars(s: string): void {
    const len = s.length;
    this.mix(len);
    let i = 0;
    for (; i + 2 <= len; i += 2) this.mix((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1));
    if (i < len) this.mix(s.charCodeAt(i));
  }

  private mix(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x5bd1e995);
    this.c = Math.imul((this.c ^ x) + (this.c << 5), 0x27d4eb2d);
    this.d = Math.imul(this.d ^ (x << 7) ^ (this.d >>> 11), 0x165667b1);
    this.n++;
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
