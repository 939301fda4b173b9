/** @module Scrambled Sobol' sequence: generated direction numbers, hash-based nested (Owen) scrambling. */

import { Rng, hashString } from "./random.js";

/** Direction numbers are 32-bit, so indices run up to 2^32 - 1. */
const BITS = 32;
const MAX_INDEX = 2 ** BITS - 1;
const TWO_POW_21 = 2 ** 21;
const TWO_POW_53 = 2 ** 53;

/** Dimensions 1, 2, … use the primitive polynomials over GF(2) of degree 1..13, in order. */
const MAX_POLYNOMIAL_DEGREE = 13;

/**
 * Direction-number search effort (see `ensureDimension`). Early dimensions are in every study, so each is picked
 * from more candidates, compared in full with its "near" predecessors (the first `anchors` dimensions and the
 * preceding `window`) and screened against all the others for gross defects, i.e. 2-D strength below FAR_STRENGTH.
 * Later dimensions, generated lazily, get a lighter search against near predecessors only.
 */
const THOROUGH_DIMENSIONS = 64;
const THOROUGH_SEARCH = { candidates: 12, anchors: 8, window: 8, screenAll: true };
const LIGHT_SEARCH = { candidates: 4, anchors: 2, window: 4, screenAll: false };
const FAR_STRENGTH = 4;
/** Point-set sizes 2^m whose 2-D t-values the search minimises. */
const SCORED_LOG_SIZES = [6, 8, 10];
const MAX_SCORED_LOG_SIZE = 10;

/** Fixed seed for the candidate direction numbers: they are part of the sequence's definition, not of a study. */
const DIRECTION_SEED = 0x50b01;
const SCRAMBLE_STREAM = hashString("scaletune/sobol-scramble");

/** Euler's totient of n, by trial division (n ≤ 2^13 - 1 here). */
function totient(n: number): number {
  let result = n;
  let rest = n;
  for (let p = 2; p * p <= rest; p++) {
    if (rest % p !== 0) continue;
    while (rest % p === 0) rest /= p;
    result -= result / p;
  }
  if (rest > 1) result -= result / rest;
  return result;
}

function primeFactors(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  for (let p = 2; p * p <= rest; p++) {
    if (rest % p !== 0) continue;
    factors.push(p);
    while (rest % p === 0) rest /= p;
  }
  if (rest > 1) factors.push(rest);
  return factors;
}

/** Dimension 0 (van der Corput) plus one dimension per primitive polynomial: there are φ(2^s - 1)/s of degree s. */
export const SOBOL_MAX_DIMENSION: number = (() => {
  let count = 1;
  for (let degree = 1; degree <= MAX_POLYNOMIAL_DEGREE; degree++) count += totient(2 ** degree - 1) / degree;
  return count;
})();

/** a·b mod p over GF(2), polynomials as bit masks; a, b have degree < deg p. */
function mulMod(a: number, b: number, p: number, degree: number): number {
  let result = 0;
  for (let bit = degree - 1; bit >= 0; bit--) {
    result <<= 1;
    if ((result >>> degree) & 1) result ^= p;
    if ((b >>> bit) & 1) result ^= a;
  }
  return result;
}

/** x mod p: x itself, unless p has degree 1. */
function xMod(p: number, degree: number): number {
  return degree === 1 ? 2 ^ p : 2;
}

/** x^e mod p over GF(2). */
function powXMod(exponent: number, p: number, degree: number): number {
  let result = 1;
  let base = xMod(p, degree);
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = mulMod(result, base, p, degree);
    base = mulMod(base, base, p, degree);
  }
  return result;
}

/**
 * The primitive polynomials of the given degree in increasing order, as bit masks (bit s = x^s, bit 0 = 1).
 * p is primitive iff x has multiplicative order exactly 2^s - 1 modulo p: x^(2^s) = x, and x^((2^s - 1)/q) ≠ 1
 * for every prime q dividing 2^s - 1.
 * @internal exported for tests
 */
export function primitivePolynomials(degree: number): number[] {
  const order = 2 ** degree - 1;
  const cofactors = primeFactors(order).map((q) => order / q);
  const found: number[] = [];
  // The constant term must be 1, otherwise x divides p.
  for (let p = 2 ** degree + 1; p < 2 ** (degree + 1); p += 2) {
    const xModP = xMod(p, degree);
    let power = xModP;
    for (let i = 0; i < degree; i++) power = mulMod(power, power, p, degree);
    if (power !== xModP) continue;
    if (cofactors.some((c) => powXMod(c, p, degree) === 1)) continue;
    found.push(p);
  }
  return found;
}

