/**
 * Aalen–Johansen cumulative incidence for k competing causes, by group, with the
 * infinitesimal-jackknife standard errors of R's survfit(Surv(time, factor(status)) ~ group).
 *
 * Inputs:  a CompetingRisksOutcome (exit time, cause 1..k or 0 = censored), an optional
 *          Grouping (one curve per group), the confidence-interval transform and level, and
 *          optional times for summary(fit, times =) rows.
 * Outputs: one curve per group: every distinct exit time (event or censoring) with the number
 *          at risk, events per cause and censored; the state probabilities (R's pstate: the
 *          event-free state "(s0)" then each cause), their IJ standard errors (std.err) and
 *          pointwise limits (lower, upper).
 * Method:  with n(t) at risk, d_c(t) events of cause c and h_c = d_c / n, the event-free
 *          probability S(t) = S(t-) (1 - sum_c h_c) and the incidence P_c(t) = P_c(t-) + S(t-) h_c.
 *          The IJ influence of subject i is the derivative of each estimate with respect to i's
 *          case weight; the variance is the sum over subjects of its square (survfit's
 *          influence = TRUE, no clustering). Differentiating the two recursions gives
 *          U_S(t) = U_S(t-) (1 - h) - S(t-) dh and U_c(t) = U_c(t-) + U_S(t-) h_c + S(t-) dh_c,
 *          with dh_c = (dN_ic - Y_i h_c) / n. All subjects still at risk share one influence;
 *          after its exit a subject's influence is affine in the estimates
 *          (U_S = beta_i S(t), U_c = alpha_ci + beta_i P_c(t)), so sums of alpha^2, alpha beta and
 *          beta^2 give the variance in O(n k) per group instead of O(n times).
 *          Limits: R's survfit_confint with logse = FALSE (log: p exp(-/+ z se / p), upper
 *          clipped at 1, NA at p = 0; log-log; plain: p -/+ z se clipped to [0, 1]).
 * Reference: Aalen & Johansen (1978), Scand J Statist 5:141-150; R survival 3.5 survfit.formula
 *          -> survfitCI/survfitAJ, survfit_confint; Therneau, "Multi-state models and competing
 *          risks" (survival vignette).
 */
import { upperBound } from '../core/binary-search.js';
import { survivalConfidenceLimits, type ConfType } from './km-confint.js';
import { normalQuantile } from './distributions.js';
import { SpecificationError } from '../core/errors.js';
import type { CompetingRisksOutcome } from './competing-risks-frame.js';
import type { Grouping } from './types.js';

export interface AalenJohansenOptions {
  confType?: ConfType;
  confLevel?: number;
  /** Times for summary(fit, times =): the estimates at the last exit time <= t. */
  times?: number[];
}

/** One state's estimates along a curve's time grid. */
export interface StateProbabilities {
  /** "(s0)" for the event-free state, else the cause's status value. */
  state: string;
  estimate: Float64Array;
  stdErr: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

export interface AalenJohansenCurve {
  name: string;
  n: number;
  time: Float64Array;
  nRisk: Float64Array;
  /** Events per cause: nEvent[c - 1][t]. */
  nEvent: Float64Array[];
  nCensor: Float64Array;
  /** states[0] is "(s0)", states[c] is cause c. */
  states: StateProbabilities[];
  /** summary(fit, times =): per state, at the given times; NaN after the curve's last time. */
  at: { time: Float64Array; states: { state: string; estimate: Float64Array; stdErr: Float64Array; lower: Float64Array; upper: Float64Array }[] } | null;
}

export interface AalenJohansenFit {
  causes: number[];
  confType: ConfType;
  confLevel: number;
  curves: AalenJohansenCurve[];
}

/** survfit_confint(p, se, logse = FALSE, conf.type). */
function stateLimits(p: Float64Array, se: Float64Array, confType: ConfType, confLevel: number): { lower: Float64Array; upper: Float64Array } {
  if (confType === 'plain') {
    const z = normalQuantile(1 - (1 - confLevel) / 2);
    const lower = new Float64Array(p.length);
    const upper = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      lower[i] = Math.max(p[i]! - z * se[i]!, 0);
      upper[i] = Math.min(p[i]! + z * se[i]!, 1);
    }
    return { lower, upper };
  }
  const seLog = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) seLog[i] = p[i]! > 0 ? se[i]! / p[i]! : NaN;
  return survivalConfidenceLimits(p, seLog, confType, confLevel);
}

