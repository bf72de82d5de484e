/**
 * Weighted risk sets of two groups at every distinct event time, in one sweep over the rows:
 * everything the weighted Kaplan–Meier of each group (risk-set-kaplan-meier.ts) and the Cox
 * model on the group indicator (two-group-efron-cox.ts) need, so that refitting them with new
 * weights (a bootstrap replicate) costs one pass over the rows, not a model frame per fit.
 *
 * Inputs:  counting-process rows (start, stop, event): the row is at risk at t when
 *          start < t <= stop (right-censored data: start = 0, times > 0); for the tabulation a
 *          group indicator x (0/1), case weights w >= 0 (w = 0: the row is absent) and
 *          optional copies c (the row stands for c identical rows, e.g. a patient drawn c times
 *          into a bootstrap resample; null = 1 each).
 * Outputs: riskSetOrder: the timefixed times, the rows by descending stop and by descending
 *          start, and the distinct event times ascending (computed once per data set).
 *          tabulateTwoGroupRiskSets: per event time t_e, the weighted number at risk and of
 *          events in group 1 and group 0, and tiedEvents, the number of event rows at t_e
 *          counting copies (Efron's tie count; a row with weight 0 does not count).
 * Method:  times closer than sqrt(eps) are merged first (timefix.ts, R's aeqSurv), then one
 *          backward sweep over the event times adds the rows whose stop >= t and removes those
 *          whose start >= t, as survival's agfit4 keeps its risk set.
 * Reference: survival 3.5.3 agfit4.c (risk-set sweep), survfitkm.c; reference/r/weighted-two-group.R.
 */
import { timefix } from './timefix.js';

export interface RiskSetOrder {
  /** Stop and start times after timefix. */
  stop: Float64Array;
  start: Float64Array;
  /** Row indices by descending stop, and by descending start. */
  byStop: Int32Array;
  byStart: Int32Array;
  /** Distinct (timefixed) event times, ascending. */
  eventTimes: Float64Array;
}

export interface TwoGroupRiskSets {
  eventTimes: Float64Array;
  /** Weighted number at risk of group 1 (x = 1) and group 0 at each event time. */
  atRisk1: Float64Array;
  atRisk0: Float64Array;
  /** Weighted number of events of group 1 and group 0 at each event time. */
  events1: Float64Array;
  events0: Float64Array;
  /** Number of event rows at each event time, each counted `copies` times. */
  tiedEvents: Float64Array;
}

/** The time order of the rows, which does not depend on weights or groups. */
export function riskSetOrder(start: Float64Array, stop: Float64Array, event: Uint8Array): RiskSetOrder {
  const n = stop.length;
  const fixed = timefix(stop, start);
  const fixedStop = fixed.stop;
  const fixedStart = fixed.start ?? start;
  const byStop = Int32Array.from({ length: n }, (_, r) => r).sort((a, b) => fixedStop[b] - fixedStop[a]);
  const byStart = Int32Array.from({ length: n }, (_, r) => r).sort((a, b) => fixedStart[b] - fixedStart[a]);
  const ev: number[] = [];
  for (let q = 0; q < n; q++) { const r = byStop[n - 1 - q]; if (event[r] && (ev.length === 0 || ev[ev.length - 1] !== fixedStop[r])) ev.push(fixedStop[r]); }
  return { stop: fixedStop, start: fixedStart, byStop, byStart, eventTimes: Float64Array.from(ev) };
}

/** Weighted risk sets and events per group at the event times of `order` (see the header). */
export function tabulateTwoGroupRiskSets(order: RiskSetOrder, x: Uint8Array, event: Uint8Array, weight: Float64Array, copies: Float64Array | null): TwoGroupRiskSets {
  const m = weight.length;
  const T = order.eventTimes.length;
  const atRisk1 = new Float64Array(T);
  const atRisk0 = new Float64Array(T);
  const events1 = new Float64Array(T);
  const events0 = new Float64Array(T);
  const tiedEvents = new Float64Array(T);
  let r1 = 0;
  let r0 = 0;
  let iStop = 0;
  let iStart = 0;
  for (let e = T - 1; e >= 0; e--) {
    const t = order.eventTimes[e];
    let d1 = 0;
    let d0 = 0;
    let nd = 0;
    for (; iStop < m && order.stop[order.byStop[iStop]] >= t; iStop++) {
      const r = order.byStop[iStop];
      const w = weight[r];
      if (w === 0) continue;
      if (x[r]) r1 += w; else r0 += w;
      if (event[r] && order.stop[r] === t) { if (x[r]) d1 += w; else d0 += w; nd += copies ? copies[r] : 1; }
    }
    for (; iStart < m && order.start[order.byStart[iStart]] >= t; iStart++) {
      const r = order.byStart[iStart];
      const w = weight[r];
      if (x[r]) r1 -= w; else r0 -= w;
    }
    atRisk1[e] = r1; atRisk0[e] = r0; events1[e] = d1; events0[e] = d0; tiedEvents[e] = nd;
  }
  return { eventTimes: order.eventTimes, atRisk1, atRisk0, events1, events0, tiedEvents };
}
