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
 *     sweep over event times (see ccwReplicate and weightedSweep). These are the same
 *     estimates as steps 1–4 on the duplicated resample, not approximations.
 */
import { kaplanMeier, type KaplanMeierCurve } from '../stats/kaplan-meier.js';
import { coxph } from '../stats/cox.js';
import { timefix } from '../stats/timefix.js';
import { normalCdf, normalQuantile } from '../stats/distributions.js';
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import type { DesignMatrix } from '../stats/types.js';
import { bootstrap, percentileInterval } from './bootstrap.js';
import { pooledLogistic } from './pooled-logistic.js';
import { quantiles } from '../stats/quantile.js';
import type { Progress } from '../core/progress.js';
import { upperBound } from '../core/binary-search.js';

export type CensoringModel = 'pooled-logistic' | 'cox';

export interface CloneCensorWeightInput {
  time: Float64Array;
  event: Uint8Array;
  /** Treatment start; NaN = never treated during follow-up. */
  exposureTime: Float64Array;
  /** Grace period G for strategy A. */
  grace: number;
  /** Baseline covariates for the censoring model (no intercept; may have p = 0). */
  covariates: DesignMatrix;
  model?: CensoringModel;
  intervalLength?: number;
  /** Times at which survival and its difference are reported. */
  times: number[];
  bootstrap?: { replicates: number; seed: number; workers?: number; progress?: Progress } | null;
  /** Winsorize the final clone-row weights at these quantile probabilities (see step 3); null/absent = none. */
  truncate?: [number, number] | null;
  confLevel?: number;
  /** File name, for error messages. */
  source?: string;
}

export interface CcwArm {
  name: string;
  /** Clones that start follow-up under this strategy. */
  clones: number;
  /** Of them, clones censored at deviation from the strategy. */
  censoredAtDeviation: number;
  /** Events among clones while following the strategy (unweighted). */
  events: number;
  curve: KaplanMeierCurve;
  /** Weighted KM survival at `times`. */
  survival: Float64Array;
}

export interface CcwEstimate {
  times: number[];
  arms: [CcwArm, CcwArm];
  /** Survival A − B at `times`. */
  survivalDifference: Float64Array;
  /** Strategy A vs B, weighted Cox, robust SE clustered on patient. */
  hazardRatio: { estimate: number; logHr: number; robustSe: number; lower: number; upper: number; p: number };
  /** Summary of the weights used (after truncation, if any). */
  weights: WeightSummary;
  /** Truncation of step 3, or null when not asked for. */
  truncation: CcwTruncation | null;
  censoringModel: { model: CensoringModel; names: string[]; coefficients: Float64Array };
  clones: { n: number; start: Float64Array; stop: Float64Array; event: Uint8Array; weight: Float64Array; strategyA: Uint8Array; patient: Int32Array };
}

export interface WeightSummary { min: number; max: number; mean: number }

export interface CcwTruncation {
  percentiles: [number, number];
  /** q_lo, q_hi: the type-7 quantiles of the clone-row weights. */
  bounds: [number, number];
  /** Clone rows whose weight was changed (raised to q_lo or lowered to q_hi). */
  truncated: number;
  /** Summary of the weights before truncation. */
  before: WeightSummary;
}

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

export const STRATEGY_NAMES: [string, string] = ['treat within grace', 'never treat'];

