/**
 * @module Classic closed-form test functions (all minimised), defined as in the Optuna anchor benchmarks
 * (`shared/anchors/optuna/common.py`) so that regrets compare number for number.
 *
 * Sources: Branin and Hartmann-6 as in Dixon & Szegő (1978) / the Simon Fraser University test-function library;
 * Rosenbrock, Ackley (a=20, b=0.2, c=2π) and Rastrigin (A=10) in their usual d-dimensional forms.
 */

export function branin(x: readonly number[]): number {
  const [x1, x2] = x as [number, number];
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((p) => 1e-4 * p));

export function hartmann6(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += H6_A[i]![j]! * (x[j]! - H6_P[i]![j]!) ** 2;
    sum += H6_ALPHA[i]! * Math.exp(-inner);
  }
  return -sum;
}

export function rosenbrock(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < x.length; i++) sum += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return sum;
}

export function ackley(x: readonly number[]): number {
  const d = x.length;
  let squares = 0;
  let cosines = 0;
  for (const v of x) {
    squares += v * v;
    cosines += Math.cos(2 * Math.PI * v);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(squares / d)) - Math.exp(cosines / d) + 20 + Math.E;
}

export function rastrigin(x: readonly number[]): number {
  let sum = 10 * x.length;
  for (const v of x) sum += v * v - 10 * Math.cos(2 * Math.PI * v);
  return sum;
}

/**
 * The anchors' off-centre shift, in units of the box half-width: `common.SHIFT_UNIT`, i.e.
 * `r = numpy.random.RandomState(12345); r.uniform(0.2, 0.6, size=10) * r.choice([-1, 1], size=10)`, computed once
 * with numpy 1.24.2 (/usr/bin/python3) and printed with repr(). The shifted problems evaluate f(x − o) with
 * o = SHIFT_UNIT × half-width, so their optimum is o instead of the box centre (where Optuna's CMA-ES starts).
 */
export const SHIFT_UNIT: readonly number[] = [
  -0.5718464371268591, -0.32655022183271437, 0.2735675246708378, 0.2818241114212159, 0.4270900116326747,
  -0.4382178811917006, 0.5858058078942486, -0.46127083874862834, -0.4995626550135647, 0.4614279483406941,
];
