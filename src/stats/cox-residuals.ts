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
 * Method: one backwards pass over the distinct event times of each stratum accumulates the
 * risk-set sums sum w exp(eta) and sum w exp(eta) x (adding rows as their stop time is reached
 * and, for counting-process data, removing rows whose start is at or after the event time).
 * At each event time with d tied deaths, Efron's approximation puts the deaths in the risk set
 * with weights 1/d, 2/d, ..., 1 over d sub-steps; each sub-step has hazard increment
 * h_k = (sum of death weights / d) / denominator_k and mean xbar_k. A subject at risk but not
 * dying at that time accrues sum_k h_k; a dying subject accrues only its fractional share
 * sum_k f_k h_k (R's coxmart/agmart, coxscore2/agscore2, coxscho). Breslow is d = 1.
 * Per-subject totals come from prefix sums over the stratum's event times.
 *   martingale_i = delta_i - exp(eta_i) * Lambda_i
 *   score_ij     = delta_i (x_ij - mean_k xbar_kj) - exp(eta_i) * sum_t (x_ij - xbar_j(t)) dLambda(t)
 *   dfbeta       = score %*% V, times the case weight (R's default weighted = TRUE)
 *   deviance     = sign(m) sqrt(-2 (m + delta log(delta - m)))
 *   schoenfeld   = x_i - mean_k xbar_k at each death (unweighted, R's default)
 * Covariates are centred first: residuals do not change, but the sums lose less precision.
 * Reference: Therneau & Grambsch (2000), Modeling Survival Data, chapter 4.
 */
import { SpecificationError } from './errors.js';
import type { DesignMatrix, SurvivalData } from './types.js';
import { timefix } from './timefix.js';

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
  const strata = options.strata ?? null;
  const weights = options.weights ?? null;
  const start = y.start;
  const stop = y.stop;
  const status = y.event;
  const stratOf = (i: number): number => (strata ? strata[i] : 0);
  const wt = (i: number): number => (weights ? weights[i] : 1);

  const cx: Float64Array[] = x.columns.map((col) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += col[i];
    m /= n;
    return Float64Array.from(col, (v) => v - m);
  });
  const expEta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += beta[j] * cx[j][i];
    expEta[i] = Math.exp(eta);
  }

  const byStop = Array.from({ length: n }, (_, i) => i).sort((a, b) => stratOf(a) - stratOf(b) || stop[b] - stop[a] || a - b);
  const byStart = start ? Array.from({ length: n }, (_, i) => i).sort((a, b) => stratOf(a) - stratOf(b) || start[b] - start[a] || a - b) : null;

  // Per event time (collected in descending order within each stratum, reversed later).
  const evStrat: number[] = [];
  const evTime: number[] = [];
  const hAll: number[] = [];
  const hDead: number[] = [];
  const hxAll: number[][] = Array.from({ length: p }, () => []);
  const hxDead: number[][] = Array.from({ length: p }, () => []);
  const xbarMean: number[][] = Array.from({ length: p }, () => []);

  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  let ip = 0;
  let ir = 0;
  while (ip < n) {
    const s = stratOf(byStop[ip]);
    let denom = 0;
    let nrisk = 0;
    a.fill(0);
    let stratEnd = ip;
    while (stratEnd < n && stratOf(byStop[stratEnd]) === s) stratEnd++;
    if (byStart) while (ir < n && stratOf(byStart[ir]) !== s) ir++;
    while (ip < stratEnd) {
      const dtime = stop[byStop[ip]];
      let denom2 = 0;
      let deadwt = 0;
      let ndead = 0;
      a2.fill(0);
      for (; ip < stratEnd && stop[byStop[ip]] === dtime; ip++) {
        const i = byStop[ip];
        const r = expEta[i] * wt(i);
        nrisk++;
        if (status[i]) {
          ndead++;
          denom2 += r;
          deadwt += wt(i);
          for (let j = 0; j < p; j++) a2[j] += r * cx[j][i];
        } else {
          denom += r;
          for (let j = 0; j < p; j++) a[j] += r * cx[j][i];
        }
      }
      if (byStart && start) {
        for (; ir < n && stratOf(byStart[ir]) === s && start[byStart[ir]] >= dtime; ir++) {
          const i = byStart[ir];
          nrisk--;
          if (nrisk === 0) { denom = 0; a.fill(0); continue; }
          const r = expEta[i] * wt(i);
          denom -= r;
          for (let j = 0; j < p; j++) a[j] -= r * cx[j][i];
        }
      }
      if (ndead === 0) continue;
      const steps = efron ? ndead : 1;
      let sumH = 0;
      let sumHd = 0;
      const sx = new Float64Array(p);
      const sxd = new Float64Array(p);
      const sm = new Float64Array(p);
      for (let k = 0; k < steps; k++) {
        const f = (k + 1) / steps;
        const dk = denom + denom2 * f;
        const h = deadwt / steps / dk;
        sumH += h;
        sumHd += f * h;
        for (let j = 0; j < p; j++) {
          const xb = (a[j] + a2[j] * f) / dk;
          sx[j] += h * xb;
          sxd[j] += f * h * xb;
          sm[j] += xb / steps;
        }
      }
      evStrat.push(s);
      evTime.push(dtime);
      hAll.push(sumH);
      hDead.push(sumHd);
      for (let j = 0; j < p; j++) { hxAll[j].push(sx[j]); hxDead[j].push(sxd[j]); xbarMean[j].push(sm[j]); }
      denom += denom2;
      for (let j = 0; j < p; j++) a[j] += a2[j];
    }
  }

  // Event times ascending within each stratum, with prefix sums, so that the sum over event
  // times in (start, stop] is a difference of two prefix values found by binary search.
  const ne = evTime.length;
  const idx = Array.from({ length: ne }, (_, k) => k).sort((u, v) => evStrat[u] - evStrat[v] || evTime[u] - evTime[v]);
  const T = Float64Array.from(idx, (k) => evTime[k]);
  const S = Int32Array.from(idx, (k) => evStrat[k]);
  const cumH = new Float64Array(ne + 1);
  const cumHX = Array.from({ length: p }, () => new Float64Array(ne + 1));
  for (let m = 0; m < ne; m++) {
    cumH[m + 1] = cumH[m] + hAll[idx[m]];
    for (let j = 0; j < p; j++) cumHX[j][m + 1] = cumHX[j][m] + hxAll[j][idx[m]];
  }
  // Number of event entries with (stratum, time) <= (s, t).
  const upper = (s: number, t: number): number => {
    let lo = 0;
    let hi = ne;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (S[mid] < s || (S[mid] === s && T[mid] <= t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const stratumStart = (s: number): number => upper(s - 1, Infinity);

  if (type === 'schoenfeld') {
    const rowsArr = Array.from({ length: n }, (_, i) => i).filter((i) => status[i] === 1).sort((u, v) => stratOf(u) - stratOf(v) || stop[u] - stop[v] || u - v);
    const cols = Array.from({ length: p }, () => new Float64Array(rowsArr.length));
    rowsArr.forEach((i, r) => {
      const m = idx[upper(stratOf(i), stop[i]) - 1];
      for (let j = 0; j < p; j++) cols[j][r] = cx[j][i] - xbarMean[j][m];
    });
    return { type, columns: cols, time: Float64Array.from(rowsArr, (i) => stop[i]), rows: Int32Array.from(rowsArr) };
  }

  const mart = new Float64Array(n);
  const score = type === 'score' || type === 'dfbeta' ? Array.from({ length: p }, () => new Float64Array(n)) : [];
  const hx = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const s = stratOf(i);
    const hiPos = upper(s, stop[i]);
    const loPos = start ? upper(s, start[i]) : stratumStart(s);
    let H = cumH[hiPos] - cumH[loPos];
    for (let j = 0; j < p; j++) hx[j] = cumHX[j][hiPos] - cumHX[j][loPos];
    let dterm: Float64Array | null = null;
    if (status[i]) {
      // The death's own event time: its fractional (Efron) share replaces the full increment.
      const m = idx[hiPos - 1];
      H += hDead[m] - hAll[m];
      for (let j = 0; j < p; j++) hx[j] += hxDead[j][m] - hxAll[j][m];
      dterm = new Float64Array(p);
      for (let j = 0; j < p; j++) dterm[j] = cx[j][i] - xbarMean[j][m];
    }
    mart[i] = status[i] - expEta[i] * H;
    for (let j = 0; j < score.length; j++) {
      score[j][i] = (dterm ? dterm[j] : 0) - expEta[i] * (cx[j][i] * H - hx[j]);
    }
  }
  if (type === 'martingale') return { type, columns: [mart], time: null, rows: null };
  if (type === 'deviance') {
    const dev = Float64Array.from(mart, (m, i) => {
      const d = status[i];
      const v = -2 * (m + (d === 0 ? 0 : d * Math.log(d - m)));
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
