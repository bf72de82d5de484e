/**
 * Pointwise confidence limits for a survival curve, R's survival:::survfit_confint.
 *
 * Inputs:  surv S(t); seLog, the standard error of log S(t) (what survfit stores in `std.err`
 *          when logse = TRUE, i.e. the Greenwood sqrt(sum d / (n (n - d)))); the transform; the
 *          two-sided level (0.95).
 * Outputs: lower and upper limits; NaN where R gives NA.
 * Method (z = qnorm(1 - (1 - level) / 2)):
 *   log:     S exp(-/+ z se), upper clipped at 1; NA when S = 0.
 *   log-log: exp(-exp(log(-log S) -/+ z se / log S)); NA when S is 0 or 1.
 *   plain:   S -/+ z se S, clipped to [0, 1].
 * Reference: survival 3.5 survfit_confint (ulimit = TRUE, conf.lower = "usual").
 */
import { normalQuantile } from './distributions.js';

export type ConfType = 'log' | 'log-log' | 'plain';

export function survivalConfidenceLimits(surv: Float64Array, seLog: Float64Array, confType: ConfType, confLevel: number): { lower: Float64Array; upper: Float64Array } {
  const n = surv.length;
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = surv[i];
    const se = seLog[i];
    if (confType === 'plain') {
      const half = se * p * z;
      // Math.max/min propagate NaN as R's pmax/pmin do.
      lower[i] = Math.max(p - half, 0);
      upper[i] = Math.min(p + half, 1);
    } else if (confType === 'log') {
      if (p === 0 || Number.isNaN(p)) {
        lower[i] = NaN;
        upper[i] = NaN;
      } else {
        lower[i] = Math.exp(Math.log(p) - z * se);
        upper[i] = Math.min(Math.exp(Math.log(p) + z * se), 1);
      }
    } else {
      if (p === 0 || p === 1 || Number.isNaN(p)) {
        lower[i] = NaN;
        upper[i] = NaN;
      } else {
        const lp = Math.log(p);
        const shift = (z * se) / lp;
        const c = Math.log(-lp);
        lower[i] = Math.exp(-Math.exp(c - shift));
        upper[i] = Math.exp(-Math.exp(c + shift));
      }
    }
  }
  return { lower, upper };
}
