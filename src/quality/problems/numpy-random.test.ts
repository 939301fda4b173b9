import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NumpyRandomState } from "./numpy-random.js";

const draw = (seed: number, n: number, count: number) => {
  const rng = new NumpyRandomState(seed);
  return Array.from({ length: count }, () => rng.randint(n));
};

describe("NumpyRandomState", () => {
  it("produces the reference MT19937 stream (init_genrand(5489) starts 3499211612, 581869302, …)", () => {
    const rng = new NumpyRandomState(5489);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => rng.nextUint32()), [3499211612, 581869302, 3890346734, 3586334585, 545404204]);
    const zero = new NumpyRandomState(0);
    assert.deepEqual([1, 2, 3].map(() => zero.nextUint32()), [2357136044, 2546248239, 3071714933]);
  });

  it("matches numpy.random.RandomState(seed).randint(n), including masked rejection (n = 6)", () => {
    // Printed by numpy 1.24.2: RandomState(s).randint(4, size=20) and [RandomState(3).randint(6) for _ in range(15)].
    assert.deepEqual(draw(0, 4, 20), [0, 3, 1, 0, 3, 3, 3, 3, 1, 3, 1, 2, 0, 3, 2, 0, 0, 0, 2, 1]);
    assert.deepEqual(draw(1, 4, 20), [1, 3, 0, 0, 3, 1, 3, 1, 3, 0, 0, 1, 0, 3, 1, 0, 2, 1, 2, 0]);
    assert.deepEqual(draw(9, 4, 20), [2, 0, 2, 1, 2, 0, 3, 2, 1, 1, 2, 0, 3, 0, 2, 1, 0, 1, 3, 1]);
    assert.deepEqual(draw(12345, 4, 20), [2, 1, 1, 1, 0, 1, 2, 2, 1, 2, 1, 1, 2, 1, 3, 2, 1, 3, 3, 2]);
    assert.deepEqual(draw(3, 6, 15), [2, 0, 1, 3, 0, 0, 0, 5, 5, 3, 2, 3, 1, 1, 2]);
  });

  it("keeps matching numpy past the first 624-word block", () => {
    // numpy 1.24.2: [RandomState(7).randint(4) for _ in range(1300)][1280:]
    assert.deepEqual(draw(7, 4, 1300).slice(1280), [1, 3, 1, 2, 0, 2, 1, 3, 3, 2, 1, 2, 3, 2, 0, 3, 0, 1, 1, 3]);
  });

  it("draws random_sample() doubles exactly as numpy", () => {
    // numpy 2.4.6 (legacy RandomState, unchanged since 1.x): RandomState(0).random_sample(4)
    const rng = new NumpyRandomState(0);
    assert.deepEqual([1, 2, 3, 4].map(() => rng.nextDouble()), [0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969]);
  });

  it("draws normal(loc, scale) as numpy's polar method does, pairs and rejections included, to a few ulps", () => {
    // V8's Math.log and glibc's log round differently in ~8 % of inputs: 97 % of draws are bit-identical, the rest
    // differ by 1–3 ulps (checked on 30,000 draws). Any slip in the pairing or the rejection loop would be far off.
    const close = (actual: number[], expected: number[]) => {
      assert.equal(actual.length, expected.length);
      actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) <= 1e-15 * Math.abs(expected[i]!), `draw ${i}: ${a} vs numpy ${expected[i]}`));
    };
    // numpy 2.4.6: [RandomState(12345).normal(0, 0.003) for _ in range(6)]
    const a = new NumpyRandomState(12345);
    close(Array.from({ length: 6 }, () => a.normal(0, 0.003)), [
      -0.0006141229784541388, 0.0014368300141726447, -0.0015583161451702143, -0.0016671909130424702, 0.005897341717508143, 0.004180217498918971,
    ]);
    // numpy 2.4.6: draws 995–1000 of RandomState(3000050).normal(0, 0.003), past several twists of the state
    const b = new NumpyRandomState(3000050);
    close(Array.from({ length: 1001 }, () => b.normal(0, 0.003)).slice(995), [
      -0.0018753802928411609, 0.0035909745273172257, 0.0004547425587663155, -0.004129310137335959, 0.0020070920960680804, 0.005966464689943433,
    ]);
    // numpy 2.4.6: RandomState(7): normal(2.5, 0.5) three times, then standard_normal() (the cached second of a pair)
    const c = new NumpyRandomState(7);
    close([c.normal(2.5, 0.5), c.normal(2.5, 0.5), c.normal(2.5, 0.5), c.normal()], [3.345262851900178, 2.2670313147295835, 2.5164100818392923, 0.40751628299650783]);
  });
});