/** Polynomials for dimensions 1, 2, …, enumerated one degree at a time as dimensions are requested. */
const polynomials: number[] = [];
let enumeratedDegree = 0;

function polynomialFor(dimension: number): number {
  while (polynomials.length < dimension) polynomials.push(...primitivePolynomials(++enumeratedDegree));
  return polynomials[dimension - 1]!;
}

/** Direction numbers v_0..v_31 of every generated dimension, left-aligned: column c of the generator matrix. */
const directions = new Uint32Array(SOBOL_MAX_DIMENSION * BITS);
/** Rows 0..9 of each generator matrix restricted to its first 10 columns (bit c = column c), for t-value scoring. */
const leadingRows = new Uint32Array(SOBOL_MAX_DIMENSION * MAX_SCORED_LOG_SIZE);
let generatedDimensions = 0;

/** Expands initial values m_1..m_s (odd, m_k < 2^k) through the Sobol' recurrence of polynomial p. */
function expandDirections(p: number, degree: number, initial: readonly number[], out: Uint32Array): void {
  for (let c = 0; c < degree; c++) out[c] = initial[c]! << (BITS - 1 - c);
  for (let c = degree; c < BITS; c++) {
    let v = out[c - degree]!;
    v ^= v >>> degree;
    for (let i = 1; i < degree; i++) if ((p >>> (degree - i)) & 1) v ^= out[c - i]!;
    out[c] = v;
  }
}

/** The top rows of a generator matrix restricted to its first columns, as bit masks, written at out[start..]. */
function rowsOf(columns: Uint32Array, out: Uint32Array, start: number): void {
  for (let r = 0; r < MAX_SCORED_LOG_SIZE; r++) {
    let row = 0;
    for (let c = 0; c < MAX_SCORED_LOG_SIZE; c++) row |= ((columns[c]! >>> (BITS - 1 - r)) & 1) << c;
    out[start + r] = row;
  }
}

const scratchBasis = new Uint32Array(MAX_SCORED_LOG_SIZE);
const scratchResiduals = new Uint32Array(MAX_SCORED_LOG_SIZE);

/** Inserts a vector into `scratchBasis` (indexed by lowest set bit); false if it was already in the span. */
function insertIntoBasis(vector: number): boolean {
  let v = vector;
  while (v !== 0) {
    const low = 31 - Math.clz32(v & -v);
    const pivot = scratchBasis[low]!;
    if (pivot === 0) {
      scratchBasis[low] = v;
      return true;
    }
    v ^= pivot;
  }
  return false;
}

/**
 * t-value of the 2-D projection of the first 2^m points for two generator matrices, given as rows (bit c = column
 * c) at `rowsA[startA..]` and `rowsB[startB..]`: m minus the strength ρ, the largest such that for every split
 * d1 + d2 = ρ the top d1 rows of A and top d2 rows of B (first m columns) are linearly independent over GF(2).
 * Then every elementary rectangle of area 2^(t-m) holds exactly 2^t of the points. With `maxStrength` < m the
 * search stops there, returning max(t, m - maxStrength) at a fraction of the cost.
 *
 * Row r of a Sobol' matrix has its lowest set bit in column r (m_k is odd and below 2^k), so the top d1 rows of A
 * are already in echelon form: reducing B's rows by them just clears columns < d1, one column per step of d1, and
 * what remains is a rank check of B's reduced rows.
 */
function tValueOfRows(
  rowsA: Uint32Array,
  startA: number,
  rowsB: Uint32Array,
  startB: number,
  m: number,
  maxStrength: number,
): number {
  const mask = 2 ** m - 1;
  let strength = maxStrength;
  for (let r = 0; r < strength; r++) scratchResiduals[r] = rowsB[startB + r]! & mask;
  for (let d1 = 0; d1 < strength; d1++) {
    for (let c = d1; c < m; c++) scratchBasis[c] = 0; // reduced rows only have columns ≥ d1
    for (let d2 = 0; d1 + d2 < strength; d2++) {
      if (!insertIntoBasis(scratchResiduals[d2]!)) strength = d1 + d2;
    }
    const pivotRow = rowsA[startA + d1]! & mask;
    for (let r = 0; r < strength - d1; r++) {
      if ((scratchResiduals[r]! >>> d1) & 1) scratchResiduals[r] = scratchResiduals[r]! ^ pivotRow;
    }
  }
  return m - strength;
}

