/**
 * @module numpy's legacy `RandomState(seed).randint(n)`, bit for bit: the 32-bit Mersenne Twister (MT19937,
 * Matsumoto & Nishimura 1998) seeded by `init_genrand`, and numpy's masked rejection for bounded integers.
 *
 * Needed to reproduce an objective whose noise comes from numpy: the published Optuna GP runs on HPOLib naval draw
 * the table seed of every evaluation with `numpy.random.RandomState(study_seed).randint(4)`.
 */

const N = 624;
const M = 397;

export class NumpyRandomState {
  private readonly state = new Uint32Array(N);
  private index = N;

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

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < N; i++) {
      const y = (s[i]! & 0x80000000) | (s[(i + 1) % N]! & 0x7fffffff);
      s[i] = s[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}
