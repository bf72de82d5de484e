/**
 * Kaplan-Meier survival curves, R's survfit(Surv(time, status) ~ group) for right-censored and
 * counting-process (start, stop] data, with case weights.
 *
 * Inputs:  y (stop, event, optional start: risk set at t is start < t <= stop, R's left
 *          truncation), an optional Grouping (null = one curve named 'all'), and options:
 *          confType ('log' default, 'log-log', 'plain'), confLevel (0.95), case weights,
 *          times for summary(fit, times=), rmean ('common' default, 'individual' or a number).
 * Outputs: one KaplanMeierCurve per group, in Grouping order: at every distinct stop time
 *          (event or censoring, as R) the weighted n.risk, n.event, n.censor, S(t), the SE of
 *          S(t) as summary.survfit prints it, pointwise limits (NaN where R gives NA), plus
 *          print.survfit's median with CI and summary's restricted mean.
 * Method:  one radix argsort of the stop times (and of the start times for counting data),
 *          a stable counting sort by group, then per group one backward pass accumulating the
 *          number at risk exactly as survfitkm.c does (summing from the last time backwards, so
 *          n.risk - n.event is exactly 0 when everybody left dies) and one forward pass for
 *          S(t) = prod (1 - d/n) and Greenwood's sum d / (n (n - d)) (SE of log S, which R
 *          stores as std.err). Times closer than sqrt(eps) are merged first (R's aeqSurv).
 *          With non-integer case weights R switches to the infinitesimal-jackknife variance
 *          (robust = TRUE, each row its own cluster); we do the same, in O(n) rather than R's
 *          O(n * times), by keeping the influence of all rows still at risk as one
 *          closed-form sum (see robustSe below). R then sets fit$logse = FALSE: fit$std.err
 *          is the SE of S itself, not of log S, and summary.survfit prints it unscaled (it
 *          multiplies by S only when logse). stdErr is always that printed SE of S; `variance`
 *          says which estimator was used.
 * Preconditions checked: finite times >= 0, start < stop, status 0/1, finite weights >= 0,
 *          every group non-empty (InputError / EstimationError naming the 1-based row).
 * rmean:   'common' (default) is summary(fit)$table's default in survival 3.5.3: every curve
 *          is integrated up to the largest last time of all curves. print.survfit itself shows
 *          no rmean by default (options survfit.rmean / survfit.print.rmean are NULL);
 *          print(fit, rmean = "common") gives the same numbers as ours.
 * Not reproduced: negative times (R allows them; registry times never are), conf.type
 *          'none'/'logit'/'arcsin', conf.lower, Fleming-Harrington or exp() survival, id/cluster
 *          robust variance; summary(times=) leaving no time for a curve (R stops, we return an
 *          empty `at` for that curve).
 * Reference: survival 3.5.3 survfitKM, survfitkm.c, survfit_confint, survmean,
 *          summary.survfit; Greenwood (1926); Therneau, "survfit" methods vignette.
 */
import type { Grouping } from './types.js';
import type { SurvivalData } from '../core/types.js';
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import { orderWithinGroups, radixOrder } from './radix-order.js';
import { aeqRepresentatives, timefix } from './timefix.js';
import { survivalConfidenceLimits, type ConfType } from './km-confint.js';
import { curveAtTimes, restrictedMean, survivalQuantileHalf } from './km-summary.js';

export type { ConfType };

export interface KaplanMeierOptions {
  confType?: ConfType;
  confLevel?: number;
  weights?: Float64Array | null;
  times?: number[];
  rmean?: 'common' | 'individual' | number;
}

export interface KaplanMeierCurve {
  name: string;
  /** Number of rows in the group (R's n). */
  n: number;
  /** Weighted number of events (print.survfit's `events`). */
  events: number;
  time: Float64Array;
  nRisk: Float64Array;
  nEvent: Float64Array;
  nCensor: Float64Array;
  surv: Float64Array;
  /** SE of S(t), as summary.survfit prints it (R's fit$std.err * fit$surv when logse). */
  stdErr: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  median: number | null;
  medianLower: number | null;
  medianUpper: number | null;
  rmean: number;
  rmeanSe: number;
  rmeanUpperLimit: number;
  at: { time: Float64Array; surv: Float64Array; stdErr: Float64Array; lower: Float64Array; upper: Float64Array; nRisk: Float64Array; nEvent: Float64Array } | null;
}

