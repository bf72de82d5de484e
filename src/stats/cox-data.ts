/**
 * Input checking and one-time sorting for the Cox model (coxph) and its residuals.
 *
 * Inputs: a DesignMatrix, SurvivalData (right-censored or counting-process), optional 0-based
 *   strata codes and positive case weights.
 * Outputs: `CoxData`: the rows R's fitting routines use, in the order they walk them
 *   (stratum ascending, then stop time DEScending), with the covariates copied row-major into
 *   one Float64Array, centred and scaled exactly as R's coxfit6.c (right-censored) or agfit4.c
 *   (counting process) do; plus, for counting-process data, the same rows ordered by start
 *   time descending within stratum (R's `sort.start`).
 * Method: stable counting sorts on integer ranks of the times (O(n log u) for the ranks, O(n)
 *   for the sorts), so a million rows sort in well under a second and ties keep input order,
 *   as R's order() does. Centring is pure numerical hygiene (the partial likelihood is
 *   invariant to it) but the scaling decides which pivots `cholesky2` calls singular, so it is
 *   reproduced: scale = sum(w) / sum(w |x - centre|). Columns whose values are all in
 *   {-1, 0, 1} (R's `nocenter`) are neither centred nor scaled. Counting-process rows whose
 *   (start, stop] contains no event time of their stratum are dropped up front, as agreg.fit
 *   does: they never appear in a risk set at an event.
 * Reference: survival 3.5 coxph.fit / agreg.fit (R) and coxfit6.c / agfit4.c (C).
 */
import { EstimationError, InputError } from '../core/errors.js';
import { radixOrder } from './radix-order.js';
import type { DesignMatrix } from './types.js';
import type { SurvivalData } from '../core/types.js';
import { upperBound } from '../core/binary-search.js';

export interface CoxData {
  /** Number of input rows. */
  n: number;
  p: number;
  /** Number of rows used in the sweeps (counting process: rows with an event in (start, stop]). */
  nused: number;
  counting: boolean;
  /** Sorted position -> input row, length nused (stratum asc, stop desc). */
  order: Int32Array;
  /** Covariates at sorted positions, row-major nused*p, centred and scaled. */
  x: Float64Array;
  stop: Float64Array;
  /** Start times at sorted positions (counting process only). */
  start: Float64Array | null;
  event: Uint8Array;
  weight: Float64Array;
  /** First sorted position of each stratum, plus a final nused. */
  stratumStart: Int32Array;
  /** Counting process: sorted positions ordered by stratum asc, start desc (R's sort.start). */
  startOrder: Int32Array | null;
  /** Centre subtracted from each column before scaling. */
  centre: Float64Array;
  /** Multiplier applied after centring (R's `scale`); coefficients on the data scale are beta*scale. */
  scale: Float64Array;
  /** R's fit$means: weighted column means (coxph.fit) or unweighted colMeans (agreg.fit), 0 for {-1,0,1} columns. */
  means: Float64Array;
  /** Number of events (unweighted, as R's fit$nevent). */
  nevent: number;
}

/** 1-based ranks (1..u) of values among their sorted unique values (O(n) radix argsort). */
export function rankValues(values: Float64Array): { rank: Int32Array; unique: Float64Array } {
  const n = values.length;
  const ord = radixOrder(values);
  const rank = new Int32Array(n);
  const uniq = new Float64Array(n);
  let u = 0;
  let prev = NaN;
  for (let k = 0; k < n; k++) {
    const i = ord[k]!;
    const v = values[i]!;
    if (k === 0 || v !== prev) {
      uniq[u++] = v;
      prev = v;
    }
    rank[i] = u;
  }
  return { rank, unique: uniq.slice(0, u) };
}

/** Stable counting sort of `order` (row indices) by integer keys in 0..nkey-1 (key indexed by row). */
export function countingSort(order: Int32Array, key: Int32Array | Uint8Array, nkey: number, descending = false): Int32Array {
  const count = new Int32Array(nkey + 1);
  for (let i = 0; i < order.length; i++) {
    const k = descending ? nkey - 1 - key[order[i]!]! : key[order[i]!]!;
    count[k + 1]!++;
  }
  for (let k = 0; k < nkey; k++) count[k + 1]! += count[k]!;
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    const k = descending ? nkey - 1 - key[r]! : key[r]!;
    out[count[k]!++] = r;
  }
  return out;
}

export interface CoxInputOptions {
  strata?: Int32Array | null;
  weights?: Float64Array | null;
}

