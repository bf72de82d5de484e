/**
 * Inverse-probability-of-treatment weights from propensity scores, and Kish's effective sample
 * size.
 *
 * Inputs:  ps (estimated P(treated | covariates), strictly between 0 and 1), treated (0/1),
 *          estimand (ATE, ATT or ATO), stabilize, truncate ([lower, upper] probabilities).
 * Outputs: one weight per unit (Float64Array).
 * Method:  the usual definitions (WeightIt's get_w_from_ps for a binary treatment):
 *            ATE: treated 1/ps,      control 1/(1 - ps)
 *            ATT: treated 1,         control ps/(1 - ps)
 *            ATO: treated 1 - ps,    control ps          (overlap weights)
 *          Stabilized: each unit's weight is multiplied by the marginal probability of the
 *          treatment it received, P(T = 1) = n1/n for treated and P(T = 0) = n0/n for controls
 *          (Robins, Hernan, Brumback 2000). For ATE this makes the weights average 1 within each
 *          group in expectation; for ATT and ATO it only rescales each group, which leaves every
 *          weighted mean, and hence the effect estimate and balance, unchanged.
 *          Truncation (winsorizing) comes last: with q_lo, q_hi the R quantile(type = 7) of ALL
 *          units' (stabilized, if asked) weights at the given probabilities, weights below q_lo
 *          are set to q_lo and above q_hi to q_hi, i.e. pmin(pmax(w, q_lo), q_hi) in R.
 *          ESS (Kish 1965) = (sum w)^2 / sum w^2 over the selected units.
 * Reference: Li, Morgan, Zaslavsky (2018) JASA 113:390 (overlap weights); Austin & Stuart (2015)
 *          Stat Med 34:3661; WeightIt::get_w_from_ps; reference/r/weighting.R.
 */
import { InputError, SpecificationError } from '../core/errors.js';
import { quantiles } from '../stats/quantile.js';

export type Estimand = 'ATE' | 'ATT' | 'ATO';

export interface IptwOptions {
  estimand: Estimand;
  /** Multiply by the marginal probability of the treatment received. Default false. */
  stabilize?: boolean;
  /** Winsorize at these quantiles of the weights, e.g. [0.01, 0.99]. Default none. */
  truncate?: [number, number] | null;
}

/**
 * IPTW weights for a binary treatment.
 *
 * @example
 *   iptwWeights(Float64Array.from([0.2, 0.5]), Uint8Array.from([1, 0]), { estimand: 'ATE' }) // [5, 2]
 */
export function iptwWeights(ps: Float64Array, treated: Uint8Array, options: IptwOptions): Float64Array {
  const n = ps.length;
  if (treated.length !== n) throw new InputError(`treatment has ${treated.length} values but there are ${n} propensity scores`);
  if (!['ATE', 'ATT', 'ATO'].includes(options.estimand)) throw new SpecificationError(`estimand must be ATE, ATT or ATO, not ${options.estimand}`, { value: String(options.estimand) });
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    if (treated[i]! > 1) throw new InputError('treatment must be 0 or 1', { row: i + 1, column: 'treatment', value: String(treated[i]) });
    if (!(ps[i]! > 0 && ps[i]! < 1)) throw new InputError('propensity scores must be strictly between 0 and 1', { row: i + 1, column: 'ps', value: String(ps[i]) });
    n1 += treated[i]!;
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = ps[i]!;
    const t = treated[i] === 1;
    switch (options.estimand) {
      case 'ATE': w[i] = t ? 1 / p : 1 / (1 - p); break;
      case 'ATT': w[i] = t ? 1 : p / (1 - p); break;
      case 'ATO': w[i] = t ? 1 - p : p; break;
    }
  }
  if (options.stabilize) {
    const p1 = n1 / n;
    for (let i = 0; i < n; i++) w[i] = w[i]! * (treated[i] === 1 ? p1 : 1 - p1);
  }
  if (options.truncate) {
    const [lo, hi] = options.truncate;
    if (!(lo >= 0 && hi <= 1 && lo < hi)) throw new SpecificationError(`truncation quantiles must satisfy 0 <= lower < upper <= 1, not ${lo}, ${hi}`, { value: `${lo},${hi}` });
    const [qLo, qHi] = quantiles(w, [lo, hi]) as [number, number];
    for (let i = 0; i < n; i++) w[i] = Math.min(Math.max(w[i]!, qLo), qHi);
  }
  return w;
}

/**
 * Kish's effective sample size (sum w)^2 / sum w^2, over the units where mask is nonzero (all
 * units without a mask).
 *
 * @example
 *   effectiveSampleSize(Float64Array.from([1, 1, 2])) // 16 / 6
 */
export function effectiveSampleSize(weights: Float64Array, mask?: ArrayLike<number> | null): number {
  let s = 0, s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    if (mask && !mask[i]) continue;
    s += weights[i]!;
    s2 += weights[i]! * weights[i]!;
  }
  return s2 === 0 ? 0 : (s * s) / s2;
}
