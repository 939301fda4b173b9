/**
 * @module Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 *
 * Every sampler draws from an `Rng` so that the same seed replays the same sequence. `Rng.stream(seed, ...keys)`
 * derives an independent generator per (seed, trial number, …), which keeps results reproducible even when trials
 * run concurrently and finish in any order.
 */

const TWO_POW_32 = 4294967296;

/** One step of splitmix32: a strong 32-bit mixer used to expand seeds into generator state. */
function splitmix32(state: number): [value: number, next: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

/** Folds a list of integers (seed, stream keys) into one 32-bit value, order-sensitive. */
function mixKeys(keys: readonly number[]): number {
  let h = 0x243f6a88;
  for (const key of keys) {
    if (!Number.isFinite(key)) throw new RangeError(`random stream key must be a finite number, got ${key}`);
    // Split keys wider than 32 bits so that e.g. seeds 1 and 2**32 + 1 differ.
    const low = key % TWO_POW_32 | 0;
    const high = Math.floor(key / TWO_POW_32) | 0;
    h = splitmix32(h ^ low)[0];
    h = splitmix32(h ^ high)[0];
  }
  return h;
}

/** Hashes a string to 32 bits (FNV-1a), for deriving streams from parameter names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** A generator whose whole state is expanded from one 32-bit-or-wider integer seed. */
  constructor(seed: number) {
    let state = mixKeys([seed]);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [value, next] = splitmix32(state);
      words.push(value | 0);
      state = next;
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    // xoshiro must not start from the all-zero state.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** An independent generator for (seed, ...keys): same inputs, same sequence. */
  static stream(seed: number, ...keys: number[]): Rng {
    return new Rng(mixKeys([seed, ...keys]));
  }

  /** A fresh non-deterministic seed, for samplers created without one. */
  static randomSeed(): number {
    return Math.floor(Math.random() * TWO_POW_32);
  }

  /** The next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.random() * n);
  }

  /** Standard normal deviate (Box–Muller; one of the pair is discarded to keep the generator stateless beyond its words). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