/** Clone–censor–weight analysis with optional bootstrap CIs (see the module header). */
export async function cloneCensorWeight(input: CloneCensorWeightInput): Promise<CcwResult> {
  const confLevel = input.confLevel ?? 0.95;
  const est = estimateCloneCensorWeight(input);
  if (!input.bootstrap) return { ...est, confLevel, bootstrap: null };
  const { replicates, seed, workers, progress } = input.bootstrap;
  const data: CcwData = pickData(input);
  const res = await bootstrap(input.time.length, { moduleUrl: import.meta.url, exportName: 'ccwReplicate', data }, { replicates, seed, workers, progress });
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

/** The serialisable inputs a bootstrap worker needs (sent to each worker once). */
export interface CcwData {
  time: Float64Array;
  event: Uint8Array;
  exposureTime: Float64Array;
  grace: number;
  covariates: DesignMatrix;
  model: CensoringModel;
  intervalLength: number;
  times: number[];
  truncate?: [number, number] | null;
}

function pickData(input: CloneCensorWeightInput): CcwData {
  return {
    time: input.time, event: input.event, exposureTime: input.exposureTime, grace: input.grace, covariates: input.covariates,
    model: input.model ?? 'pooled-logistic', intervalLength: input.intervalLength ?? 1, times: input.times,
    truncate: input.truncate ?? null,
  };
}

/**
 * Clone rows and everything else that does not depend on the bootstrap multiplicities, built
 * once per data set (per worker thread). Row r belongs to `patient[r]`; its censoring weight
 * is 1 (kind -1), 1 / (1 - P_{K-1}) for an A clone after the grace period (kind -2) or
 * 1 / P_k for a B clone in interval k (kind k >= 0). Rows of a patient are contiguous.
 */
interface CcwLayout {
  n: number;
  kGrace: number;
  treated: Uint8Array;
  /** Patient starts treatment within the grace period (follows A throughout). */
  inA: Uint8Array;
  /** Follows B for some time (not treated at time 0). */
  inB: Uint8Array;
  /** Censoring-model person-intervals per patient, and whether treatment starts in the last. */
  cmIntervals: Int32Array;
  /** Intervals k = 0 .. needK - 1 whose P_k the patient's clone weights use. */
  needK: Int32Array;
  devA: number; devB: number; eventsA: number; eventsB: number; nA: number; nB: number;
  rows: { n: number; start: Float64Array; stop: Float64Array; event: Uint8Array; strategyA: Uint8Array; patient: Int32Array; kind: Int32Array };
  firstRow: Int32Array;
  /** The bootstrap sweep: rows by descending (timefixed) stop and start, distinct event times ascending. */
  sweep: { stop: Float64Array; start: Float64Array; byStop: Int32Array; byStart: Int32Array; eventTimes: Float64Array } | null;
}

function validate(input: CloneCensorWeightInput): { model: CensoringModel; dt: number; kGrace: number } {
  const { time, event, exposureTime, grace } = input;
  const n = time.length;
  const model = input.model ?? 'pooled-logistic';
  const dt = input.intervalLength ?? 1;
  const z = input.covariates;
  if (event.length !== n || exposureTime.length !== n || z.n !== n) throw new InputError(`clone-censor-weight: time (${n}), event (${event.length}), exposureTime (${exposureTime.length}) and covariates (${z.n}) must have the same length`);
  if (!(grace > 0) || !Number.isFinite(grace)) throw new SpecificationError('clone-censor-weight: grace period must be a positive number', { value: String(grace) });
  if (!(dt > 0) || !Number.isFinite(dt)) throw new SpecificationError('clone-censor-weight: intervalLength must be a positive number', { value: String(dt) });
  const kGrace = Math.round(grace / dt);
  if (Math.abs(kGrace * dt - grace) > 1e-9 * grace) throw new SpecificationError(`clone-censor-weight: the grace period (${grace}) must be a whole number of intervals of length ${dt}`, { value: String(grace) });
  const tr = input.truncate;
  if (tr !== null && tr !== undefined) {
    if (!Array.isArray(tr) || tr.length !== 2 || !(tr[0] >= 0 && tr[1] <= 1 && tr[0] < tr[1])) throw new SpecificationError(`clone-censor-weight: truncation quantiles must satisfy 0 <= lower < upper <= 1, not ${String(tr)}`, { value: String(tr) });
  }
  if (model !== 'pooled-logistic' && model !== 'cox') throw new SpecificationError(`clone-censor-weight: unknown censoring model "${String(model)}" (pooled-logistic or cox)`, { value: String(model) });
  for (let i = 0; i < n; i++) {
    if (!(time[i] > 0) || !Number.isFinite(time[i])) throw new InputError('follow-up time must be a positive finite number', { file: input.source, row: i + 1, column: 'time', value: String(time[i]) });
    if (exposureTime[i] > time[i]) throw new InputError(`exposure time is after the end of follow-up (${time[i]})`, { file: input.source, row: i + 1, column: 'exposureTime', value: String(exposureTime[i]) });
    for (let j = 0; j < z.p; j++) {
      if (!Number.isFinite(z.columns[j][i])) throw new InputError('covariate must be a finite number', { file: input.source, row: i + 1, column: z.names[j], value: String(z.columns[j][i]) });
    }
  }
  return { model, dt, kGrace };
}

/** Step 1 of the module header: the clone rows (without weights). */
function buildLayout(input: CloneCensorWeightInput, dt: number, kGrace: number): CcwLayout {
  const { time, event, exposureTime, grace } = input;
  const n = time.length;
  const interval = (t: number): number => Math.max(0, Math.ceil(t / dt - 1e-12) - 1);
  const treated = new Uint8Array(n);
  const inA = new Uint8Array(n);
  const inB = new Uint8Array(n);
  const cmIntervals = new Int32Array(n);
  const needK = new Int32Array(n);
  const firstRow = new Int32Array(n + 1);
  let nA = 0;
  let nB = 0;
  // Pass 1: counts. Treated during follow-up (tmerge: a start exactly at the end of follow-up does not count).
  let m = 0;
  for (let i = 0; i < n; i++) {
    const tr = exposureTime[i] < time[i];
    treated[i] = tr ? 1 : 0;
    inA[i] = tr && exposureTime[i] <= grace ? 1 : 0;
    inB[i] = tr && exposureTime[i] <= 0 ? 0 : 1;
    nA += inA[i]; nB += inB[i];
    const end = tr ? exposureTime[i] : time[i];
    cmIntervals[i] = interval(end) + 1;
    firstRow[i] = m;
    m += time[i] <= grace ? 1 : inA[i] ? 2 : 1;
    let need = 0;
    if (inA[i] && time[i] > grace) need = kGrace;
    if (end > 0) { m += interval(end) + 1; need = Math.max(need, interval(end) + 1); }
    needK[i] = need;
  }
  firstRow[n] = m;
  const start = new Float64Array(m);
  const stop = new Float64Array(m);
  const ev = new Uint8Array(m);
  const arm = new Uint8Array(m);
  const pid = new Int32Array(m);
  const kind = new Int32Array(m);
  let r = 0;
  const push = (s: number, e: number, d: number, k: number, a: number, i: number): void => {
    start[r] = s; stop[r] = e; ev[r] = d; kind[r] = k; arm[r] = a; pid[r] = i; r++;
  };
  let devA = 0;
  let devB = 0;
  let eventsA = 0;
  let eventsB = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const d = event[i] ? 1 : 0;
    // Strategy A.
    if (inA[i]) {
      if (t <= grace) push(0, t, d, -1, 1, i);
      else { push(0, grace, 0, -1, 1, i); push(grace, t, d, -2, 1, i); }
      eventsA += d;
    } else if (t <= grace) {
      push(0, t, d, -1, 1, i);
      eventsA += d;
    } else {
      push(0, grace, 0, -1, 1, i);
      devA++;
    }
    // Strategy B: censored at treatment start; one row per interval, weight 1 / P_k.
    const end = treated[i] ? exposureTime[i] : t;
    const dB = treated[i] ? 0 : d;
    if (end > 0) {
      if (treated[i]) devB++;
      else eventsB += d;
      const last = interval(end);
      for (let k = 0; k <= last; k++) push(k * dt, Math.min((k + 1) * dt, end), k === last ? dB : 0, k, 0, i);
    }
  }
  // A row of zero length (a patient treated or followed exactly to a boundary) is no row.
  if (r !== m) throw new EstimationError('clone-censor-weight: internal row count mismatch');
  return {
    n, kGrace, treated, inA, inB, cmIntervals, needK, devA, devB, eventsA, eventsB, nA, nB,
    rows: { n: m, start, stop, event: ev, strategyA: arm, patient: pid, kind }, firstRow, sweep: null,
  };
}

