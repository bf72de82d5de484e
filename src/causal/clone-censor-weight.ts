/**
 * Target-trial emulation by clone–censor–weight (Hernán & Robins 2016, Am J Epidemiol 183:758;
 * Maringe et al. 2020, Int J Epidemiol 49:1719) for "start treatment within a grace period G"
 * (strategy A) versus "never start treatment" (strategy B), with a time-varying treatment
 * start and baseline covariates.
 *
 * Inputs: per patient time, event, exposureTime (treatment start; NaN = never), the grace
 *   period G, baseline covariates Z (DesignMatrix, no intercept) for the censoring model, the
 *   model ('pooled-logistic' default, or 'cox'), intervalLength (default 1; G must be a whole
 *   number of intervals), the times at which to report survival, and optional bootstrap
 *   settings {replicates, seed, workers}.
 * Outputs: weighted Kaplan–Meier curves per strategy, survival at `times` and the difference
 *   A − B, the hazard ratio A vs B from a weighted Cox model with robust SE clustered on the
 *   patient, weight summaries, the censoring model, the clone rows, and (with bootstrap)
 *   percentile CIs from resampling patients.
 *
 * Method.
 *  1. Clone every patient into both strategies at time 0.
 *     A: a patient who starts treatment at E <= G (and E < end of follow-up) follows A for
 *        the whole follow-up; one who dies or is censored before G untreated is compatible
 *        with A until then; anyone else deviates at G and is censored there.
 *     B: a patient who starts treatment at E < end of follow-up deviates at E and is censored
 *        there (E <= 0: never at risk under B, the clone is dropped); others follow B throughout.
 *     Exposure at exactly the end of follow-up is "not treated during follow-up" (tmerge's
 *     convention, see time-split.ts).
 *  2. Censoring model = the hazard of starting treatment among untreated patients still in
 *     follow-up. 'pooled-logistic': logistic regression on person-intervals (k*dt, (k+1)*dt]
 *     with outcome "treatment starts in this interval" on intercept, interval start t, t^2 and
 *     Z. 'cox': Cox model for time to treatment start on Z with the Breslow baseline hazard;
 *     the interval hazard is 1 − S((k+1)dt | Z) / S(k dt | Z). Either way
 *     P_k(Z) = prod_{j <= k} (1 − h_j(Z)) is the probability of still being untreated at the
 *     end of interval k.
 *  3. Inverse-probability-of-censoring weights, constant within each interval (clone rows are
 *     split at interval boundaries): B clones in interval k get 1 / P_k(Z), the cumulative
 *     product of 1 / P(uncensored) per interval. A clones have weight 1 during the grace period
 *     (nobody is censored from A before G); after G the surviving A clones (treated by G) get
 *     1 / (1 − P_{K−1}(Z)), K = G / dt, the inverse probability of having started by G.
 *     Optional truncation (`truncate: [lo, hi]`, default none): the weights are winsorized at
 *     q_lo, q_hi = R quantile(type = 7) at probabilities lo and hi of the weights of ALL clone
 *     rows (person-intervals of both strategies, weight-1 rows included): pmin(pmax(w, q_lo),
 *     q_hi). This is the person-time truncation of Cole & Hernán (2008, Am J Epidemiol 168:656)
 *     and WeightIt's trim() with the clone row as the unit. Every weight is >= 1, so a lower
 *     quantile above 1 also raises the unweighted (grace-period A) rows. [0, 1] is the identity.
 *     The result reports q_lo, q_hi, how many rows changed and the weights before and after.
 *  4. Weighted counting-process Kaplan–Meier per strategy and a weighted Cox model on the
 *     strategy indicator with the robust (sandwich) variance clustered on the patient.
 *  5. Bootstrap: resample patients (both clones together), redo steps 1–4, percentile CIs.
 *     Replicate r depends only on (seed, r), so results do not depend on the worker count.
 *     With truncation, each replicate recomputes q_lo, q_hi over the clone rows of its own
 *     resample (a patient drawn c times contributes its rows c times), i.e. the whole
 *     procedure is bootstrapped, not the full-data thresholds.
 *     For speed (200 replicates of ~4,000 patients must take seconds) a replicate reuses the
 *     clone rows, which do not depend on the resample, and enters the resample as patient
 *     multiplicities; the censoring model is the pooled logistic fitted from per-patient sums
 *     (pooled-logistic.ts) warm-started at the full-data fit, and KM and Cox come from one
 *     sweep over event times (ccw-replicate.ts, stats/two-group-risk-sets.ts). These are the
 *     same estimates as steps 1–4 on the duplicated resample, not approximations.
 *
 * Modules, one job each: ccw-input.ts (the inputs and their checks), ccw-clones.ts (step 1),
 * ccw-censoring-weights.ts (steps 2–3: censoring model, Breslow baseline, weights),
 * ccw-truncation.ts (step 3's weight summary and truncation), ccw-estimate.ts (steps 1–4, the
 * point estimate), ccw-replicate.ts (step 5's replicate, the bootstrap workers' entry point);
 * this file runs the estimate and the bootstrap.
 */