export interface KaplanMeierFit {
  confType: ConfType;
  confLevel: number;
  /**
   * How stdErr was computed: 'greenwood' (R's fit$logse TRUE) or 'infinitesimal-jackknife'
   * (logse FALSE), which survfitKM chooses when any case weight is not an integer.
   */
  variance: 'greenwood' | 'infinitesimal-jackknife';
  strata: KaplanMeierCurve[];
}

/** Rows sorted within one group, as flat typed arrays (no per-row objects). */
interface Segment {
  stop: Float64Array;
  event: Uint8Array;
  weight: Float64Array;
  /** Counting data: start times sorted ascending, their weights and their row ids. */
  start: Float64Array | null;
  startWeight: Float64Array | null;
  startRow: Uint32Array | null;
  /** Counting data: row id of each stop-sorted row (the robust variance matches entries to exits). */
  stopRow: Uint32Array | null;
}

/** Per-time counts and estimates of one group before confidence limits and summaries. */
interface RawCurve {
  time: Float64Array;
  nRisk: Float64Array;
  nEvent: Float64Array;
  nCensor: Float64Array;
  /** Unweighted events, for R's "at least one event with weight > 0" test. */
  nEventRows: Float64Array;
  surv: Float64Array;
  /** SE of log S (Greenwood); for robust, se(S)/S as survfit_confint converts it. */
  seLog: Float64Array;
  /** SE of S. */
  seSurv: Float64Array;
}

export function kaplanMeier(y: SurvivalData, groups: Grouping | null, options: KaplanMeierOptions = {}): KaplanMeierFit {
  const confType: ConfType = options.confType ?? 'log';
  const confLevel = options.confLevel ?? 0.95;
  if (confType !== 'log' && confType !== 'log-log' && confType !== 'plain') {
    throw new SpecificationError(`conf.type must be 'log', 'log-log' or 'plain'`, { value: String(confType) });
  }
  if (!(confLevel > 0 && confLevel < 1)) throw new SpecificationError('conf.int must be between 0 and 1', { value: String(confLevel) });
  const n = y.n;
  const weights = options.weights ?? null;
  validateSurvival(y, weights);
  if (n === 0) throw new EstimationError('no observations: a survival curve needs at least one row');
  const ng = groups ? groups.names.length : 1;
  const names = groups ? groups.names : ['all'];
  const codes = groups ? groups.codes : null;
  if (codes) validateGroups(codes, n, names);

  // survfitKM 3.5.3, robust left NULL: robust <- influence || has.cluster || has.rwt ||
  // (has.id && duplicated ids among events), with has.rwt = any(weights != floor(weights))
  // over all rows of all groups. We take neither id nor cluster, so only has.rwt can apply;
  // each row is then its own cluster. Ties, counting data and zero weights do not matter.
  let robust = false;
  if (weights) for (let i = 0; i < n && !robust; i++) if (weights[i] !== Math.floor(weights[i])) robust = true;
  const counts = new Int32Array(ng);
  if (codes) for (let i = 0; i < n; i++) counts[codes[i]]++;
  else counts[0] = n;

  const segments = y.start === null
    ? rightCensoredSegments(y, codes, counts, weights)
    : countingSegments(y, codes, counts, weights);
  const raw: RawCurve[] = segments.map((seg) => {
    const curve = countAndEstimate(seg);
    if (robust) robustSe(seg, curve);
    return curve;
  });

  // rmean limits as survmean: start at min(0, all times); 'common' ends at the largest last time.
  let startTime = 0;
  let commonEnd = -Infinity;
  let minTime = Infinity;
  for (const c of raw) {
    if (c.time.length === 0) continue;
    startTime = Math.min(startTime, c.time[0]);
    minTime = Math.min(minTime, c.time[0]);
    commonEnd = Math.max(commonEnd, c.time[c.time.length - 1]);
  }
  const rmeanOpt = options.rmean ?? 'common';
  if (typeof rmeanOpt === 'number' && !(rmeanOpt >= minTime)) {
    throw new SpecificationError('Truncation point for the mean is < smallest survival time', { field: 'rmean', value: String(rmeanOpt) });
  }

  const strata: KaplanMeierCurve[] = raw.map((c, g) => {
    const { lower, upper } = survivalConfidenceLimits(c.surv, c.seLog, confType, confLevel);
    const m = c.time.length;
    const endTime = typeof rmeanOpt === 'number' ? rmeanOpt : rmeanOpt === 'common' ? commonEnd : c.time[m - 1];
    const rm = restrictedMean(c.time, c.surv, c.nRisk, c.nEvent, startTime, endTime);
    let events = 0;
    for (let k = 0; k < m; k++) events += c.nEvent[k];
    const curve: KaplanMeierCurve = {
      name: names[g], n: counts[g], events,
      time: c.time, nRisk: c.nRisk, nEvent: c.nEvent, nCensor: c.nCensor,
      surv: c.surv, stdErr: c.seSurv, lower, upper,
      median: survivalQuantileHalf(c.time, c.surv),
      medianLower: survivalQuantileHalf(c.time, lower),
      medianUpper: survivalQuantileHalf(c.time, upper),
      rmean: rm.rmean, rmeanSe: rm.se, rmeanUpperLimit: endTime,
      at: null,
    };
    if (options.times) curve.at = curveAtTimes(curve, options.times, startTime);
    return curve;
  });
  return { confType, confLevel, variance: robust ? 'infinitesimal-jackknife' : 'greenwood', strata };
}

