/**
 * Sample quantiles, R's default (type 7): for sorted x of length n and probability p,
 * h = (n - 1) p, Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 * Input: values (NaN ignored), probabilities in [0, 1]. Output: one quantile per probability.
 * Reference: Hyndman R J, Fan Y (1996), Sample quantiles in statistical packages; R stats::quantile.
 */
export function quantiles(values: ArrayLike<number>, probs: readonly number[]): number[] {
  const x = Float64Array.from(Array.prototype.filter.call(values, (v: number) => !Number.isNaN(v)) as number[]).sort();
  const n = x.length;
  if (n === 0) return probs.map(() => NaN);
  return probs.map((p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return x[lo]! + (h - lo) * (x[hi]! - x[lo]!);
  });
}