function curveFor(time: Float64Array, cause: Int32Array, rows: number[], k: number): Omit<AalenJohansenCurve, 'name' | 'states' | 'at'> & { estimate: Float64Array[]; stdErr: Float64Array[] } {
  rows.sort((a, b) => time[a]! - time[b]!);
  const n = rows.length;
  const grid: number[] = [];
  const risk: number[] = [];
  const censor: number[] = [];
  const events: number[][] = Array.from({ length: k }, () => []);
  const est: number[][] = Array.from({ length: k + 1 }, () => []);
  const vars: number[][] = Array.from({ length: k + 1 }, () => []);
  let s = 1;
  const p = new Float64Array(k + 1); // p[c] for c >= 1
  // influence shared by everyone still at risk
  let aS = 0;
  const aC = new Float64Array(k + 1);
  // exited subjects: U_S = beta S(t), U_c = alpha_c + beta P_c(t)
  let sumBeta2 = 0;
  const sumAlphaBeta = new Float64Array(k + 1);
  const sumAlpha2 = new Float64Array(k + 1);
  const d = new Float64Array(k + 1);
  let i = 0;
  while (i < n) {
    const t = time[rows[i]!]!;
    let j = i;
    d.fill(0);
    while (j < n && time[rows[j]!] === t) {
      d[cause[rows[j]!]!]!++;
      j++;
    }
    const nRisk = n - i;
    let dAll = 0;
    for (let c = 1; c <= k; c++) dAll += d[c]!;
    const h = dAll / nRisk;
    const sPrev = s;
    // influence of a subject censored at t or still at risk after t
    const stayS = aS * (1 - h) + (sPrev * h) / nRisk;
    const stayC = new Float64Array(k + 1);
    for (let c = 1; c <= k; c++) {
      const hc = d[c]! / nRisk;
      stayC[c] = aC[c]! + aS * hc - (sPrev * hc) / nRisk;
    }
    s = sPrev * (1 - h);
    for (let c = 1; c <= k; c++) p[c] = p[c]! + (sPrev * d[c]!) / nRisk;
    // variance at t: subjects remaining, subjects exiting now (censored, or an event of cause e), earlier exits
    const nAfter = n - j;
    let varS = (nAfter + d[0]!) * stayS * stayS + s * s * sumBeta2;
    const varC = new Float64Array(k + 1);
    for (let c = 1; c <= k; c++) varC[c] = (nAfter + d[0]!) * stayC[c]! * stayC[c]! + sumAlpha2[c]! + 2 * p[c]! * sumAlphaBeta[c]! + p[c]! * p[c]! * sumBeta2;
    const eventS = aS * (1 - h) - (sPrev * (1 - h)) / nRisk;
    for (let e = 1; e <= k; e++) {
      if (d[e] === 0) continue;
      varS += d[e]! * eventS * eventS;
      for (let c = 1; c <= k; c++) {
        const u = stayC[c]! + (c === e ? sPrev / nRisk : 0);
        varC[c]! += d[e]! * u * u;
      }
    }
    grid.push(t);
    risk.push(nRisk);
    censor.push(d[0]!);
    for (let c = 1; c <= k; c++) events[c - 1]!.push(d[c]!);
    est[0]!.push(s);
    vars[0]!.push(Math.sqrt(varS));
    for (let c = 1; c <= k; c++) {
      est[c]!.push(p[c]!);
      vars[c]!.push(Math.sqrt(varC[c]!));
    }
    // fold the exits into the affine sums (nothing follows once S = 0: no one is left at risk)
    if (s > 0) {
      const addExit = (count: number, uS: number, uC: (c: number) => number): void => {
        const beta = uS / s;
        sumBeta2 += count * beta * beta;
        for (let c = 1; c <= k; c++) {
          const alpha = uC(c) - beta * p[c]!;
          sumAlphaBeta[c]! += count * alpha * beta;
          sumAlpha2[c]! += count * alpha * alpha;
        }
      };
      if (d[0]! > 0) addExit(d[0]!, stayS, (c) => stayC[c]!);
      for (let e = 1; e <= k; e++) if (d[e]! > 0) addExit(d[e]!, eventS, (c) => stayC[c]! + (c === e ? sPrev / nRisk : 0));
    }
    aS = stayS;
    for (let c = 1; c <= k; c++) aC[c] = stayC[c]!;
    i = j;
  }
  return {
    n,
    time: Float64Array.from(grid),
    nRisk: Float64Array.from(risk),
    nEvent: events.map((e) => Float64Array.from(e)),
    nCensor: Float64Array.from(censor),
    estimate: est.map((e) => Float64Array.from(e)),
    stdErr: vars.map((v) => Float64Array.from(v)),
  };
}

