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
 *  4. Weighted counting-process Kaplan–Meier per strategy and a weighted Cox model on the
 *     strategy indicator with the robust (sandwich) variance clustered on the patient.
 *  5. Bootstrap: resample patients (both clones together), redo steps 1–4, percentile CIs.
 *     Replicate r depends only on (seed, r), so results do not depend on the worker count.
 */
import { kaplanMeier, type KaplanMeierCurve } from '../stats/kaplan-meier.js';
import { coxph } from '../stats/cox.js';
import { logisticRegression } from '../stats/logistic.js';
import { normalCdf, normalQuantile } from '../stats/distributions.js';
import { EstimationError, InputError, SpecificationError } from '../stats/errors.js';
import type { DesignMatrix } from '../stats/types.js';
import { bootstrap, percentileInterval } from './bootstrap.js';

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
  bootstrap?: { replicates: number; seed: number; workers?: number; progress?: boolean } | null;
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
  weights: { min: number; max: number; mean: number };
  censoringModel: { model: CensoringModel; names: string[]; coefficients: Float64Array };
  clones: { n: number; start: Float64Array; stop: Float64Array; event: Uint8Array; weight: Float64Array; strategyA: Uint8Array; patient: Int32Array };
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

/** The serialisable inputs a bootstrap worker needs. */
export interface CcwData {
  time: Float64Array;
  event: Uint8Array;
  exposureTime: Float64Array;
  grace: number;
  covariates: DesignMatrix;
  model: CensoringModel;
  intervalLength: number;
  times: number[];
}

function pickData(input: CloneCensorWeightInput): CcwData {
  return {
    time: input.time, event: input.event, exposureTime: input.exposureTime, grace: input.grace, covariates: input.covariates,
    model: input.model ?? 'pooled-logistic', intervalLength: input.intervalLength ?? 1, times: input.times,
  };
}

/** One bootstrap replicate: [S_A(times), S_B(times), A − B, log HR]. Exported for worker threads. */
export function ccwReplicate(data: CcwData, indices: Int32Array): number[] {
  const n = indices.length;
  const cols = data.covariates.columns.map((c) => Float64Array.from(indices, (i) => c[i]));
  const est = estimateCloneCensorWeight({
    time: Float64Array.from(indices, (i) => data.time[i]),
    event: Uint8Array.from(indices, (i) => data.event[i]),
    exposureTime: Float64Array.from(indices, (i) => data.exposureTime[i]),
    grace: data.grace,
    covariates: { ...data.covariates, n, columns: cols },
    model: data.model,
    intervalLength: data.intervalLength,
    times: data.times,
  });
  return [...est.arms[0].survival, ...est.arms[1].survival, ...est.survivalDifference, est.hazardRatio.logHr];
}

