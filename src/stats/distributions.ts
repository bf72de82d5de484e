/**
 * Normal and chi-square distribution functions for p-values and confidence intervals.
 *
 * Inputs/outputs: `normalCdf(x)` = R's pnorm(x); `normalQuantile(p)` = qnorm(p);
 * `chiSquareSurvival(x, df)` = pchisq(x, df, lower.tail = FALSE). All aim at ~1e-13 relative
 * accuracy, including far-tail p-values such as pnorm(-37) ~ 6e-300.
 * Method:
 *  - pnorm: for |x| < 3 the all-positive series Phi(x) = 1/2 + phi(x) sum x^(2n+1)/(2n+1)!!
 *    (no cancellation inside the sum); beyond, the Laplace continued fraction for the Mills
 *    ratio, Phi(-t) = phi(t) / (t + 1/(t + 2/(t + 3/(t + ...)))). phi(t) is evaluated as
 *    exp(-th^2/2) exp(-(t-th)(t+th)/2) with th = t rounded to 1/16, so that the large exponent
 *    is exact (the same trick as R's pnorm.c) and tail p-values keep full relative accuracy.
 *  - qnorm: Abramowitz & Stegun 26.2.23 start, then Halley steps on pnorm (cubic convergence).
 *  - pchisq upper tail: Q(df/2, x/2), the regularized upper incomplete gamma: series for
 *    x < a+1 (then 1 - P), Lentz's continued fraction otherwise; df = 1 goes through pnorm.
 * Reference: Abramowitz & Stegun 26.2.11, 26.2.23, 6.5.29, 6.5.31; Numerical Recipes 6.2.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density, accurate in the far tails. */
function normalDensity(t: number): number {
  const a = Math.abs(t);
  const th = Math.round(a * 16) / 16;
  return (Math.exp((-th * th) / 2) * Math.exp((-(a - th) * (a + th)) / 2)) / SQRT_2PI;
}

/** Lower tail Phi(-t) for t >= 3 by the Mills-ratio continued fraction (evaluated backwards). */
function upperTailCf(t: number): number {
  let f = t;
  for (let k = 200; k >= 1; k--) f = t + k / f;
  return normalDensity(t) / f;
}

/** R's pnorm(x): P(Z <= x) for a standard normal Z. Example: normalCdf(1.96) ~ 0.9750021. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    const a2 = a * a;
    for (let n = 1; n < 200; n++) {
      term *= a2 / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    const half = normalDensity(a) * sum;
    return x >= 0 ? 0.5 + half : 0.5 - half;
  }
  if (a > 40) return x > 0 ? 1 : 0;
  const tail = upperTailCf(a);
  return x > 0 ? 1 - tail : tail;
}

/** R's qnorm(p). Example: normalQuantile(0.975) ~ 1.959964. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  if (p === 0.5) return 0;
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let it = 0; it < 8; it++) {
    const e = normalCdf(x) - p;
    const u = e / normalDensity(x);
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** log Gamma(a): exact factorial forms for integers and half-integers, Stirling otherwise. */
function logGamma(a: number): number {
  if (Number.isInteger(a) && a <= 170) {
    let s = 0;
    for (let k = 2; k < a; k++) s += Math.log(k);
    return s;
  }
  if (Number.isInteger(a - 0.5) && a <= 170) {
    // Gamma(k + 1/2) = sqrt(pi) * prod_{j=1..k} (j - 1/2)
    let s = 0.5 * Math.log(Math.PI);
    for (let j = 1; j < a; j++) s += Math.log(j - 0.5);
    return s;
  }
  let shift = 0;
  let z = a;
  while (z < 10) {
    shift += Math.log(z);
    z += 1;
  }
  const z2 = 1 / (z * z);
  const series = (1 / z) * (1 / 12 - z2 * (1 / 360 - z2 * (1 / 1260 - z2 * (1 / 1680 - z2 / 1188))));
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** R's pchisq(x, df, lower.tail = FALSE). Example: chiSquareSurvival(3.841459, 1) ~ 0.05. */
export function chiSquareSurvival(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (df === 1) return 2 * normalCdf(-Math.sqrt(x));
  const a = df / 2;
  const y = x / 2;
  const logPrefix = -y + a * Math.log(y) - logGamma(a);
  if (y < a + 1) {
    // P(a, y) = y^a e^-y / Gamma(a+1) * sum y^n / ((a+1)...(a+n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= y / (a + n);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - Math.exp(logPrefix) * sum;
  }
  // Q(a, y) = e^-y y^a / Gamma(a) * 1/(y+1-a- 1(1-a)/(y+3-a- 2(2-a)/(y+5-a- ...)))
  const tiny = 1e-300;
  let b = y + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}