/** Index of the last grid time <= t, or -1 (before the first), or -2 (after the last: R drops it). */
function stepIndex(grid: Float64Array, t: number): number {
  if (grid.length === 0 || t > grid[grid.length - 1]!) return -2;
  return upperBound(grid, t) - 1;
}

/** Fits survfit(Surv(time, factor(status)) ~ groups): one Aalen–Johansen curve per group. */
export function aalenJohansen(y: CompetingRisksOutcome, groups: Grouping | null, options: AalenJohansenOptions = {}): AalenJohansenFit {
  const confType = options.confType ?? 'log';
  const confLevel = options.confLevel ?? 0.95;
  if (!['log', 'log-log', 'plain'].includes(confType)) throw new SpecificationError(`unknown conf.type "${String(confType)}" (use log, log-log or plain)`, { field: 'confType' });
  if (!(confLevel > 0 && confLevel < 1)) throw new SpecificationError('confLevel must be in (0, 1)', { field: 'confLevel' });
  const k = y.causes.length;
  const names = groups ? groups.names : ['all'];
  const members: number[][] = names.map(() => []);
  for (let i = 0; i < y.n; i++) members[groups ? groups.codes[i]! : 0]!.push(i);
  const stateNames = ['(s0)', ...y.causes.map(String)];
  const curves: AalenJohansenCurve[] = [];
  members.forEach((rows, g) => {
    if (rows.length === 0) return;
    const c = curveFor(y.time, y.cause, rows, k);
    const states = c.estimate.map((estimate, s) => ({ state: stateNames[s]!, estimate, stdErr: c.stdErr[s]!, ...stateLimits(estimate, c.stdErr[s]!, confType, confLevel) }));
    let at: AalenJohansenCurve['at'] = null;
    if (options.times) {
      const sorted = [...new Set(options.times)].sort((a, b) => a - b);
      const idx = sorted.map((t) => stepIndex(c.time, t)).filter((ix) => ix !== -2);
      const kept = sorted.filter((t) => stepIndex(c.time, t) !== -2);
      at = {
        time: Float64Array.from(kept),
        states: states.map((st, s) => {
          const pick = (v: Float64Array, before: number): Float64Array => Float64Array.from(idx, (ix) => (ix < 0 ? before : v[ix]!));
          const initial = s === 0 ? 1 : 0;
          const est = pick(st.estimate, initial);
          const se = pick(st.stdErr, 0);
          const limits = stateLimits(est, se, confType, confLevel);
          // summary.survfit pads times before the first exit with the initial state, limits included
          idx.forEach((ix, j) => {
            if (ix < 0) limits.lower[j] = limits.upper[j] = initial;
          });
          return { state: st.state, estimate: est, stdErr: se, ...limits };
        }),
      };
    }
    curves.push({ name: names[g]!, n: c.n, time: c.time, nRisk: c.nRisk, nEvent: c.nEvent, nCensor: c.nCensor, states, at });
  });
  return { causes: y.causes, confType, confLevel, curves };
}
