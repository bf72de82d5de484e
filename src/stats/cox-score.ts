/**
 * Score residuals of a Cox model (R's residuals(fit, type = "score")), in O(n p), on the
 * fit's sorted internal data: the building block of the robust (sandwich) variance; the same
 * pass also gives the martingale residuals and, through its per-event-time means, the
 * Schoenfeld residuals (cox-residuals.ts builds R's residuals.coxph on it).
 *
 * Inputs: `CoxData` (sorted, centred, scaled covariates), beta on that scale, ties method.
 * Outputs: n*p row-major Float64Array in INPUT row order (rows not used by the fit get 0),
 *   and the martingale residuals (rowResidualsFromData),
 *   on the covariates' data scale, unweighted (multiply by the case weight for R's
 *   weighted = TRUE). dfbeta = residuals %*% variance; the robust variance is built from those.
 * Method: the residual of row i is sum over event times t in (start_i, stop_i] of
 *   dN_i(t) (x_i - xbar(t)) - w-free r_i dLambda(t) (x_i - xbar(t)). For each event time we
 *   compute the hazard increment and risk-set mean (Efron: averaged over the d partial risk
 *   sets, the k-th one missing k/d of the tied deaths' weight; deaths get the (1 - k/d)
 *   weighted share, R's coxscore2.c / agscore2.c), keep cumulative sums over event times
 *   within the stratum, and read each row's contribution as the difference of the cumulative
 *   sums at its stop and start times, so no row is visited once per event time.
 * Reference: Therneau, Grambsch & Fleming (1990) Biometrika 77:147; survival coxscore2.c,
 *   agscore2.c.
 */
import type { CoxData } from './cox-data.js';
import { linearPredictor } from './cox-riskset.js';
import { upperBound } from '../core/binary-search.js';

export interface EventTimeSums {
  /** Event time, its stratum, and the rows (sorted positions) that die at it. */
  time: Float64Array;
  stratum: Int32Array;
  /** Cumulative over event times within the stratum (index k = first k event times): sum of hazard increments. */
  cumH: Float64Array;
  /** Cumulative sum of hazard * mean, (m+1)*p. */
  cumG: Float64Array;
  /** For deaths at event time k: sum_k' hazard (1 - k'/d), sum hazard (1-k'/d) mean, and the average mean. */
  deathH: Float64Array;
  deathG: Float64Array;
  deathMean: Float64Array;
  /** Index range of event times per stratum in the arrays above: [stratumFirst[s], stratumFirst[s+1]). */
  stratumFirst: Int32Array;
  /** Linear predictor at the sorted positions, and the shift taken off it before exp(). */
  eta: Float64Array;
  shift: number;
}

/** Per event time risk-set summaries at `beta` (scaled covariates). Exported for residuals and diagnostics. */
export function eventTimeSums(d: CoxData, beta: Float64Array, efron: boolean): EventTimeSums {
  const { p, x, stop, event, weight, stratumStart, start, startOrder, nused } = d;
  const nstrata = stratumStart.length - 1;
  const eta = linearPredictor(d, beta);
  let maxEta = -Infinity;
  for (let k = 0; k < nused; k++) if (eta[k]! > maxEta) maxEta = eta[k]!;
  // one shift for everyone: residuals only use ratios of risk scores
  const shift = maxEta > 500 ? maxEta - 500 : 0;
  // event times are visited in descending order; collect then reverse to ascending per stratum
  const tRev: number[] = [];
  const sRev: number[] = [];
  const hRev: number[] = [];
  const gRev: number[] = [];
  const dhRev: number[] = [];
  const dgRev: number[] = [];
  const dmRev: number[] = [];
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const firstRev = new Int32Array(nstrata + 1);
  for (let s = 0; s < nstrata; s++) {
    firstRev[s] = tRev.length;
    const lo = stratumStart[s]!;
    const hi = stratumStart[s + 1]!;
    let denom = 0;
    let nrisk = 0;
    a.fill(0);
    let person = lo;
    let startPtr = lo;
    while (person < hi) {
      const dtime = stop[person]!;
      let deaths = 0;
      let edenom = 0;
      let meanwt = 0;
      a2.fill(0);
      for (; person < hi && stop[person] === dtime; person++) {
        const risk = Math.exp(eta[person]! - shift) * weight[person]!;
        nrisk++;
        denom += risk;
        for (let j = 0; j < p; j++) a[j]! += risk * x[person * p + j]!;
        if (event[person] === 1) {
          deaths++;
          edenom += risk;
          meanwt += weight[person]!;
          for (let j = 0; j < p; j++) a2[j]! += risk * x[person * p + j]!;
        }
      }
      if (deaths === 0) continue;
      if (startOrder && start) {
        for (; startPtr < hi; startPtr++) {
          const q = startOrder[startPtr]!;
          if (start[q]! < dtime) break;
          nrisk--;
          if (nrisk === 0) {
            denom = 0;
            a.fill(0);
          } else {
            const risk = Math.exp(eta[q]! - shift) * weight[q]!;
            denom -= risk;
            for (let j = 0; j < p; j++) a[j]! -= risk * x[q * p + j]!;
          }
        }
      }
      let h = 0;
      let dh = 0;
      const g = new Float64Array(p);
      const dg = new Float64Array(p);
      const dm = new Float64Array(p);
      if (!efron || deaths === 1) {
        h = meanwt / denom;
        dh = h;
        for (let j = 0; j < p; j++) {
          const mean = a[j]! / denom;
          g[j] = h * mean;
          dg[j] = h * mean;
          dm[j] = mean;
        }
      } else {
        const wtave = meanwt / deaths;
        for (let k = 0; k < deaths; k++) {
          const down = k / deaths;
          const dk = denom - down * edenom;
          const hk = wtave / dk;
          h += hk;
          dh += (1 - down) * hk;
          for (let j = 0; j < p; j++) {
            const mean = (a[j]! - down * a2[j]!) / dk;
            g[j]! += mean * hk;
            dg[j]! += mean * (1 - down) * hk;
            dm[j]! += mean / deaths;
          }
        }
      }
      tRev.push(dtime);
      sRev.push(s);
      hRev.push(h);
      dhRev.push(dh);
      for (let j = 0; j < p; j++) {
        gRev.push(g[j]!);
        dgRev.push(dg[j]!);
        dmRev.push(dm[j]!);
      }
    }
  }
  firstRev[nstrata] = tRev.length;
  const m = tRev.length;
  const time = new Float64Array(m);
  const stratum = new Int32Array(m);
  const cumH = new Float64Array(m + nstrata);
  const cumG = new Float64Array((m + nstrata) * p);
  const deathH = new Float64Array(m);
  const deathG = new Float64Array(m * p);
  const deathMean = new Float64Array(m * p);
  const stratumFirst = new Int32Array(nstrata + 1);
  // per stratum: ascending order; cumulative arrays have one leading zero per stratum
  let out = 0;
  for (let s = 0; s < nstrata; s++) {
    stratumFirst[s] = out;
    const lo = firstRev[s]!;
    const hi = firstRev[s + 1]!;
    const cbase = out + s; // index of the leading zero for this stratum in cum arrays
    for (let r = hi - 1, k = 0; r >= lo; r--, k++) {
      const idx = out + k;
      time[idx] = tRev[r]!;
      stratum[idx] = s;
      deathH[idx] = dhRev[r]!;
      cumH[cbase + k + 1] = cumH[cbase + k]! + hRev[r]!;
      for (let j = 0; j < p; j++) {
        deathG[idx * p + j] = dgRev[r * p + j]!;
        deathMean[idx * p + j] = dmRev[r * p + j]!;
        cumG[(cbase + k + 1) * p + j] = cumG[(cbase + k) * p + j]! + gRev[r * p + j]!;
      }
    }
    out += hi - lo;
  }
  stratumFirst[nstrata] = out;
  return { time, stratum, cumH, cumG, deathH, deathG, deathMean, stratumFirst, eta, shift };
}