/** The point estimate (steps 1–4 of the module header), without bootstrap. */
export function estimateCloneCensorWeight(input: CloneCensorWeightInput): CcwEstimate {
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
  if (model !== 'pooled-logistic' && model !== 'cox') throw new SpecificationError(`clone-censor-weight: unknown censoring model "${String(model)}" (pooled-logistic or cox)`, { value: String(model) });
  for (let i = 0; i < n; i++) {
    if (!(time[i] > 0) || !Number.isFinite(time[i])) throw new InputError('follow-up time must be a positive finite number', { file: input.source, row: i + 1, column: 'time', value: String(time[i]) });
    if (exposureTime[i] > time[i]) throw new InputError(`exposure time is after the end of follow-up (${time[i]})`, { file: input.source, row: i + 1, column: 'exposureTime', value: String(exposureTime[i]) });
    for (let j = 0; j < z.p; j++) {
      if (!Number.isFinite(z.columns[j][i])) throw new InputError('covariate must be a finite number', { file: input.source, row: i + 1, column: z.names[j], value: String(z.columns[j][i]) });
    }
  }
  // Treated during follow-up (tmerge: a start exactly at the end of follow-up does not count).
  const treated = (i: number): boolean => exposureTime[i] < time[i];
  let nA = 0;
  let nB = 0;
  for (let i = 0; i < n; i++) {
    if (treated(i) && exposureTime[i] <= grace) nA++;
    if (!(treated(i) && exposureTime[i] <= 0)) nB++;
  }
  if (nA === 0) throw new EstimationError(`clone-censor-weight: strategy "${STRATEGY_NAMES[0]}" has no patients (nobody starts treatment within the grace period ${grace})`);
  if (nB === 0) throw new EstimationError(`clone-censor-weight: strategy "${STRATEGY_NAMES[1]}" has no patients (everybody is treated at time 0)`);

  const interval = (t: number): number => Math.max(0, Math.ceil(t / dt - 1e-12) - 1);
  const untreatedProb = censoringModelFit(input, model, dt, treated, interval);

  // Clone rows.
  const start: number[] = [];
  const stop: number[] = [];
  const ev: number[] = [];
  const wt: number[] = [];
  const arm: number[] = [];
  const pid: number[] = [];
  const push = (s: number, e: number, d: number, w: number, a: number, i: number): void => {
    if (!(e > s)) return;
    start.push(s); stop.push(e); ev.push(d); wt.push(w); arm.push(a); pid.push(i);
  };
  let devA = 0;
  let devB = 0;
  let eventsA = 0;
  let eventsB = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const d = event[i] ? 1 : 0;
    const probs = untreatedProb.forPatient(i);
    // Strategy A.
    if (treated(i) && exposureTime[i] <= grace) {
      const wAfter = 1 / (1 - probs(kGrace - 1));
      if (t <= grace) push(0, t, d, 1, 1, i);
      else { push(0, grace, 0, 1, 1, i); push(grace, t, d, wAfter, 1, i); }
      eventsA += d;
    } else if (t <= grace) {
      push(0, t, d, 1, 1, i);
      eventsA += d;
    } else {
      push(0, grace, 0, 1, 1, i);
      devA++;
    }
    // Strategy B: censored at treatment start; weight 1 / P_k within interval k.
    const end = treated(i) ? exposureTime[i] : t;
    const dB = treated(i) ? 0 : d;
    if (end > 0) {
      if (treated(i)) devB++;
      else eventsB += d;
      const last = interval(end);
      for (let k = 0; k <= last; k++) {
        const s = k * dt;
        const e = Math.min((k + 1) * dt, end);
        push(s, e, k === last ? dB : 0, 1 / probs(k), 0, i);
      }
    }
  }
  const m = start.length;
  const clones = {
    n: m, start: Float64Array.from(start), stop: Float64Array.from(stop), event: Uint8Array.from(ev), weight: Float64Array.from(wt),
    strategyA: Uint8Array.from(arm), patient: Int32Array.from(pid),
  };
  let wmin = Infinity;
  let wmax = -Infinity;
  let wsum = 0;
  for (let k = 0; k < m; k++) {
    const w = clones.weight[k];
    if (!(w > 0) || !Number.isFinite(w)) throw new EstimationError('clone-censor-weight: a censoring weight is not finite and positive (the censoring model predicts certain treatment); use a coarser model or fewer covariates');
    wmin = Math.min(wmin, w); wmax = Math.max(wmax, w); wsum += w;
  }
  const y = { n: m, start: clones.start, stop: clones.stop, event: clones.event };
  const km = kaplanMeier(y, { codes: Int32Array.from(arm, (a) => (a ? 0 : 1)), names: STRATEGY_NAMES.slice() }, { weights: clones.weight, times: input.times });
  const survival = km.strata.map((c) => Float64Array.from(input.times, (_, k) => c.at!.surv[k]));
  const armsOut = [0, 1].map((g) => ({
    name: STRATEGY_NAMES[g], clones: g === 0 ? n : nB, censoredAtDeviation: g === 0 ? devA : devB, events: g === 0 ? eventsA : eventsB,
    curve: km.strata[g], survival: survival[g],
  })) as [CcwArm, CcwArm];
  const x: DesignMatrix = { n: m, p: 1, columns: [Float64Array.from(arm)], names: ['strategyA'], assign: Int32Array.of(0), termLabels: ['strategyA'] };
  const fit = coxph(x, y, { weights: clones.weight, cluster: clones.patient, robust: true });
  const b = fit.coefficients[0];
  const se = fit.robustSe ? fit.robustSe[0] : fit.se[0];
  const zq = normalQuantile(1 - (1 - (input.confLevel ?? 0.95)) / 2);
  return {
    times: input.times.slice(),
    arms: armsOut,
    survivalDifference: Float64Array.from(input.times, (_, k) => survival[0][k] - survival[1][k]),
    hazardRatio: { estimate: Math.exp(b), logHr: b, robustSe: se, lower: Math.exp(b - zq * se), upper: Math.exp(b + zq * se), p: 2 * normalCdf(-Math.abs(b / se)) },
    weights: { min: wmin, max: wmax, mean: wsum / m },
    censoringModel: untreatedProb.summary,
    clones,
  };
}