/** Throws the first impossible value, naming its 1-based row. */
function validateSurvival(y: SurvivalData, weights: Float64Array | null): void {
  const n = y.n;
  if (y.stop.length !== n || y.event.length !== n || (y.start && y.start.length !== n)) {
    throw new InputError(`survival data arrays must all have length n = ${n}`);
  }
  if (weights && weights.length !== n) throw new InputError(`weights have length ${weights.length}, expected ${n}`, { column: 'weights' });
  for (let i = 0; i < n; i++) {
    const t = y.stop[i];
    if (!(t >= 0) || t === Infinity) throw new InputError('time must be a finite number >= 0', { row: i + 1, column: 'time', value: String(t) });
    const e = y.event[i];
    if (e !== 0 && e !== 1) throw new InputError('status must be 0 (censored) or 1 (event)', { row: i + 1, column: 'status', value: String(e) });
    if (y.start) {
      const s = y.start[i];
      if (!(s >= 0) || s === Infinity) throw new InputError('start time must be a finite number >= 0', { row: i + 1, column: 'start', value: String(s) });
      if (!(s < t)) throw new InputError('start time must be before the stop time', { row: i + 1, column: 'start', value: String(s) });
    }
    if (weights) {
      const w = weights[i];
      if (!(w >= 0) || w === Infinity) throw new InputError('weights must be finite and non-negative', { row: i + 1, column: 'weights', value: String(w) });
    }
  }
}

function validateGroups(codes: Int32Array, n: number, names: string[]): void {
  if (codes.length !== n) throw new InputError(`group codes have length ${codes.length}, expected ${n}`, { column: 'group' });
  const seen = new Int32Array(names.length);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (!(c >= 0 && c < names.length)) throw new InputError(`group code must be 0..${names.length - 1}`, { row: i + 1, column: 'group', value: String(c) });
    seen[c]++;
  }
  for (let g = 0; g < names.length; g++) {
    if (seen[g] === 0) throw new EstimationError(`group "${names[g]}" has no rows`, { column: 'group', value: names[g] });
  }
}

/**
 * Right-censored data: one radix sort by time, one gather of time/status/weight/group into that
 * order (the only random-access pass), R's aeqSurv on the sorted times, then a stable split by
 * group, all sequential. Memory traffic, not arithmetic, is the cost at 10^6 rows.
 */
