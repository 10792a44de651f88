/**
 * The few distribution functions and random sources the proof-of-value statistics need, written out
 * here because the project deliberately carries no statistics dependency. Accuracy targets are those
 * of a reported 95% interval (1e-6 or better), not of a numerical library.
 */
import { seededRandom } from '../../common/seeded-random.ts';

export { seededRandom };

/** Standard normal CDF via erfc (the Chebyshev fit of Numerical Recipes' erfcc, |ε| < 1.2e-7). */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

const ERFC = [
  0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
  1.00002368, -1.26551223,
];

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z + horner(ERFC, t));
  return x >= 0 ? r : 2 - r;
}

// Acklam's rational approximation to the normal quantile, relative error below 1.15e-9.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Inverse of the standard normal CDF. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  }
  if (p < P_LOW) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - P_LOW) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  const num = horner(A, r) * q;
  const den = horner([...B, 1], r);
  return num / den;
}

function tail(q: number): number {
  return horner(C, q) / horner([...D, 1], q);
}

function horner(coefficients: readonly number[], x: number): number {
  let acc = 0;
  for (const c of coefficients) acc = acc * x + c;
  return acc;
}

/**
 * Quantile of Student's t for real (Welch-Satterthwaite) degrees of freedom: G. W. Hill (1970),
 * "Algorithm 396: Student's t-quantiles", CACM 13(10), the method R's qt uses for fractional df.
 */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (df > 1e7) return normalQuantile(p);
  const upper = p > 0.5;
  const twoTailed = 2 * (upper ? 1 - p : p);
  const t = hillTwoTailed(twoTailed, df);
  return upper ? t : -t;
}

function hillTwoTailed(pTwo: number, n: number): number {
  if (n === 1) return Math.cos((pTwo * Math.PI) / 2) / Math.sin((pTwo * Math.PI) / 2);
  if (n === 2) return Math.sqrt(2 / (pTwo * (2 - pTwo)) - 2);
  const a = 1 / (n - 0.5);
  const b = 48 / (a * a);
  let c = (((20700 * a) / b - 98) * a - 16) * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * n;
  let y = Math.pow(d * pTwo, 2 / n);
  if (y > 0.05 + a) {
    const x = normalQuantile(pTwo * 0.5);
    y = x * x;
    if (n < 5) c += 0.3 * (n - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = a * y * y;
    y = y > 0.002 ? Math.exp(y) - 1 : 0.5 * y * y + y;
  } else {
    y =
      ((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1) *
        ((n + 1) / (n + 2)) +
      1 / y;
  }
  return Math.sqrt(n * y);
}

/** Standard normal draws from a uniform source (Box-Muller; the second variate is discarded for simplicity). */
export function normalSource(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** Mean and unbiased (n − 1) variance; variance is NaN below two values. */
export function meanAndVariance(values: readonly number[]): { n: number; mean: number; variance: number } {
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  // Welford: the two-pass sum of squares loses precision on nano-dollar magnitudes.
  values.forEach((v, i) => {
    const delta = v - mean;
    mean += delta / (i + 1);
    m2 += delta * (v - mean);
  });
  return { n, mean: n > 0 ? mean : NaN, variance: n > 1 ? m2 / (n - 1) : NaN };
}
