/**
 * Clone–censor–weight steps 2 and 3: the censoring model (the hazard of starting treatment
 * among untreated patients) and the inverse-probability-of-censoring weight of every clone row.
 *
 * Inputs:  the clone rows (ccw-clones.ts), the baseline covariates Z, the model
 *          ('pooled-logistic' or 'cox'), dt, optional patient multiplicities (a bootstrap
 *          resample; null = every patient once) and an optional warm start for the pooled
 *          logistic fit.
 * Outputs: the censoring model's names and coefficients, and the row weights: 1 (A clone in
 *          the grace period), 1 / (1 - P_{K-1}(Z)) (A clone after G) or 1 / P_k(Z) (B clone in
 *          interval k), where P_k(Z) is the probability of still being untreated at the end of
 *          interval k; 0 for the rows of patients not drawn.
 * Method:  'pooled-logistic' (pooled-logistic.ts): P_k = prod_{j <= k} 1 / (1 + exp(eta_j)),
 *          eta_j = b0 + b1 t_j + b2 t_j^2 + Z b. 'cox': coxph for the time to treatment start
 *          on Z (Breslow ties; multiplicities are case weights, which for Breslow ties equal
 *          duplicated patients), then the Breslow baseline cumulative hazard H_0 at the
 *          centred covariates (survfit.coxph's, R's basehaz(centered = TRUE)), and
 *          P_k = exp(-H_0((k + 1) dt) exp((Z - mean Z) b)).
 * Reference: Breslow (1972), discussion of Cox, JRSS B 34:216; survival 3.5.3 agsurv.c.
 */
import { coxph } from '../stats/cox.js';
import type { DesignMatrix } from '../stats/types.js';
import { upperBound } from '../core/binary-search.js';
import { pooledLogistic } from './pooled-logistic.js';
import type { CensoringModel } from './ccw-input.js';
import type { CloneRows } from './ccw-clones.js';

/** Coefficients and P_k(Z) of the censoring model (step 2), for patients with count > 0. */
export interface CensoringFit {
  summary: { model: CensoringModel; names: string[]; coefficients: Float64Array };
  /** Row weights (step 3) of patients with count > 0 (not yet multiplied by the count); 0 for the others. */
  rowWeight: Float64Array;
}

