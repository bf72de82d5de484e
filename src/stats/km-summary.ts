/**
 * Summaries of a fitted Kaplan-Meier curve, as print.survfit / summary.survfit compute them:
 * the median and its confidence interval, the restricted mean and its standard error, and the
 * curve read off at requested times.
 *
 * Inputs:  one curve's arrays at its distinct times (ascending): time, surv, lower, upper,
 *          stdErr (SE of S), nRisk and nEvent (case-weighted, as survfit stores them).
 * Outputs: plain numbers / typed arrays; null (median) or NaN (arrays) where R prints NA.
 * Method and reference: survival 3.5 survmean (its internal pfun and minmin) and
 *          summary.survfit with survfit0's added time-zero row; each function below names the
 *          detail it mirrors.
 */

/** R's tolerance in minmin: sqrt(.Machine$double.eps). */
const HALF_TOL = Math.sqrt(2.220446049250313e-16);

/**
 * First time a curve is <= 0.5, survmean's minmin(): values within sqrt(eps) of 0.5 count as
 * 0.5, and when the curve sits exactly at 0.5 over an interval the answer is the midpoint of
 * that interval's start and the next time the curve drops (so 4 deaths in 4 at times 1..4 gives
 * median 2.5, not 2). NaN points (NA limits) are skipped. Used on surv for the median and on
 * lower/upper for its confidence limits.
 *
 * @example survivalQuantileHalf(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.75, 0.5, 0.25, 0)) // 2.5
 */
export function survivalQuantileHalf(time: Float64Array, curve: Float64Array): number | null {
  let first = -1;
  for (let i = 0; i < curve.length; i++) {
    const y = curve[i];
    if (Number.isNaN(y) || !(y < 0.5 + HALF_TOL)) continue;
    if (first < 0) {
      first = i;
      if (!(Math.abs(y - 0.5) < HALF_TOL)) return time[i];
    } else if (y < curve[first]) {
      return (time[first] + time[i]) / 2;
    }
  }
  return first < 0 ? null : time[first];
}

/**
 * Restricted mean survival time up to `endTime` and its standard error, survmean's pfun:
 * the area under S from `startTime` (0 unless times are negative) to endTime, S carried forward
 * past the last time; variance sum_j h_j A_j^2 with h_j = d_j / (n_j (n_j - d_j)) (0 when
 * n_j = d_j) and A_j the area after time j, from the (weighted) n.risk and n.event.
 */
export function restrictedMean(time: Float64Array, surv: Float64Array, nRisk: Float64Array, nEvent: Float64Array, startTime: number, endTime: number): { rmean: number; se: number } {
  let m = 0;
  while (m < time.length && time[m] <= endTime) m++;
  // Pieces: rectangles between consecutive knots start, time[0..m-1], endTime.
  const k = m + 1;
  const rect = new Float64Array(k);
  const hh = new Float64Array(k);
  let prevT = startTime;
  let prevS = 1;
  for (let j = 0; j < k; j++) {
    const t = j < m ? time[j] : endTime;
    rect[j] = (t - prevT) * prevS;
    if (j < m) {
      const free = nRisk[j] - nEvent[j];
      hh[j] = free === 0 ? 0 : nEvent[j] / (nRisk[j] * free);
      prevS = surv[j];
    }
    prevT = t;
  }
  let mean = 0;
  for (let j = 0; j < k; j++) mean += rect[j];
  // varmean = sum over j < k-1 of hh[j] * (sum of rect after j)^2, accumulated from the end as R does.
  let tail = 0;
  let varmean = 0;
  for (let j = k - 2; j >= 0; j--) {
    tail += rect[j + 1];
    varmean += tail * tail * hh[j];
  }
  return { rmean: mean + startTime, se: Math.sqrt(varmean) };
}

export interface CurveAtTimes {
  time: Float64Array;
  surv: Float64Array;
  stdErr: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  nRisk: Float64Array;
  nEvent: Float64Array;
}

/**
 * summary(fit, times = ...) for one curve, extend = FALSE. Requested times are sorted (not
 * de-duplicated) and non-finite ones dropped; times after the curve's last time are dropped, as
 * R drops them. If that leaves none, the result is empty (R stops with "no points selected for
 * one or more curves"; we return the empty curve so the other groups are still reported). Before the first time the curve is survfit0's start row (S = 1, SE 0, limits 1,
 * n.risk = the first n.risk), added at `startTime` unless the curve already has a point there.
 * surv/SE/limits are the step function's value at t (last time <= t); n.risk is the number at
 * risk at the first curve time >= t (0 beyond); n.event counts events in (previous t, t].
 */
export function curveAtTimes(curve: { time: Float64Array; surv: Float64Array; stdErr: Float64Array; lower: Float64Array; upper: Float64Array; nRisk: Float64Array; nEvent: Float64Array }, times: readonly number[], startTime: number): CurveAtTimes {
  const m0 = curve.time.length;
  const add = m0 === 0 || curve.time[0] !== startTime ? 1 : 0;
  const m = m0 + add;
  // Row r of the survfit0 curve.
  const at = (arr: Float64Array, r: number, first: number): number => (add && r === 0 ? first : arr[r - add]);
  const tm = (r: number) => at(curve.time, r, startTime);
  const maxTime = m > 0 ? tm(m - 1) : -Infinity;
  const ptimes = times.filter((t) => Number.isFinite(t) && t <= maxTime).sort((a, b) => a - b);
  const q = ptimes.length;
  const out: CurveAtTimes = {
    time: Float64Array.from(ptimes), surv: new Float64Array(q), stdErr: new Float64Array(q),
    lower: new Float64Array(q), upper: new Float64Array(q), nRisk: new Float64Array(q), nEvent: new Float64Array(q),
  };
  // Cumulative events over survfit0 rows, so n.event is a difference of two prefix sums (R's delta()).
  const cum = new Float64Array(m + 1);
  for (let r = 0; r < m; r++) cum[r + 1] = cum[r] + at(curve.nEvent, r, 0);
  let prevCum = 0;
  // ptimes ascend, so both counts only move forward: one merge-like pass.
  let index1 = 0; // number of rows with time <= t (R's findInterval)
  let below = 0; // number of rows with time < t (findInterval, left.open = TRUE)
  for (let j = 0; j < q; j++) {
    const t = ptimes[j];
    while (index1 < m && tm(index1) <= t) index1++;
    while (below < m && tm(below) < t) below++;
    const r = Math.max(1, index1) - 1;
    out.surv[j] = at(curve.surv, r, 1);
    out.stdErr[j] = at(curve.stdErr, r, 0);
    out.lower[j] = at(curve.lower, r, 1);
    out.upper[j] = at(curve.upper, r, 1);
    out.nRisk[j] = below < m ? at(curve.nRisk, below, curve.nRisk[0]) : 0;
    out.nEvent[j] = cum[index1] - prevCum;
    prevCum = cum[index1];
  }
  return out;
}
