/**
 * Residuals of a fitted Cox model: R `residuals.coxph` types martingale, deviance, score,
 * dfbeta and schoenfeld, for right-censored and counting-process `(start, stop]` data,
 * Efron or Breslow ties, strata and case weights.
 *
 * Inputs: the fit's coefficients (and its variance for dfbeta: the naive, model-based variance
 *   when the fit is robust, as R), the model matrix, the outcome, and options {strata, weights,
 *   ties}. Outputs: `columns`, one Float64Array per coefficient (score, dfbeta, schoenfeld) or a
 *   single column (martingale, deviance); for schoenfeld also the event `time` of each row and
 *   the 0-based source `rows`, in R's order (stratum, time, source row).
 *
 * Method: the fit's own data preparation (prepareCoxData: sort by stratum and time, centre and
 * scale) and one backwards pass over the distinct event times of each stratum (eventTimeSums in
 * cox-score.ts, the same pass that gives coxph's robust variance) accumulate the risk-set sums
 * sum w exp(eta) and sum w exp(eta) x. At each event time with d tied deaths, Efron's
 * approximation puts the deaths in the risk set with weights 1/d, 2/d, ..., 1 over d sub-steps;
 * each sub-step has hazard increment h_k = (sum of death weights / d) / denominator_k and mean
 * xbar_k. A subject at risk but not dying at that time accrues sum_k h_k; a dying subject
 * accrues only its fractional share sum_k f_k h_k (R's coxmart/agmart, coxscore2/agscore2,
 * coxscho). Breslow is d = 1. Per-subject totals come from prefix sums over the stratum's event
 * times (rowResidualsFromData).
 *   martingale_i = delta_i - exp(eta_i) * Lambda_i
 *   score_ij     = delta_i (x_ij - mean_k xbar_kj) - exp(eta_i) * sum_t (x_ij - xbar_j(t)) dLambda(t)
 *   dfbeta       = score %*% V, times the case weight (R's default weighted = TRUE)
 *   deviance     = sign(m) sqrt(-2 (m + delta log(delta - m)))
 *   schoenfeld   = x_i - mean_k xbar_k at each death (unweighted, R's default)
 * Covariates are centred and scaled as coxph does: residuals do not change (they are returned
 * on the data scale), but the sums lose less precision.
 * Reference: Therneau & Grambsch (2000), Modeling Survival Data, chapter 4.
 */
import { SpecificationError } from '../core/errors.js';
import type { DesignMatrix } from './types.js';
import type { SurvivalData } from '../core/types.js';
import { timefix } from './timefix.js';
import { prepareCoxData } from './cox-data.js';
import { rowResidualsFromData } from './cox-score.js';
import { upperBound } from '../core/binary-search.js';

export type CoxResidualType = 'martingale' | 'deviance' | 'score' | 'dfbeta' | 'schoenfeld';

export interface CoxResidualOptions {
  strata?: Int32Array | null;
  weights?: Float64Array | null;
  ties?: 'efron' | 'breslow';
  /** Skip R's aeqSurv tie-merging of near-equal times (coxph's timefix = FALSE). */
  noTimefix?: boolean;
}

export interface CoxResiduals {
  type: CoxResidualType;
  /** One column per coefficient (score, dfbeta, schoenfeld) or one column (martingale, deviance). */
  columns: Float64Array[];
  /** Schoenfeld only: event time of each row. */
  time: Float64Array | null;
  /** Schoenfeld only: 0-based input row of each residual row. */
  rows: Int32Array | null;
}

export interface CoxResidualFit {
  coefficients: ArrayLike<number>;
  /** p*p row-major; R uses the naive variance for dfbeta when the fit is robust. */
  naiveVariance?: ArrayLike<number> | null;
  variance?: ArrayLike<number> | null;
}

