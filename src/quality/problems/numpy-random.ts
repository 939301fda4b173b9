/**
 * @module numpy's legacy `RandomState(seed)`: the 32-bit Mersenne Twister (MT19937, Matsumoto & Nishimura 1998)
 * seeded by `init_genrand`, numpy's masked rejection for bounded integers (`randint`) and its 53-bit doubles
 * (`random_sample`), bit for bit; its polar-method normals (`normal`) to a few ulps, because V8's `Math.log` and
 * the C library's `log` round differently now and then (97 % of normals are bit-identical).
 *
 * Needed to reproduce objectives whose noise comes from numpy: the published Optuna GP runs on HPOLib naval draw
 * the table seed of every evaluation with `randint(4)`; the anchors' learning curves add `normal(0, 0.003)`.
 */

const N = 624;
const M = 397;

export class NumpyRandomState {
  private readonly state = new Uint32Array(N);
  private index = N;
  /** The polar method makes normals in pairs; the second waits here for the next call, as numpy's `gauss`. */
  private spareGauss: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
    this.state[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = this.state[i - 1]! ^ (this.state[i - 1]! >>> 30);
      // 1812433253 · prev mod 2^32, split so that the product stays exact in doubles.
      this.state[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  /** The next raw 32-bit output (`genrand_int32`). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `randint(n)`: uniform in [0, n), drawing masked 32-bit words and rejecting those ≥ n, as numpy does. */
  randint(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) throw new RangeError(`randint needs 1 ≤ n ≤ 2^32, got ${n}`);
    if (n === 1) return 0;
    if (n === 0x100000000) return this.nextUint32();
    const max = n - 1;
    let mask = max;
    for (let shift = 1; shift < 32; shift <<= 1) mask |= mask >>> shift;
    mask >>>= 0;
    for (;;) {
      const value = (this.nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** `random_sample()`: uniform in [0, 1) from two words, 27 + 26 bits, as numpy's `legacy_double`. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `normal(loc, scale)`: `loc + scale · z`, z from Marsaglia's polar method with numpy's cached second value. */
  normal(loc = 0, scale = 1): number {
    return loc + scale * this.gauss();
  }

  private gauss(): number {
    if (this.spareGauss !== null) {
      const spare = this.spareGauss;
      this.spareGauss = null;
      return spare;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.spareGauss = f * x1;
    return f * x2;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < N; i++) {
      const y = (s[i]! & 0x80000000) | (s[(i + 1) % N]! & 0x7fffffff);
      s[i] = s[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}
