/**
 * Clone–censor–weight step 1: clone every patient into both strategies (see
 * clone-censor-weight.ts's header for the rules) and lay out the clone rows.
 *
 * Inputs:  per patient time, event, exposureTime (NaN = never treated), the grace period G, the
 *          interval length dt and K = G / dt (validated by ccw-input.ts).
 * Outputs: CloneRows: the clone rows (start, stop, event, strategy, patient, and the kind of
 *          censoring weight each row takes), grouped by patient, with what the censoring model
 *          needs per patient (person-intervals, treatment start, how many P_k its rows use) and
 *          the counts per strategy (clones, deviations, events).
 * Method:  two passes over the patients: the first counts the rows (so every array is
 *          allocated once, at its final length), the second fills them. Strategy B rows are
 *          split at the interval boundaries k dt, because its weight changes every interval.
 */
import { EstimationError } from '../core/errors.js';

/** What cloning reads of the input (CloneCensorWeightInput and CcwData both have it). */
export interface CloneInput {
  time: Float64Array;
  event: Uint8Array;
  /** Treatment start; NaN = never treated during follow-up. */
  exposureTime: Float64Array;
  grace: number;
}

export const STRATEGY_NAMES: [string, string] = ['treat within grace', 'never treat'];

/**
 * Clone rows and everything else that does not depend on the bootstrap multiplicities, built
 * once per data set (per worker thread). Row r belongs to `patient[r]`; its censoring weight
 * is 1 (kind -1), 1 / (1 - P_{K-1}) for an A clone after the grace period (kind -2) or
 * 1 / P_k for a B clone in interval k (kind k >= 0). Rows of a patient are contiguous.
 */
export interface CloneRows {
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
  /** Rows of patient i are firstRow[i] .. firstRow[i + 1] - 1. */
  firstRow: Int32Array;
}

/** Step 1 of the module header: the clone rows (without weights). */
export function buildCloneRows(input: CloneInput, dt: number, kGrace: number): CloneRows {
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
    rows: { n: m, start, stop, event: ev, strategyA: arm, patient: pid, kind }, firstRow,
  };
}

/** Both strategies must have patients (counting bootstrap multiplicities). */
export function requireBothStrategies(nA: number, nB: number, grace: number): void {
  if (nA === 0) throw new EstimationError(`clone-censor-weight: strategy "${STRATEGY_NAMES[0]}" has no patients (nobody starts treatment within the grace period ${grace})`);
  if (nB === 0) throw new EstimationError(`clone-censor-weight: strategy "${STRATEGY_NAMES[1]}" has no patients (everybody is treated at time 0)`);
}