interface UntreatedProbability {
  /** For patient i, k -> P(still untreated at the end of interval k | Z_i). */
  forPatient(i: number): (k: number) => number;
  summary: { model: CensoringModel; names: string[]; coefficients: Float64Array };
}

function censoringModelFit(input: CloneCensorWeightInput, model: CensoringModel, dt: number, treated: (i: number) => boolean, interval: (t: number) => number): UntreatedProbability {
  const { time, exposureTime } = input;
  const z = input.covariates;
  const n = time.length;
  if (model === 'pooled-logistic') {
    // Person-intervals of untreated follow-up: k = 0 .. interval(min(time, E)).
    let rows = 0;
    for (let i = 0; i < n; i++) rows += interval(treated(i) ? exposureTime[i] : time[i]) + 1;
    const p = 3 + z.p;
    const cols = Array.from({ length: p }, () => new Float64Array(rows));
    const yv = new Float64Array(rows);
    let r = 0;
    for (let i = 0; i < n; i++) {
      const last = interval(treated(i) ? exposureTime[i] : time[i]);
      for (let k = 0; k <= last; k++, r++) {
        const t = k * dt;
        cols[0][r] = 1; cols[1][r] = t; cols[2][r] = t * t;
        for (let j = 0; j < z.p; j++) cols[3 + j][r] = z.columns[j][i];
        yv[r] = k === last && treated(i) ? 1 : 0;
      }
    }
    const names = ['(Intercept)', 'interval_start', 'interval_start^2', ...z.names];
    const fit = logisticRegression({ n: rows, p, columns: cols, names, assign: Int32Array.from({ length: p }, (_, j) => j), termLabels: names }, yv);
    const beta = Float64Array.from(fit.coefficients, (b) => (Number.isFinite(b) ? b : 0));
    return {
      summary: { model, names, coefficients: beta },
      forPatient(i: number) {
        let lpz = beta[0];
        for (let j = 0; j < z.p; j++) lpz += beta[3 + j] * z.columns[j][i];
        const cache: number[] = [];
        return (k: number) => {
          for (let q = cache.length; q <= k; q++) {
            const t = q * dt;
            const h = 1 / (1 + Math.exp(-(lpz + beta[1] * t + beta[2] * t * t)));
            cache.push((q === 0 ? 1 : cache[q - 1]) * (1 - h));
          }
          return cache[k];
        };
      },
    };
  }
  // Cox model for time to treatment start, Breslow baseline cumulative hazard.
  const u = Float64Array.from(time, (t, i) => (treated(i) ? exposureTime[i] : t));
  const d = Uint8Array.from(time, (_, i) => (treated(i) ? 1 : 0));
  let beta = new Float64Array(0);
  const means = new Float64Array(z.p);
  if (z.p > 0) {
    const fit = coxph(z, { n, start: null, stop: u, event: d }, { ties: 'breslow' });
    beta = Float64Array.from(fit.coefficients, (b) => (Number.isFinite(b) ? b : 0));
    for (let j = 0; j < z.p; j++) { let s = 0; for (let i = 0; i < n; i++) s += z.columns[j][i]; means[j] = s / n; }
  }
  const risk = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lp = 0;
    for (let j = 0; j < z.p; j++) lp += beta[j] * (z.columns[j][i] - means[j]);
    risk[i] = Math.exp(lp);
  }
  // Breslow: increments d_s / sum_{u_j >= s} risk_j at distinct start times s.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => u[a] - u[b]);
  const evTimes: number[] = [];
  const cumHaz: number[] = [];
  let riskSum = 0;
  for (let i = 0; i < n; i++) riskSum += risk[i];
  let H = 0;
  for (let k = 0; k < n; ) {
    const t = u[order[k]];
    let dd = 0;
    let rs = 0;
    let q = k;
    for (; q < n && u[order[q]] === t; q++) { dd += d[order[q]]; rs += risk[order[q]]; }
    if (dd > 0) { H += dd / riskSum; evTimes.push(t); cumHaz.push(H); }
    riskSum -= rs;
    k = q;
  }
  const H0 = (t: number): number => {
    let lo = 0;
    let hi = evTimes.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (evTimes[mid] <= t) lo = mid + 1; else hi = mid; }
    return lo === 0 ? 0 : cumHaz[lo - 1];
  };
  return {
    summary: { model, names: z.names.slice(), coefficients: beta },
    forPatient(i: number) {
      return (k: number) => Math.exp(-H0((k + 1) * dt) * risk[i]);
    },
  };
}