/** Coefficients and P_k(Z) of the censoring model (step 2), for patients with count > 0. */
interface CensoringFit {
  summary: { model: CensoringModel; names: string[]; coefficients: Float64Array };
  /** Row weights (step 3) of patients with count > 0 (not yet multiplied by the count); 0 for the others. */
  rowWeight: Float64Array;
}

function fitCensoring(input: CcwData | CloneCensorWeightInput, layout: CcwLayout, model: CensoringModel, dt: number, count: Float64Array | null, warmStart: Float64Array | null): CensoringFit {
  const z = input.covariates;
  const n = layout.n;
  const rows = layout.rows;
  const rowWeight = new Float64Array(rows.n);
  const kMax = layout.needK.reduce((a, b) => Math.max(a, b), 0);
  const P = new Float64Array(Math.max(kMax, 1));
  // Fills rowWeight for patient i from its P_0 .. P_{needK-1}.
  const weighRows = (i: number): void => {
    for (let r = layout.firstRow[i]; r < layout.firstRow[i + 1]; r++) {
      const k = rows.kind[r];
      rowWeight[r] = k === -1 ? 1 : k === -2 ? 1 / (1 - P[layout.kGrace - 1]) : 1 / P[k];
    }
  };
  if (model === 'pooled-logistic') {
    const fit = pooledLogistic({ intervals: layout.cmIntervals, event: layout.treated, covariates: z, intervalLength: dt, count, start: warmStart });
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
      for (let k = 0; k < layout.needK[i]; k++) {
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
  const u = Float64Array.from(keep, (i) => (layout.treated[i] ? exposureTime[i] : time[i]));
  const d = Uint8Array.from(keep, (i) => layout.treated[i]);
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
  // Breslow: increments (weighted starts) / (weighted risk sum) at distinct start times s.
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
  const eventTimes = Float64Array.from(evTimes);
  const H0 = (t: number): number => {
    const k = upperBound(eventTimes, t);
    return k === 0 ? 0 : cumHaz[k - 1];
  };
  for (let q = 0; q < nk; q++) {
    const i = keep[q];
    const rel = risk[q] / (w ? w[q] : 1);
    for (let k = 0; k < layout.needK[i]; k++) P[k] = Math.exp(-H0((k + 1) * dt) * rel);
    weighRows(i);
  }
  return { summary: { model, names: z.names.slice(), coefficients: beta }, rowWeight };
}

function checkWeights(weight: Float64Array): WeightSummary {
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

function checkArms(nA: number, nB: number, grace: number): void {
  if (nA === 0) throw new EstimationError(`clone-censor-weight: strategy "${STRATEGY_NAMES[0]}" has no patients (nobody starts treatment within the grace period ${grace})`);
  if (nB === 0) throw new EstimationError(`clone-censor-weight: strategy "${STRATEGY_NAMES[1]}" has no patients (everybody is treated at time 0)`);
}

/** The point estimate (steps 1–4 of the module header), without bootstrap. */
export function estimateCloneCensorWeight(input: CloneCensorWeightInput): CcwEstimate {
  const { model, dt, kGrace } = validate(input);
  const n = input.time.length;
  const layout = buildLayout(input, dt, kGrace);
  checkArms(layout.nA, layout.nB, input.grace);
  const cens = fitCensoring(input, layout, model, dt, null, null);
  const rows = layout.rows;
  const m = rows.n;
  const clones = { n: m, start: rows.start, stop: rows.stop, event: rows.event, weight: cens.rowWeight, strategyA: rows.strategyA, patient: rows.patient };
  let weights = checkWeights(clones.weight);
  let truncation: CcwTruncation | null = null;
  if (input.truncate) {
    const before = weights;
    const t = truncateCloneWeights(clones.weight, input.truncate, null);
    weights = checkWeights(clones.weight);
    truncation = { percentiles: [input.truncate[0], input.truncate[1]], bounds: t.bounds, truncated: t.truncated, before };
  }
  const y = { n: m, start: clones.start, stop: clones.stop, event: clones.event };
  const km = kaplanMeier(y, { codes: Int32Array.from(rows.strategyA, (a) => (a ? 0 : 1)), names: STRATEGY_NAMES.slice() }, { weights: clones.weight, times: input.times });
  const survival = km.strata.map((c) => Float64Array.from(input.times, (_, k) => c.at!.surv[k]));
  const armsOut = [0, 1].map((g) => ({
    name: STRATEGY_NAMES[g], clones: g === 0 ? n : layout.nB, censoredAtDeviation: g === 0 ? layout.devA : layout.devB, events: g === 0 ? layout.eventsA : layout.eventsB,
    curve: km.strata[g], survival: survival[g],
  })) as [CcwArm, CcwArm];
  const x: DesignMatrix = { n: m, p: 1, columns: [Float64Array.from(rows.strategyA)], names: ['strategyA'], assign: Int32Array.of(0), termLabels: ['strategyA'] };
  const fit = coxph(x, y, { weights: clones.weight, cluster: clones.patient, robust: true });
  const b = fit.coefficients[0];
  const se = fit.robustSe ? fit.robustSe[0] : fit.se[0];
  const zq = normalQuantile(1 - (1 - (input.confLevel ?? 0.95)) / 2);
  return {
    times: input.times.slice(),
    arms: armsOut,
    survivalDifference: Float64Array.from(input.times, (_, k) => survival[0][k] - survival[1][k]),
    hazardRatio: { estimate: Math.exp(b), logHr: b, robustSe: se, lower: Math.exp(b - zq * se), upper: Math.exp(b + zq * se), p: 2 * normalCdf(-Math.abs(b / se)) },
    weights,
    truncation,
    censoringModel: cens.summary,
    clones,
  };
}

// One layout (and full-data censoring-model fit, the warm start) per data object: a worker
// thread receives the data once and reuses them for all its replicates.
const prepared = new WeakMap<CcwData, { layout: CcwLayout; dt: number; model: CensoringModel; warm: Float64Array | null }>();

function prepare(data: CcwData): { layout: CcwLayout; dt: number; model: CensoringModel; warm: Float64Array | null } {
  const hit = prepared.get(data);
  if (hit) return hit;
  const { model, dt, kGrace } = validate(data);
  const layout = buildLayout(data, dt, kGrace);
  const rows = layout.rows;
  const fixed = timefix(rows.stop, rows.start);
  const stop = fixed.stop;
  const start = fixed.start ?? rows.start;
  const byStop = Int32Array.from({ length: rows.n }, (_, r) => r).sort((a, b) => stop[b] - stop[a]);
  const byStart = Int32Array.from({ length: rows.n }, (_, r) => r).sort((a, b) => start[b] - start[a]);
  const ev: number[] = [];
  for (let q = 0; q < rows.n; q++) { const r = byStop[rows.n - 1 - q]; if (rows.event[r] && (ev.length === 0 || ev[ev.length - 1] !== stop[r])) ev.push(stop[r]); }
  layout.sweep = { stop, start, byStop, byStart, eventTimes: Float64Array.from(ev) };
  let warm: Float64Array | null = null;
  if (model === 'pooled-logistic' && layout.nA > 0 && layout.nB > 0) {
    warm = pooledLogistic({ intervals: layout.cmIntervals, event: layout.treated, covariates: data.covariates, intervalLength: dt }).coefficients;
  }
  const out = { layout, dt, model, warm };
  prepared.set(data, out);
  return out;
}

/**
 * One bootstrap replicate: [S_A(times), S_B(times), A − B, log HR]. Exported for worker threads.
 * The resample enters as multiplicities (patient i drawn c_i times), never as copied rows:
 * the censoring model with frequency weights c_i, the weighted KM with weights c_i w and the
 * Efron Cox model with c_i tied copies have exactly the likelihoods and estimates of the
 * duplicated data. No robust variance is computed: only point estimates are needed here.
 */
export function ccwReplicate(data: CcwData, indices: Int32Array): number[] {
  const { layout, dt, model, warm } = prepare(data);
  const n = layout.n;
  const count = new Float64Array(n);
  for (let q = 0; q < indices.length; q++) count[indices[q]]++;
  let nA = 0;
  let nB = 0;
  for (let i = 0; i < n; i++) { nA += count[i] * layout.inA[i]; nB += count[i] * layout.inB[i]; }
  checkArms(nA, nB, data.grace);
  const cens = fitCensoring(data, layout, model, dt, count, warm);
  checkWeights(cens.rowWeight);
  const rowCount = new Float64Array(layout.rows.n);
  for (let r = 0; r < rowCount.length; r++) rowCount[r] = count[layout.rows.patient[r]];
  if (data.truncate) truncateCloneWeights(cens.rowWeight, data.truncate, rowCount);
  // Frequency weights: a patient drawn c times enters with weight c w (0 if not drawn).
  const weight = cens.rowWeight;
  for (let r = 0; r < weight.length; r++) weight[r] *= rowCount[r];
  const est = weightedSweep(layout, weight, rowCount, data.times);
  const m = data.times.length;
  const out = new Array<number>(3 * m + 1);
  for (let k = 0; k < m; k++) { out[k] = est.survA[k]; out[m + k] = est.survB[k]; out[2 * m + k] = est.survA[k] - est.survB[k]; }
  out[3 * m] = est.logHr;
  return out;
}

/**
 * Step 4 without model frames: one pass over the clone rows in the precomputed time order
 * collects, at each distinct event time, the weighted numbers at risk and of events per arm
 * (and the number of tied events counting multiplicities, for Efron). The weighted KM of
 * each arm and the Cox partial likelihood of the single arm indicator need nothing else, so
 * the Newton iterations run over event times, not rows. Risk set at t: start < t <= stop.
 */
function weightedSweep(layout: CcwLayout, weight: Float64Array, rowCount: Float64Array, times: number[]): { survA: Float64Array; survB: Float64Array; logHr: number } {
  const sw = layout.sweep!;
  const rows = layout.rows;
  const m = rows.n;
  const T = sw.eventTimes.length;
  const RA = new Float64Array(T);
  const RB = new Float64Array(T);
  const DA = new Float64Array(T);
  const DB = new Float64Array(T);
  const ND = new Float64Array(T);
  let ra = 0;
  let rb = 0;
  let ia = 0;
  let ib = 0;
  for (let e = T - 1; e >= 0; e--) {
    const t = sw.eventTimes[e];
    let da = 0;
    let db = 0;
    let nd = 0;
    for (; ia < m && sw.stop[sw.byStop[ia]] >= t; ia++) {
      const r = sw.byStop[ia];
      const w = weight[r];
      if (w === 0) continue;
      if (rows.strategyA[r]) ra += w; else rb += w;
      if (rows.event[r] && sw.stop[r] === t) { if (rows.strategyA[r]) da += w; else db += w; nd += rowCount[r]; }
    }
    for (; ib < m && sw.start[sw.byStart[ib]] >= t; ib++) {
      const r = sw.byStart[ib];
      const w = weight[r];
      if (rows.strategyA[r]) ra -= w; else rb -= w;
    }
    RA[e] = ra; RB[e] = rb; DA[e] = da; DB[e] = db; ND[e] = nd;
  }
  // Weighted KM per arm at the report times (survfit: the estimate at the last event time <= t).
  const survA = new Float64Array(times.length);
  const survB = new Float64Array(times.length);
  let sa = 1;
  let sb = 1;
  let e = 0;
  const order = times.map((_, k) => k).sort((a, b) => times[a] - times[b]);
  for (const k of order) {
    for (; e < T && sw.eventTimes[e] <= times[k]; e++) {
      if (DA[e] > 0) sa *= 1 - DA[e] / RA[e];
      if (DB[e] > 0) sb *= 1 - DB[e] / RB[e];
    }
    survA[k] = sa; survB[k] = sb;
  }
  // Cox model on the arm indicator, Efron ties with weights as coxph (agfit4): nd tied events
  // share their mean weight, and the k-th of them sees the risk set minus k/nd of the tied set.
  const partial = (beta: number): { ll: number; u: number; info: number } => {
    const eb = Math.exp(beta);
    let ll = 0;
    let u = 0;
    let info = 0;
    for (let q = 0; q < T; q++) {
      const nd = ND[q];
      if (!(nd > 0)) continue;
      const meanW = (DA[q] + DB[q]) / nd;
      ll += DA[q] * beta;
      u += DA[q];
      const s0 = RB[q] + eb * RA[q];
      const d0 = DB[q] + eb * DA[q];
      for (let j = 0; j < nd; j++) {
        const f = j / nd;
        const denom = s0 - f * d0;
        const a = (eb * (RA[q] - f * DA[q])) / denom;
        ll -= meanW * Math.log(denom);
        u -= meanW * a;
        info += meanW * (a - a * a);
      }
    }
    return { ll, u, info };
  };
  let beta = 0;
  let cur = partial(beta);
  for (let iter = 0; iter < 30; iter++) {
    if (!(cur.info > 0)) break;
    let step = cur.u / cur.info;
    let next = partial(beta + step);
    // Step halving, as coxph, if the partial likelihood went down.
    for (let h = 0; h < 20 && !(next.ll >= cur.ll - 1e-12 * Math.abs(cur.ll)); h++) { step /= 2; next = partial(beta + step); }
    beta += step;
    cur = next;
    if (Math.abs(step) < 1e-13 * (1 + Math.abs(beta))) break;
  }
  return { survA, survB, logHr: beta };
}