/**
 * t-value of the 2-D projection (dimA, dimB) of the first 2^logSize unscrambled points (logSize ≤ 10).
 * @internal exported for tests
 */
export function projectionTValue(dimA: number, dimB: number, logSize: number): number {
  checkDimension(dimA);
  checkDimension(dimB);
  if (!Number.isInteger(logSize) || logSize < 1 || logSize > MAX_SCORED_LOG_SIZE) {
    throw new RangeError(`projectionTValue needs logSize in [1, ${MAX_SCORED_LOG_SIZE}], got ${logSize}`);
  }
  ensureDimension(Math.max(dimA, dimB));
  const rowsA = dimA * MAX_SCORED_LOG_SIZE;
  const rowsB = dimB * MAX_SCORED_LOG_SIZE;
  return tValueOfRows(leadingRows, rowsA, leadingRows, rowsB, logSize, logSize);
}

/**
 * Penalty of candidate rows for `dimension`: Σ 2^t over its 2-D projections with earlier dimensions and the scored
 * sizes, so one bad projection outweighs several slightly worse ones. Stops early once it reaches `cutoff`.
 */
function candidatePenalty(dimension: number, rows: Uint32Array, cutoff: number): number {
  const { anchors, window, screenAll } = dimension < THOROUGH_DIMENSIONS ? THOROUGH_SEARCH : LIGHT_SEARCH;
  let penalty = 0;
  for (let j = 0; j < dimension && penalty < cutoff; j++) {
    const near = j < anchors || j >= dimension - window;
    if (!near && !screenAll) {
      j = dimension - window - 1;
      continue;
    }
    for (const m of SCORED_LOG_SIZES) {
      const t = tValueOfRows(leadingRows, j * MAX_SCORED_LOG_SIZE, rows, 0, m, near ? m : FAR_STRENGTH);
      penalty += 2 ** t;
    }
  }
  return penalty;
}

const candidate = new Uint32Array(BITS);
const candidateRows = new Uint32Array(MAX_SCORED_LOG_SIZE);
const initialValues: number[] = [];

/**
 * Generates direction numbers for all dimensions up to `dimension`, in order.
 *
 * Dimension 0 is the identity matrix (van der Corput). Dimension d ≥ 1 takes the d-th primitive polynomial (by
 * degree, then by value) and needs initial values m_1..m_s, odd with m_k < 2^k, s = its degree. We draw a few
 * candidate sets from a fixed-seed stream keyed by (d, candidate), expand each through the recurrence, and keep the
 * one with the lowest `candidatePenalty`: 2-D t-values, from generator-matrix ranks, for the first 2^6, 2^8 and
 * 2^10 points of its projections with earlier dimensions (in full for near ones, screened for far ones in the
 * first 64); ties go to the earlier candidate. Each dimension depends only on those before it, so dimensions are
 * generated lazily, in order, with the same result whatever order they are requested in.
 */
function ensureDimension(dimension: number): void {
  for (; generatedDimensions <= dimension; generatedDimensions++) {
    const d = generatedDimensions;
    const base = d * BITS;
    if (d === 0) {
      for (let c = 0; c < BITS; c++) directions[c] = 2 ** (BITS - 1 - c);
    } else {
      const p = polynomialFor(d);
      const degree = 31 - Math.clz32(p);
      const candidates = d < THOROUGH_DIMENSIONS ? THOROUGH_SEARCH.candidates : LIGHT_SEARCH.candidates;
      let bestPenalty = Infinity;
      for (let k = 0; k < candidates; k++) {
        const rng = Rng.stream(DIRECTION_SEED, d, k);
        for (let i = 0; i < degree; i++) initialValues[i] = (rng.nextUint32() & (2 ** (i + 1) - 1)) | 1;
        expandDirections(p, degree, initialValues, candidate);
        rowsOf(candidate, candidateRows, 0);
        const penalty = candidatePenalty(d, candidateRows, bestPenalty);
        if (penalty < bestPenalty) {
          bestPenalty = penalty;
          directions.set(candidate, base);
        }
      }
    }
    rowsOf(directions.subarray(base, base + BITS), leadingRows, d * MAX_SCORED_LOG_SIZE);
  }
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new RangeError(`Sobol index must be an integer in [0, ${MAX_INDEX}], got ${index}`);
  }
}

function checkDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 0 || dimension >= SOBOL_MAX_DIMENSION) {
    const limit = `[0, ${SOBOL_MAX_DIMENSION - 1}] (${SOBOL_MAX_DIMENSION} dimensions supported)`;
    throw new RangeError(`Sobol dimension must be an integer in ${limit}, got ${dimension}`);
  }
}

/**
 * Coordinate `dimension` of unscrambled point `index`, as a 32-bit unsigned integer (divide by 2^32 for [0, 1)):
 * the XOR of the direction numbers selected by the set bits of `index`.
 * @internal exported for tests
 */
export function sobolBits(index: number, dimension: number): number {
  checkIndex(index);
  checkDimension(dimension);
  if (dimension >= generatedDimensions) ensureDimension(dimension);
  return rawBits(index, dimension);
}

function rawBits(index: number, dimension: number): number {
  const base = dimension * BITS;
  let x = 0;
  // ToInt32 keeps all 32 index bits (as a signed pattern); visit only the set ones, lowest first.
  for (let rest = index | 0; rest !== 0; rest &= rest - 1) x ^= directions[base + 31 - Math.clz32(rest & -rest)]!;
  return x >>> 0;
}

function reverseBits(x: number): number {
  let v = x;
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return (v >>> 16) | (v << 16);
}

/**
 * Nested uniform (Owen) scramble of a 32-bit fixed-point value, in the manner of Laine–Karras and Burley (2020).
 *
 * After bit reversal the leading digit of x is bit 0, and every step below changes bit i by a function of bits
 * 0..i-1 only (sums carry upwards; products with even constants shift upwards; a product with an odd number is x
 * plus an even product). So each output digit is its input digit XOR a keyed hash of the digits before it: a flip
 * per node of the binary tree, which is Owen's scramble, and keeps every elementary interval a bijection. The keys
 * enter once each (add, then odd multiply) between fixed even multipliers (SHA-256 IVs, low bit cleared); the
 * simpler published LK hash has strongly correlated flips between nodes of one level; this arrangement showed none
 * above sampling noise over 40 000 key pairs.
 */
function nestedScramble(x: number, keyAdd: number, keyMultiply: number): number {
  let v = reverseBits(x);
  v ^= Math.imul(v, 0x6a09e666);
  v = (v + keyAdd) | 0;
  v = Math.imul(v, keyMultiply | 1);
  v ^= Math.imul(v, 0xbb67ae84);
  v ^= Math.imul(v, 0x3c6ef372);
  return reverseBits(v) >>> 0;
}

/** murmur3's 32-bit finaliser. */
function mix32(x: number): number {
  let v = x;
  v = Math.imul(v ^ (v >>> 16), 0x85ebca6b);
  v = Math.imul(v ^ (v >>> 13), 0xc2b2ae35);
  return (v ^ (v >>> 16)) >>> 0;
}

/** Owen-scrambled Sobol' points: `point(index, dimension)` is random-access, the same seed gives the same points. */
export class ScrambledSobol {
  private readonly seed: number;
  /** Three scramble keys per dimension, derived from (seed, dimension) on first use. */
  private readonly keys = new Uint32Array(3 * SOBOL_MAX_DIMENSION);
  private readonly keyed = new Uint8Array(SOBOL_MAX_DIMENSION);

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`ScrambledSobol seed must be a finite number, got ${seed}`);
    this.seed = seed;
  }

  /** Coordinate `dimension` of point `index`, in [0, 1). The first 2^m points of every coordinate are stratified. */
  point(index: number, dimension: number): number {
    checkIndex(index);
    checkDimension(dimension);
    if (dimension >= generatedDimensions) ensureDimension(dimension);
    if (this.keyed[dimension] === 0) this.deriveKeys(dimension);
    const k = 3 * dimension;
    const high = nestedScramble(rawBits(index, dimension), this.keys[k]!, this.keys[k + 1]!);
    // Owen scrambling makes the digits past the 32nd uniform given the leading ones; fill 21 of them from a hash of
    // the (unique) leading digits so results are full doubles. The maximum is (2^53 - 1) / 2^53, never 1.
    const low = mix32(high ^ this.keys[k + 2]!) >>> 11;
    return (high * TWO_POW_21 + low) / TWO_POW_53;
  }

  private deriveKeys(dimension: number): void {
    const rng = Rng.stream(this.seed, SCRAMBLE_STREAM, dimension);
    for (let i = 0; i < 3; i++) this.keys[3 * dimension + i] = rng.nextUint32();
    this.keyed[dimension] = 1;
  }
}