import { EstimationError } from '../core/errors.js';
import { bootstrap, percentileInterval } from './bootstrap.js';
import { toCcwData, type CcwData, type CloneCensorWeightInput } from './ccw-input.js';
import { estimateCloneCensorWeight, type CcwEstimate } from './ccw-estimate.js';

export type { CensoringModel, CloneCensorWeightInput, CcwData } from './ccw-input.js';
export type { CcwArm, CcwEstimate, CcwTruncation } from './ccw-estimate.js';
export type { WeightSummary } from './ccw-truncation.js';
export { estimateCloneCensorWeight } from './ccw-estimate.js';
export { truncateCloneWeights } from './ccw-truncation.js';
export { STRATEGY_NAMES } from './ccw-clones.js';
export { ccwReplicate } from './ccw-replicate.js';

export interface CcwBootstrap {
  replicates: number;
  failures: number;
  firstFailure: string | null;
  seed: number;
  survivalA: { lower: number; upper: number }[];
  survivalB: { lower: number; upper: number }[];
  survivalDifference: { lower: number; upper: number }[];
  hazardRatio: { lower: number; upper: number };
}

export interface CcwResult extends CcwEstimate {
  confLevel: number;
  bootstrap: CcwBootstrap | null;
}

/** Clone–censor–weight analysis with optional bootstrap CIs (see the module header). */
export async function cloneCensorWeight(input: CloneCensorWeightInput): Promise<CcwResult> {
  const confLevel = input.confLevel ?? 0.95;
  const est = estimateCloneCensorWeight(input);
  if (!input.bootstrap) return { ...est, confLevel, bootstrap: null };
  const { replicates, seed, workers, progress } = input.bootstrap;
  const data: CcwData = toCcwData(input);
  const res = await bootstrap(input.time.length, { moduleUrl: new URL('./ccw-replicate.js', import.meta.url).href, exportName: 'ccwReplicate', data }, { replicates, seed, workers, progress });
  if (res.failures === replicates) throw new EstimationError(`clone-censor-weight bootstrap: every replicate failed (first: ${res.firstFailure})`);
  const m = input.times.length;
  const iv = (j: number): { lower: number; upper: number } => percentileInterval(res, j, confLevel);
  const hr = iv(3 * m);
  return {
    ...est,
    confLevel,
    bootstrap: {
      replicates, failures: res.failures, firstFailure: res.firstFailure, seed,
      survivalA: input.times.map((_, k) => iv(k)),
      survivalB: input.times.map((_, k) => iv(m + k)),
      survivalDifference: input.times.map((_, k) => iv(2 * m + k)),
      hazardRatio: { lower: Math.exp(hr.lower), upper: Math.exp(hr.upper) },
    },
  };
}