/** Checks the inputs; throws InputError naming the 1-based row and the column. */
export function validateCoxInput(x: DesignMatrix, y: SurvivalData, options: CoxInputOptions): void {
  const n = y.n;
  if (x.n !== n) throw new InputError(`design matrix has ${x.n} rows but the survival outcome has ${n}`);
  for (let j = 0; j < x.p; j++) {
    const col = x.columns[j]!;
    if (col.length !== n) throw new InputError(`column has ${col.length} values, expected ${n}`, { column: x.names[j] });
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i]!)) {
        throw new InputError('covariate must be a finite number (remove or impute missing values first)', { row: i + 1, column: x.names[j], value: String(col[i]) });
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const t = y.stop[i]!;
    if (!Number.isFinite(t)) throw new InputError('survival time must be a finite number', { row: i + 1, column: 'stop', value: String(t) });
    const e = y.event[i]!;
    if (e !== 0 && e !== 1) throw new InputError('event indicator must be 0 or 1', { row: i + 1, column: 'event', value: String(e) });
    if (y.start) {
      const s = y.start[i]!;
      if (!Number.isFinite(s)) throw new InputError('start time must be a finite number', { row: i + 1, column: 'start', value: String(s) });
      if (!(t > s)) throw new InputError(`stop time must be greater than start time (start ${s}, stop ${t})`, { row: i + 1, column: 'stop', value: String(t) });
    }
  }
  const w = options.weights;
  if (w) {
    if (w.length !== n) throw new InputError(`weights have length ${w.length}, expected ${n}`, { column: 'weights' });
    for (let i = 0; i < n; i++) {
      if (!(w[i]! > 0) || !Number.isFinite(w[i]!)) throw new InputError('case weights must be finite and > 0', { row: i + 1, column: 'weights', value: String(w[i]) });
    }
  }
  const s = options.strata;
  if (s) {
    if (s.length !== n) throw new InputError(`strata have length ${s.length}, expected ${n}`, { column: 'strata' });
    for (let i = 0; i < n; i++) if (s[i]! < 0) throw new InputError('stratum codes must be >= 0', { row: i + 1, column: 'strata', value: String(s[i]) });
  }
  let events = 0;
  for (let i = 0; i < n; i++) events += y.event[i]!;
  if (events === 0) throw new EstimationError("can't fit a Cox model with 0 events: every observation is censored");
}

function numberOfStrata(strata: Int32Array | null | undefined, n: number): number {
  if (!strata) return 1;
  let m = 0;
  for (let i = 0; i < n; i++) if (strata[i]! > m) m = strata[i]!;
  return m + 1;
}

/** Rows of counting-process data that see at least one event time of their stratum in (start, stop]. */
function usedRows(y: SurvivalData, strata: Int32Array | null | undefined, nstrata: number): Uint8Array {
  const n = y.n;
  const start = y.start!;
  // event times per stratum, sorted, via one sort of (stratum, time) pairs
  const order0 = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (y.event[i] === 1) order0[m++] = i;
  const evRows = order0.slice(0, m);
  const evTimes = new Float64Array(m);
  for (let k = 0; k < m; k++) evTimes[k] = y.stop[evRows[k]!]!;
  const { rank } = rankValues(evTimes);
  const rankByRow = new Int32Array(n);
  for (let k = 0; k < m; k++) rankByRow[evRows[k]!] = rank[k]!;
  let sorted = countingSort(evRows, rankByRow, m + 2);
  const sOf = new Int32Array(n);
  if (strata) for (let i = 0; i < n; i++) sOf[i] = strata[i]!;
  sorted = countingSort(sorted, sOf, nstrata);
  const bounds = new Int32Array(nstrata + 1);
  for (let k = 0; k < m; k++) bounds[sOf[sorted[k]!]! + 1]!++;
  for (let s = 0; s < nstrata; s++) bounds[s + 1]! += bounds[s]!;
  const times = new Float64Array(m);
  for (let k = 0; k < m; k++) times[k] = y.stop[sorted[k]!]!;
  const used = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = sOf[i]!;
    // first event time of stratum s that is > start
    const lo = upperBound(times, start[i]!, bounds[s]!, bounds[s + 1]!);
    if (lo < bounds[s + 1]! && times[lo]! <= y.stop[i]!) used[i] = 1;
  }
  return used;
}

