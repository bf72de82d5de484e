/**
 * Clone–censor–weight step 3's weight checks and optional truncation: the summary of the
 * weights in use, and their winsorization at type-7 quantiles of the clone-row weights
 * (Cole & Hernán 2008, Am J Epidemiol 168:656; WeightIt's trim() with the clone row as unit).
 *
 * Inputs:  the clone-row weights (0 = a patient not drawn into a bootstrap replicate); for
 *          truncation the quantile probabilities [lo, hi] and the row multiplicities.
 * Outputs: summarizeWeights: min, max and mean of the weights in use, or an EstimationError when
 *          one is not finite and positive (the censoring model predicts certain treatment).
 *          truncateCloneWeights: the bounds q_lo, q_hi and how many rows changed; the weights
 *          are changed in place.
 * Method:  R's quantile(type = 7) of the weights with each row repeated `multiplicity` times
 *          (stats/quantile.ts), then pmin(pmax(w, q_lo), q_hi).
 */
import { EstimationError } from '../core/errors.js';
import { quantiles } from '../stats/quantile.js';

export interface WeightSummary { min: number; max: number; mean: number }

/** Min, max and mean of the weights in use (0 = a patient not drawn); throws when one is not finite and positive. */
export function summarizeWeights(weight: Float64Array): WeightSummary {
  let wmin = Infinity;
  let wmax = -Infinity;
  let wsum = 0;
  let m = 0;
  for (let k = 0; k < weight.length; k++) {
    const w = weight[k];
    if (w === 0) continue; // a patient not drawn into this bootstrap replicate
    if (!(w > 0) || !Number.isFinite(w)) throw new EstimationError('clone-censor-weight: a censoring weight is not finite and positive (the censoring model predicts certain treatment); use a coarser model or fewer covariates');
    wmin = Math.min(wmin, w); wmax = Math.max(wmax, w); wsum += w; m++;
  }
  return { min: wmin, max: wmax, mean: wsum / m };
}

/**
 * Step 3's optional truncation, in place: winsorizes the weights of the rows with multiplicity
 * > 0 at the type-7 quantiles (probabilities `probs`) of those rows' weights, each row counted
 * `multiplicity` times (its patient's bootstrap count; null = once), as in the duplicated data.
 */
export function truncateCloneWeights(weight: Float64Array, probs: [number, number], multiplicity: ArrayLike<number> | null): { bounds: [number, number]; truncated: number } {
  let total = 0;
  for (let r = 0; r < weight.length; r++) total += multiplicity ? multiplicity[r] : 1;
  const pool = new Float64Array(total);
  let q = 0;
  for (let r = 0; r < weight.length; r++) {
    const c = multiplicity ? multiplicity[r] : 1;
    for (let j = 0; j < c; j++) pool[q++] = weight[r];
  }
  const [lo, hi] = quantiles(pool, probs) as [number, number];
  let truncated = 0;
  for (let r = 0; r < weight.length; r++) {
    if (multiplicity && !(multiplicity[r] > 0)) continue;
    const w = weight[r];
    const t = Math.min(Math.max(w, lo), hi);
    if (t !== w) { weight[r] = t; truncated++; }
  }
  return { bounds: [lo, hi], truncated };
}