export function fitCensoringWeights(input: { covariates: DesignMatrix; time: Float64Array; exposureTime: Float64Array }, clones: CloneRows, model: CensoringModel, dt: number, count: Float64Array | null, warmStart: Float64Array | null): CensoringFit {
  const z = input.covariates;
  const n = clones.n;
  const rows = clones.rows;
  const rowWeight = new Float64Array(rows.n);
  const kMax = clones.needK.reduce((a, b) => Math.max(a, b), 0);
  const P = new Float64Array(Math.max(kMax, 1));
  // Fills rowWeight for patient i from its P_0 .. P_{needK-1}.
  const weighRows = (i: number): void => {
    for (let r = clones.firstRow[i]; r < clones.firstRow[i + 1]; r++) {
      const k = rows.kind[r];
      rowWeight[r] = k === -1 ? 1 : k === -2 ? 1 / (1 - P[clones.kGrace - 1]) : 1 / P[k];
    }
  };
  if (model === 'pooled-logistic') {
    const fit = pooledLogistic({ intervals: clones.cmIntervals, event: clones.treated, covariates: z, intervalLength: dt, count, start: warmStart });
    const beta = Float64Array.from(fit.coefficients, (b) => (Number.isFinite(b) ? b : 0));
    const expTime = new Float64Array(Math.max(kMax, 1));
    for (let k = 0; k < expTime.length; k++) { const t = k * dt; expTime[k] = Math.exp(beta[1] * t + beta[2] * t * t); }
    for (let i = 0; i < n; i++) {
      const c = count ? count[i] : 1;
      if (!(c > 0)) continue;
      let lpz = beta[0];
      for (let j = 0; j < z.p; j++) lpz += beta[3 + j] * z.columns[j][i];
      // 1 - h = 1 / (1 + exp(eta)), with exp(eta) = exp(lpz) exp(b1 t + b2 t^2) from a table.
      const eLp = Math.exp(lpz);
      let prod = 1;
      for (let k = 0; k < clones.needK[i]; k++) {
        prod /= 1 + eLp * expTime[k];
        P[k] = prod;
      }
      weighRows(i);
    }
    return { summary: { model, names: fit.names, coefficients: beta }, rowWeight };
  }
  // Cox model for time to treatment start, Breslow baseline cumulative hazard; counts are
  // case weights (for Breslow ties the same as duplicated patients).
  const { time, exposureTime } = input;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!count || count[i] > 0) keep.push(i);
  const nk = keep.length;
  const u = Float64Array.from(keep, (i) => (clones.treated[i] ? exposureTime[i] : time[i]));
  const d = Uint8Array.from(keep, (i) => clones.treated[i]);
  const w = count ? Float64Array.from(keep, (i) => count[i]) : null;
  let beta = new Float64Array(0);
  const means = new Float64Array(z.p);
  if (z.p > 0) {
    const zk: DesignMatrix = count ? { ...z, n: nk, columns: z.columns.map((col) => Float64Array.from(keep, (i) => col[i])) } : z;
    const fit = coxph(zk, { n: nk, start: null, stop: u, event: d }, { ties: 'breslow', weights: w });
    beta = Float64Array.from(fit.coefficients, (b) => (Number.isFinite(b) ? b : 0));
    let wsum = 0;
    for (let q = 0; q < nk; q++) wsum += w ? w[q] : 1;
    for (let j = 0; j < z.p; j++) { let s = 0; for (let q = 0; q < nk; q++) s += (w ? w[q] : 1) * z.columns[j][keep[q]]; means[j] = s / wsum; }
  }
  const risk = new Float64Array(nk);
  for (let q = 0; q < nk; q++) {
    let lp = 0;
    for (let j = 0; j < z.p; j++) lp += beta[j] * (z.columns[j][keep[q]] - means[j]);
    risk[q] = (w ? w[q] : 1) * Math.exp(lp);
  }
  const { eventTimes, cumulativeHazard: cumHaz } = breslowCumulativeHazard(u, d, w, risk);
  const H0 = (t: number): number => {
    const k = upperBound(eventTimes, t);
    return k === 0 ? 0 : cumHaz[k - 1];
  };
  for (let q = 0; q < nk; q++) {
    const i = keep[q];
    const rel = risk[q] / (w ? w[q] : 1);
    for (let k = 0; k < clones.needK[i]; k++) P[k] = Math.exp(-H0((k + 1) * dt) * rel);
    weighRows(i);
  }
  return { summary: { model, names: z.names.slice(), coefficients: beta }, rowWeight };
}

/**
 * Breslow's baseline cumulative hazard at the distinct event times: H_0(t) = sum over event
 * times s <= t of (weighted events at s) / (sum of w exp(lp) over the rows with time >= s).
 * Inputs: times u, events d, case weights w (null = 1) and each row's w exp(lp) (`risk`).
 */
function breslowCumulativeHazard(u: Float64Array, d: Uint8Array, w: Float64Array | null, risk: Float64Array): { eventTimes: Float64Array; cumulativeHazard: number[] } {
  const nk = u.length;
  const order = Array.from({ length: nk }, (_, q) => q).sort((a, b) => u[a] - u[b]);
  const evTimes: number[] = [];
  const cumHaz: number[] = [];
  let riskSum = 0;
  for (let q = 0; q < nk; q++) riskSum += risk[q];
  let H = 0;
  for (let k = 0; k < nk; ) {
    const t = u[order[k]];
    let dd = 0;
    let rs = 0;
    let q = k;
    for (; q < nk && u[order[q]] === t; q++) { dd += d[order[q]] * (w ? w[order[q]] : 1); rs += risk[order[q]]; }
    if (dd > 0) { H += dd / riskSum; evTimes.push(t); cumHaz.push(H); }
    riskSum -= rs;
    k = q;
  }
  return { eventTimes: Float64Array.from(evTimes), cumulativeHazard: cumHaz };
}