/** Sorts, centres and scales once; every Newton iteration then sweeps these arrays. */
export function prepareCoxData(x: DesignMatrix, y: SurvivalData, options: CoxInputOptions = {}): CoxData {
  const n = y.n;
  const p = x.p;
  const strata = options.strata ?? null;
  const nstrata = numberOfStrata(strata, n);
  const counting = y.start !== null;
  const wIn = options.weights ?? null;

  let rows: Int32Array;
  if (counting) {
    const used = usedRows(y, strata, nstrata);
    let m = 0;
    for (let i = 0; i < n; i++) m += used[i]!;
    rows = new Int32Array(m);
    m = 0;
    for (let i = 0; i < n; i++) if (used[i]) rows[m++] = i;
  } else {
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
  }
  const stopRank = rankValues(y.stop);
  let order = countingSort(rows, stopRank.rank, stopRank.unique.length + 1, true);
  const sOf = strata ?? new Int32Array(n);
  if (strata) order = countingSort(order, sOf, nstrata);
  const nused = order.length;

  const stratumStart = new Int32Array(nstrata + 1);
  for (let k = 0; k < nused; k++) stratumStart[sOf[order[k]!]! + 1]!++;
  for (let s = 0; s < nstrata; s++) stratumStart[s + 1]! += stratumStart[s]!;

  const stop = new Float64Array(nused);
  const event = new Uint8Array(nused);
  const weight = new Float64Array(nused);
  const start = counting ? new Float64Array(nused) : null;
  let nevent = 0;
  for (let k = 0; k < nused; k++) {
    const r = order[k]!;
    stop[k] = y.stop[r]!;
    event[k] = y.event[r]!;
    weight[k] = wIn ? wIn[r]! : 1;
    if (start) start[k] = y.start![r]!;
  }
  for (let i = 0; i < n; i++) nevent += y.event[i]!;

  let startOrder: Int32Array | null = null;
  if (counting) {
    const pos = new Int32Array(nused);
    for (let k = 0; k < nused; k++) pos[k] = k;
    const startRank = rankValues(start!);
    startOrder = countingSort(pos, startRank.rank, startRank.unique.length + 1, true);
    const sPos = new Int32Array(nused);
    for (let k = 0; k < nused; k++) sPos[k] = sOf[order[k]!]!;
    startOrder = countingSort(startOrder, sPos, nstrata);
  }

  const centre = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  const means = new Float64Array(p);
  const xs = new Float64Array(nused * p);
  let sumw = 0;
  for (let k = 0; k < nused; k++) sumw += weight[k]!;
  // Scatter the covariates into sorted row-major order: the input columns are read
  // sequentially and each row is written as one contiguous block (cache friendly at 10^6 rows).
  const position = new Int32Array(n).fill(-1);
  for (let k = 0; k < nused; k++) position[order[k]!] = k;
  for (let i = 0; i < n; i++) {
    const k = position[i]!;
    if (k < 0) continue;
    const base = k * p;
    for (let j = 0; j < p; j++) xs[base + j] = x.columns[j]![i]!;
  }
  const shifted = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    const col = x.columns[j]!;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v !== 0 && v !== 1 && v !== -1) {
        shifted[j] = 1;
        break;
      }
    }
  }
  // centres: one sequential pass over the rows for all columns
  if (counting) {
    // agfit4.c effectively centres on the first sorted row's value; R's means are colMeans(x).
    for (let j = 0; j < p; j++) {
      if (!shifted[j]) continue;
      centre[j] = xs[j]!;
      const col = x.columns[j]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += col[i]!;
      means[j] = s / n;
    }
  } else {
    const sums = new Float64Array(p);
    for (let k = 0; k < nused; k++) {
      const w = weight[k]!;
      const base = k * p;
      for (let j = 0; j < p; j++) sums[j]! += w * xs[base + j]!;
    }
    for (let j = 0; j < p; j++) {
      if (!shifted[j]) continue;
      centre[j] = sums[j]! / sumw;
      means[j] = centre[j]!;
    }
  }
  const absdev = new Float64Array(p);
  for (let k = 0; k < nused; k++) {
    const w = weight[k]!;
    const base = k * p;
    for (let j = 0; j < p; j++) absdev[j]! += w * Math.abs(xs[base + j]! - centre[j]!);
  }
  for (let j = 0; j < p; j++) if (shifted[j]) scale[j] = absdev[j]! > 0 ? sumw / absdev[j]! : 1;
  for (let k = 0; k < nused; k++) {
    const base = k * p;
    for (let j = 0; j < p; j++) if (shifted[j]) xs[base + j] = (xs[base + j]! - centre[j]!) * scale[j]!;
  }

  return { n, p, nused, counting, order, x: xs, stop, start, event, weight, stratumStart, startOrder, centre, scale, means, nevent };
}
