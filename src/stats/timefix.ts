/**
 * R's aeqSurv (the `timefix = TRUE` default of survfit, survdiff and coxph): times that differ
 * only by floating-point noise are made exactly equal before ties are counted.
 *
 * Inputs:  the sorted distinct finite times of the whole data set (start and stop times both,
 *          for counting-process data).
 * Output:  for each distinct time, the time it is replaced by; or null when nothing is tied
 *          (the common case, so callers can skip the remapping pass).
 * Method:  as aeqSurv: with tol = sqrt(.Machine$double.eps), neighbouring distinct values y[i-1],
 *          y[i] are tied when y[i] - y[i-1] <= tol or (y[i] - y[i-1]) / mean(|y|) <= tol. A run of
 *          tied values collapses onto its first (smallest) member, which is what R's
 *          findInterval(x, cuts) does.
 * Why:     without it, 1/3 + 1/3 + 1/3 and 1 would be two event times and the numbers at risk
 *          would differ from R's.
 * Reference: survival::aeqSurv (survival 3.5); Therneau, "Roundoff error" vignette.
 */
import { lowerBound } from '../core/binary-search.js';
export const AEQ_TOLERANCE = Math.sqrt(2.220446049250313e-16);

export function aeqRepresentatives(sortedDistinct: Float64Array): Float64Array | null {
  const m = sortedDistinct.length;
  if (m < 2) return null;
  let sumAbs = 0;
  for (let i = 0; i < m; i++) sumAbs += Math.abs(sortedDistinct[i]);
  const meanAbs = sumAbs / m;
  let reps: Float64Array | null = null;
  for (let i = 1; i < m; i++) {
    const dy = sortedDistinct[i] - sortedDistinct[i - 1];
    if (dy <= AEQ_TOLERANCE || dy / meanAbs <= AEQ_TOLERANCE) {
      if (reps === null) reps = Float64Array.from(sortedDistinct);
      reps[i] = reps[i - 1];
    }
  }
  return reps;
}

/**
 * Applies aeqSurv to stop (and start) times, returning new arrays only when some time moved.
 * A counting-process interval whose two ends become equal is an error in R as well
 * ("aeqSurv exception, an interval has effective length 0"); the caller reports it.
 */
export function timefix(stop: Float64Array, start: Float64Array | null): { stop: Float64Array; start: Float64Array | null; changed: boolean } {
  const all = new Float64Array(stop.length + (start ? start.length : 0));
  all.set(stop);
  if (start) all.set(start, stop.length);
  all.sort();
  let m = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i];
  const distinct = all.subarray(0, m);
  const reps = aeqRepresentatives(distinct);
  if (reps === null) return { stop, start, changed: false };
  const map = (x: Float64Array): Float64Array => {
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      // the representative of x[i]: the first distinct value >= x[i] (clamped to the last one)
      out[i] = reps[lowerBound(distinct, x[i], 0, m - 1)];
    }
    return out;
  };
  return { stop: map(stop), start: start ? map(start) : null, changed: true };
}