function rightCensoredSegments(y: SurvivalData, codes: Int32Array | null, counts: Int32Array, weights: Float64Array | null): Segment[] {
  const n = y.n;
  const order = radixOrder(y.stop);
  // Status and group packed in one Int32 (2 * group + status), so the gather below makes two
  // random reads per row (time and this), or three with weights, instead of four.
  const packed = new Int32Array(n);
  if (codes) for (let i = 0; i < n; i++) packed[i] = 2 * codes[i] + y.event[i];
  else for (let i = 0; i < n; i++) packed[i] = y.event[i];
  const ts = new Float64Array(n);
  const ev = new Uint8Array(n);
  const ws = new Float64Array(n);
  const gs = codes ? new Int32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    ts[i] = y.stop[r];
    const pk = packed[r];
    ev[i] = pk & 1;
    if (gs) gs[i] = pk >> 1;
  }
  if (weights) for (let i = 0; i < n; i++) ws[i] = weights[order[i]];
  else ws.fill(1);
  // aeqSurv on the distinct sorted times; in place, since ts is our own copy.
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || ts[i] !== ts[i - 1]) m++;
  const distinct = new Float64Array(m);
  m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || ts[i] !== ts[i - 1]) distinct[m++] = ts[i];
  const reps = aeqRepresentatives(distinct);
  if (reps) {
    let p = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || ts[i] !== distinct[p]) p++;
      ts[i] = reps[p];
    }
  }
  const ng = counts.length;
  if (ng === 1 || !gs) return [{ stop: ts, event: ev, weight: ws, start: null, startWeight: null, startRow: null, stopRow: null }];
  const segs: Segment[] = [];
  for (let g = 0; g < ng; g++) {
    segs.push({ stop: new Float64Array(counts[g]), event: new Uint8Array(counts[g]), weight: new Float64Array(counts[g]), start: null, startWeight: null, startRow: null, stopRow: null });
  }
  const fill = new Int32Array(ng);
  for (let i = 0; i < n; i++) {
    const g = gs[i];
    const seg = segs[g];
    const k = fill[g]++;
    seg.stop[k] = ts[i];
    seg.event[k] = ev[i];
    seg.weight[k] = ws[i];
  }
  return segs;
}

/**
 * Counting-process data: aeqSurv over start and stop times together, then two sorts (stop and
 * start), each split by group.
 */
function countingSegments(y: SurvivalData, codes: Int32Array | null, counts: Int32Array, weights: Float64Array | null): Segment[] {
  const n = y.n;
  const fixed = timefix(y.stop, y.start);
  const stop = fixed.stop;
  const start = fixed.start as Float64Array;
  if (fixed.changed) {
    for (let i = 0; i < n; i++) {
      if (!(start[i] < stop[i])) {
        throw new InputError('start and stop times are equal after rounding-error ties were merged (R: aeqSurv exception)', { row: i + 1, column: 'start', value: String(y.start![i]) });
      }
    }
  }
  const ng = counts.length;
  let byStop = radixOrder(stop);
  let byStart = radixOrder(start);
  if (codes && ng > 1) {
    byStop = orderWithinGroups(byStop, codes, ng);
    byStart = orderWithinGroups(byStart, codes, ng);
  }
  const segs: Segment[] = [];
  let offset = 0;
  for (let g = 0; g < ng; g++) {
    const len = counts[g];
    const stopRow = byStop.subarray(offset, offset + len);
    const startRow = byStart.subarray(offset, offset + len);
    const seg: Segment = {
      stop: new Float64Array(len), event: new Uint8Array(len), weight: new Float64Array(len),
      start: new Float64Array(len), startWeight: new Float64Array(len), startRow, stopRow,
    };
    for (let i = 0; i < len; i++) {
      const r = stopRow[i];
      seg.stop[i] = stop[r];
      seg.event[i] = y.event[r];
      seg.weight[i] = weights ? weights[r] : 1;
      const q = startRow[i];
      seg.start![i] = start[q];
      seg.startWeight![i] = weights ? weights[q] : 1;
    }
    segs.push(seg);
    offset += len;
  }
  return segs;
}