/** R `residuals(fit, type)` for a Cox model. */
export function coxResiduals(fit: CoxResidualFit, x: DesignMatrix, y: SurvivalData, type: CoxResidualType, options: CoxResidualOptions = {}): CoxResiduals {
  // As coxph (timefix = TRUE): times equal up to rounding noise are tied first (R's aeqSurv).
  if (!options.noTimefix) {
    const fixed = timefix(y.stop, y.start);
    if (fixed.changed) y = { ...y, stop: fixed.stop, start: fixed.start };
  }
  const n = y.n;
  const p = x.p;
  const beta = fit.coefficients;
  if (beta.length !== p) throw new SpecificationError(`coxResiduals: ${beta.length} coefficients for a model matrix with ${p} columns`);
  const efron = (options.ties ?? 'efron') === 'efron';
  const weights = options.weights ?? null;
  // The fit's own sorted, centred and scaled data and its per-event-time sums (cox-score.ts),
  // so these residuals are computed exactly as the ones behind coxph's robust variance.
  const d = prepareCoxData(x, y, { strata: options.strata ?? null, weights });
  const bs = new Float64Array(p);
  for (let j = 0; j < p; j++) bs[j] = beta[j]! / d.scale[j]!;
  const wantScore = type === 'score' || type === 'dfbeta';
  const { martingale: mart, score: scoreRows, sums } = rowResidualsFromData(d, bs, efron, wantScore);

  if (type === 'schoenfeld') {
    // Deaths in R's order: stratum, then time ascending, then input row.
    const { stratumStart, order, stop, event } = d;
    const { time: evTime, stratumFirst, deathMean } = sums;
    const deaths: { k: number; s: number }[] = [];
    for (let s = 0; s < stratumStart.length - 1; s++) {
      for (let k = stratumStart[s]!; k < stratumStart[s + 1]!; k++) if (event[k] === 1) deaths.push({ k, s });
    }
    deaths.sort((u, v) => u.s - v.s || stop[u.k]! - stop[v.k]! || order[u.k]! - order[v.k]!);
    const cols = Array.from({ length: p }, () => new Float64Array(deaths.length));
    deaths.forEach(({ k, s }, r) => {
      // this death's event time: the last of its stratum's event times at or before stop[k]
      const m = upperBound(evTime, stop[k]!, stratumFirst[s]!, stratumFirst[s + 1]!) - 1;
      for (let j = 0; j < p; j++) cols[j]![r] = (d.x[k * p + j]! - deathMean[m * p + j]!) / d.scale[j]!;
    });
    return { type, columns: cols, time: Float64Array.from(deaths, ({ k }) => stop[k]!), rows: Int32Array.from(deaths, ({ k }) => order[k]!) };
  }

  const score: Float64Array[] = [];
  if (scoreRows) {
    for (let j = 0; j < p; j++) {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = scoreRows[i * p + j]!;
      score.push(col);
    }
  }
  const wt = (i: number): number => (weights ? weights[i]! : 1);
  const status = y.event;
  if (type === 'martingale') return { type, columns: [mart], time: null, rows: null };
  if (type === 'deviance') {
    const dev = Float64Array.from(mart, (m, i) => {
      const e = status[i]!;
      const v = -2 * (m + (e === 0 ? 0 : e * Math.log(e - m)));
      return Math.sign(m) * Math.sqrt(v);
    });
    return { type, columns: [dev], time: null, rows: null };
  }
  if (type === 'score') return { type, columns: score, time: null, rows: null };
  if (type === 'dfbeta') {
    const v = fit.naiveVariance ?? fit.variance;
    if (!v || v.length !== p * p) throw new SpecificationError('coxResiduals: dfbeta needs the fit variance (p*p)');
    const out = Array.from({ length: p }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < p; k++) {
        let acc = 0;
        for (let j = 0; j < p; j++) acc += score[j][i] * v[j * p + k];
        out[k][i] = acc * wt(i);
      }
    }
    return { type, columns: out, time: null, rows: null };
  }
  throw new SpecificationError(`coxResiduals: unknown residual type "${String(type)}" (martingale, deviance, score, dfbeta, schoenfeld)`, { value: String(type) });
}