/** Number of event times in [first, last) whose time is <= t. */
function countAtOrBefore(time: Float64Array, first: number, last: number, t: number): number {
  return upperBound(time, t, first, last) - first;
}

/** Martingale residuals (input row order, n) and, if asked, score residuals (input order, n*p, data scale). */
export interface CoxRowResiduals {
  martingale: Float64Array;
  score: Float64Array | null;
  sums: EventTimeSums;
}

/**
 * R's residuals(fit, type = "martingale") and (withScore) type = "score", weighted = FALSE, at
 * `beta` (scaled), from one eventTimeSums. Rows the fit does not use get 0.
 */
export function rowResidualsFromData(d: CoxData, beta: Float64Array, efron: boolean, withScore: boolean): CoxRowResiduals {
  const { p, x, stop, event, start, stratumStart, order } = d;
  const sums = eventTimeSums(d, beta, efron);
  const { time, cumH, cumG, deathH, deathG, deathMean, stratumFirst, eta, shift } = sums;
  const nstrata = stratumStart.length - 1;
  const martingale = new Float64Array(d.n);
  const res = withScore ? new Float64Array(d.n * p) : null;
  for (let s = 0; s < nstrata; s++) {
    const first = stratumFirst[s]!;
    const last = stratumFirst[s + 1]!;
    const cbase = first + s;
    for (let k = stratumStart[s]!; k < stratumStart[s + 1]!; k++) {
      const score = Math.exp(eta[k]! - shift);
      const hiCount = countAtOrBefore(time, first, last, stop[k]!);
      const loCount = start ? countAtOrBefore(time, first, last, start[k]!) : 0;
      let H = cumH[cbase + hiCount]! - cumH[cbase + loCount]!;
      const dies = event[k] === 1;
      const di = first + hiCount - 1; // this row's own event time when it dies
      // a death's own event time counts only with its (Efron) share, deathH
      if (dies) H -= cumH[cbase + hiCount]! - cumH[cbase + hiCount - 1]!;
      martingale[order[k]!] = event[k]! - score * (dies ? H + deathH[di]! : H);
      if (res === null) continue;
      const row = order[k]! * p;
      for (let j = 0; j < p; j++) {
        const xj = x[k * p + j]!;
        let G = cumG[(cbase + hiCount) * p + j]! - cumG[(cbase + loCount) * p + j]!;
        if (dies) G -= cumG[(cbase + hiCount) * p + j]! - cumG[(cbase + hiCount - 1) * p + j]!;
        let r = -score * (xj * H - G);
        if (dies) r += xj - deathMean[di * p + j]! - score * (xj * deathH[di]! - deathG[di * p + j]!);
        res[row + j] = r / d.scale[j]!;
      }
    }
  }
  return { martingale, score: res, sums };
}

/** R's residuals(fit, type = "score", weighted = FALSE) at `beta` (scaled), input row order, n*p. */
export function scoreResidualsFromData(d: CoxData, beta: Float64Array, efron: boolean): Float64Array {
  return rowResidualsFromData(d, beta, efron, true).score!;
}