/** survfitkm.c's counting loop (backwards over distinct times) and the KM/Greenwood loop. */
function countAndEstimate(seg: Segment): RawCurve {
  const len = seg.stop.length;
  const ts = seg.stop;
  let m = 0;
  for (let i = 0; i < len; i++) if (i === 0 || ts[i] !== ts[i - 1]) m++;
  const time = new Float64Array(m);
  const nRisk = new Float64Array(m);
  const nEvent = new Float64Array(m);
  const nCensor = new Float64Array(m);
  const nEventRows = new Float64Array(m);
  let atRisk = 0;
  let i = len - 1;
  let j = len - 1; // start-time pointer (counting data)
  for (let k = m - 1; k >= 0; k--) {
    const t = ts[i];
    let d0 = 0;
    let d1 = 0;
    let c1 = 0;
    for (; i >= 0 && ts[i] === t; i--) {
      const w = seg.weight[i];
      atRisk += w;
      if (seg.event[i] === 1) {
        d0++;
        d1 += w;
      } else c1 += w;
    }
    if (seg.start) {
      // Rows that enter at or after t are not yet at risk at t.
      for (; j >= 0 && seg.start[j] >= t; j--) atRisk -= seg.startWeight![j];
    }
    time[k] = t;
    nRisk[k] = atRisk;
    nEvent[k] = d1;
    nCensor[k] = c1;
    nEventRows[k] = d0;
  }
  const surv = new Float64Array(m);
  const seLog = new Float64Array(m);
  const seSurv = new Float64Array(m);
  let km = 1;
  let green = 0;
  for (let k = 0; k < m; k++) {
    const d = nEvent[k];
    if (nEventRows[k] > 0 && d > 0) {
      const nr = nRisk[k];
      km *= (nr - d) / nr;
      green += d / (nr * (nr - d));
    }
    surv[k] = km;
    seLog[k] = Math.sqrt(green);
    seSurv[k] = km * seLog[k];
  }
  return { time, nRisk, nEvent, nCensor, nEventRows, surv, seLog, seSurv };
}

/**
 * Infinitesimal-jackknife SE of S(t), R's default when case weights are not integers.
 *
 * survfitkm.c keeps one influence value U_i per row and, at each event time with hazard
 * h = d/N, updates every row at risk by U_i <- U_i (1 - h) + w_i S(t-) h / N, subtracts
 * S(t-) w_i / N from each row dying then, and scales rows that have left by (1 - h); the
 * variance is sum U_i^2. That is O(n) per event time. Here rows that have left are one running
 * sum of squares E (scaled by (1 - h)^2), and a row at risk has U_i = w_i (a - S c_i), with a
 * the common recursion a <- a (1 - h) + S(t-) h / N and c_i = a / S at its entry (0 for
 * right-censored data), so sum U_i^2 over the risk set is
 * a^2 sum w^2 - 2 a S sum w^2 c + S^2 sum w^2 c^2: O(1) per time, O(n) overall.
 * Like R, the variance is only updated at event times.
 */
function robustSe(seg: Segment, curve: RawCurve): void {
  const len = seg.stop.length;
  const m = curve.time.length;
  // c_i of each row at risk, by row id; NaN marks a row that entered after S reached 0 (U stays 0).
  const cOf = new Map<number, number>();
  let w2 = 0;
  let w2c = 0;
  let w2cc = 0;
  if (!seg.start) {
    for (let i = 0; i < len; i++) w2 += seg.weight[i] * seg.weight[i];
  }
  let a = 0;
  let km = 1;
  let gone = 0;
  let v = 0;
  let i = 0;
  let j = 0;
  for (let k = 0; k < m; k++) {
    const t = curve.time[k];
    if (seg.start) {
      for (; j < len && seg.start[j] < t; j++) {
        const w = seg.startWeight![j];
        const c = km > 0 ? a / km : NaN;
        cOf.set(seg.startRow![j], c);
        if (!Number.isNaN(c)) {
          w2 += w * w;
          w2c += w * w * c;
          w2cc += w * w * c * c;
        }
      }
    }
    const nr = curve.nRisk[k];
    const d = curve.nEvent[k];
    const eventTime = curve.nEventRows[k] > 0 && d > 0;
    const kmBefore = km;
    if (eventTime) {
      const h = d / nr;
      a = a * (1 - h) + (km * h) / nr;
      gone *= (1 - h) * (1 - h);
      km *= 1 - h;
    }
    for (; i < len && seg.stop[i] === t; i++) {
      const w = seg.weight[i];
      const c = seg.start ? cOf.get(seg.stopRow![i])! : 0;
      if (Number.isNaN(c)) continue;
      let u = w * (a - km * c);
      if (eventTime && seg.event[i] === 1) u -= (kmBefore * w) / nr;
      gone += u * u;
      w2 -= w * w;
      w2c -= w * w * c;
      w2cc -= w * w * c * c;
    }
    if (eventTime) v = a * a * w2 - 2 * a * km * w2c + km * km * w2cc + gone;
    const se = Math.sqrt(Math.max(v, 0));
    curve.seSurv[k] = se;
    const p = curve.surv[k];
    curve.seLog[k] = se === 0 ? 0 : se / p;
  }
}
