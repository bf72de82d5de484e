/**
 * Harrell's concordance for survival data with its infinitesimal-jackknife variance, as R's
 * survival::concordancefit (timewt = "n", the default, which coxph uses for fit$concordance).
 *
 * Inputs: SurvivalData (right-censored or (start, stop]), a risk score x per row, optional
 *   0-based strata, case weights, cluster codes, and `reverse` (TRUE for a Cox linear
 *   predictor, where a larger score means shorter survival).
 * Outputs: weighted counts of concordant, discordant, tied-on-x, tied-on-y and tied-on-both
 *   pairs, the concordance (concordant + tied.x/2) / (concordant + discordant + tied.x), and
 *   the variance sum(dfbeta^2)/4, dfbeta being each row's (or cluster's) influence on Somers' d.
 * Method: a pair is comparable when one row has an event at time t while the other is still
 *   at risk (stop > t, or censored at t; tied event times count as tied.y). Rows are walked by
 *   descending time (censored before events at equal times) and entered into a Fenwick tree
 *   over the ranks of x; at each event time the tree gives, for each dying row, the weight at
 *   risk with larger, smaller or equal x in O(log n). For counting-process data rows leave the
 *   tree when the walk reaches their start time. The influence of each row uses a second tree
 *   of the events seen so far: its value when a row enters is subtracted and its final (or
 *   exit-time) value added, giving the events the row was compared against as a non-event.
 *   Strata are handled separately and their counts summed (R does the same, or an equivalent
 *   time shift for more than 10 strata). O(n log n) overall.
 * Reference: Therneau & Atkinson, "The concordance statistic", survival vignette; survival
 *   R/concordance.R and src/concordance3.c.
 */
import { countingSort, rankValues } from './cox-data.js';
import { sortRowsByKey } from './radix-order.js';
import type { SurvivalData } from '../core/types.js';

export interface ConcordanceOptions {
  strata?: Int32Array | null;
  weights?: Float64Array | null;
  cluster?: Int32Array | null;
  /** TRUE when larger x predicts shorter survival (Cox linear predictor). */
  reverse?: boolean;
}

export interface Concordance {
  concordant: number;
  discordant: number;
  tiedRisk: number;
  tiedTime: number;
  tiedBoth: number;
  concordance: number;
  variance: number;
  /** Per-row (or per-cluster, indexed by cluster code) influence on Somers' d (R's dfbeta before /2). */
  dfbeta: Float64Array;
}

/**
 * Fenwick (binary indexed) tree over ranks 1..m, plus the weight at each rank. The risk-set
 * tree and the events tree share one array, interleaved by rank ([tree sum, tree weight,
 * events sum, events weight] per rank), because a row's operations on both trees walk the
 * same ranks: one cache miss serves both. `offset` is 0 or 2.
 */
class RankTree {
  total = 0;
  constructor(readonly buf: Float64Array, readonly offset: number, readonly m: number) {}
  add(r: number, w: number): void {
    const buf = this.buf;
    const off = this.offset;
    buf[4 * r + off + 1]! += w;
    this.total += w;
    for (let i = r; i <= this.m; i += i & -i) buf[4 * i + off]! += w;
  }
  prefix(r: number): number {
    const buf = this.buf;
    const off = this.offset;
    let s = 0;
    for (let i = r; i > 0; i -= i & -i) s += buf[4 * i + off]!;
    return s;
  }
  /** [weight with larger rank, smaller rank, equal rank]. */
  walk(r: number, out: Float64Array): void {
    const below = this.prefix(r - 1);
    const tied = this.buf[4 * r + this.offset + 1]!;
    out[0] = this.total - below - tied;
    out[1] = below;
    out[2] = tied;
  }
}

/**
 * Counts and influence (3 columns: concordant, discordant, tied.x, at imat[c * n + row]) for
 * one stratum. `byX` holds the stratum's rows by x ascending (ties by row index), `byIndex`
 * the same rows by row index.
 */
function countStratum(
  byX: Int32Array,
  byIndex: Int32Array,
  y: SurvivalData,
  xrank: Int32Array,
  nrank: number,
  w: Float64Array,
  count: Float64Array,
  imat: Float64Array,
  positionOf: Int32Array | null,
): void {
  const m = byX.length;
  const n = y.n;
  const stop = y.stop;
  const status = y.event;
  // R's order(-stop, status, x): stable sorts of the x order by status, then by stop descending
  const ord = sortRowsByKey(countingSort(byX, status, 2), stop, true);
  let startOrd: Int32Array | null = null;
  const start = y.start;
  if (start) startOrd = sortRowsByKey(byIndex, start, true);
  // Work in sorted-position space so the per-row arrays are read and written sequentially;
  // only the two rank trees are accessed at random.
  const xr = new Int32Array(m);
  const wk = new Float64Array(m);
  const ev = new Uint8Array(m);
  const tk = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const r = ord[k]!;
    xr[k] = xrank[r]!;
    wk[k] = w[r]!;
    ev[k] = status[r]!;
    tk[k] = stop[r]!;
  }
  let startPos: Int32Array | null = null;
  let startVal: Float64Array | null = null;
  if (startOrd) {
    // positionOf: row -> sorted position (a scratch array of length n shared by the strata;
    // each stratum writes only its own rows)
    for (let k = 0; k < m; k++) positionOf![ord[k]!] = k;
    startPos = new Int32Array(m);
    startVal = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      startPos[k] = positionOf![startOrd[k]!]!;
      startVal[k] = start![startOrd[k]!]!;
    }
  }
  const trees = new Float64Array(4 * (nrank + 1));
  const tree = new RankTree(trees, 0, nrank);
  const dtree = new RankTree(trees, 2, nrank);
  const ws = new Float64Array(3);
  // influence of each sorted position on concordant, discordant, tied.x: loc[3 k + c]. (R also
  // keeps tied.y and tied.xy columns; the variance does not use them.)
  const loc = new Float64Array(3 * m);
  let i2 = 0;
  for (let i = 0; i < m; ) {
    if (ev[i] === 0) {
      dtree.walk(xr[i]!, ws);
      loc[3 * i]! -= ws[1]!;
      loc[3 * i + 1]! -= ws[0]!;
      loc[3 * i + 2]! -= ws[2]!;
      tree.add(xr[i]!, wk[i]!);
      i++;
      continue;
    }
    const dtime = tk[i]!;
    if (startPos) {
      for (; i2 < m && startVal![i2]! >= dtime; i2++) {
        const q = startPos[i2]!;
        dtree.walk(xr[q]!, ws);
        loc[3 * q]! += ws[1]!;
        loc[3 * q + 1]! += ws[0]!;
        loc[3 * q + 2]! += ws[2]!;
        tree.add(xr[q]!, -wk[q]!);
      }
    }
    // pass 1: the tied deaths at dtime against everyone at risk with a later time
    let j = i;
    let dwt = 0;
    let dwt2 = 0;
    let xsave = xr[i]!;
    for (; j < m && tk[j] === dtime; j++) {
      const wj = wk[j]!;
      count[3]! += wj * dwt;
      dwt += wj;
      if (xr[j] !== xsave) {
        // a new group tied on both time and x
        dwt2 = 0;
        xsave = xr[j]!;
      }
      count[4]! += wj * dwt2;
      dwt2 += wj;
      tree.walk(xr[j]!, ws);
      count[0]! += wj * ws[0]!;
      count[1]! += wj * ws[1]!;
      count[2]! += wj * ws[2]!;
      loc[3 * j]! += ws[0]!;
      loc[3 * j + 1]! += ws[1]!;
      loc[3 * j + 2]! += ws[2]!;
      dtree.add(xr[j]!, wj);
    }
    // pass 2: influence bookkeeping for the deaths, then they join the risk tree
    for (let k = i; k < j; k++) {
      dtree.walk(xr[k]!, ws);
      loc[3 * k]! -= ws[1]!;
      loc[3 * k + 1]! -= ws[0]!;
      loc[3 * k + 2]! -= ws[2]!;
      tree.add(xr[k]!, wk[k]!);
    }
    i = j;
  }
  // rows still in the tree: add the events that happened (earlier in time) after they entered
  for (let k = startPos ? i2 : 0; k < m; k++) {
    const q = startPos ? startPos[k]! : k;
    dtree.walk(xr[q]!, ws);
    loc[3 * q]! += ws[1]!;
    loc[3 * q + 1]! += ws[0]!;
    loc[3 * q + 2]! += ws[2]!;
  }
  for (let k = 0; k < m; k++) {
    const r = ord[k]!;
    imat[r]! += loc[3 * k]!;
    imat[n + r]! += loc[3 * k + 1]!;
    imat[2 * n + r]! += loc[3 * k + 2]!;
  }
}

/** R's concordancefit(y, x, strata, weights, cluster, reverse, timefix = FALSE). */
export function concordance(y: SurvivalData, x: Float64Array, options: ConcordanceOptions = {}): Concordance {
  const n = y.n;
  const wt = options.weights ?? null;
  const w = wt ?? new Float64Array(n).fill(1);
  const strata = options.strata ?? null;
  const { rank: xrank, unique, order: xOrder } = rankValues(x);
  const nrank = unique.length;
  const count = new Float64Array(5);
  const imat = new Float64Array(3 * n);
  let nstrata = 1;
  if (strata) for (let i = 0; i < n; i++) if (strata[i]! + 1 > nstrata) nstrata = strata[i]! + 1;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  // each stratum's rows by x and by index (counting sorts by stratum keep both orders)
  const groups: { byX: Int32Array; byIndex: Int32Array }[] = [];
  if (strata && nstrata > 1) {
    const byIndex = countingSort(all, strata, nstrata);
    const byX = countingSort(xOrder, strata, nstrata);
    let lo = 0;
    for (let i = 1; i <= n; i++) {
      if (i === n || strata[byIndex[i]!] !== strata[byIndex[lo]!]) {
        groups.push({ byX: byX.subarray(lo, i), byIndex: byIndex.subarray(lo, i) });
        lo = i;
      }
    }
  } else groups.push({ byX: xOrder, byIndex: all });
  const positionOf = y.start ? new Int32Array(n) : null;
  for (const { byX, byIndex } of groups) {
    let events = 0;
    for (let k = 0; k < byIndex.length; k++) events += y.event[byIndex[k]!]!;
    if (events > 0) countStratum(byX, byIndex, y, xrank, nrank, w, count, imat, positionOf);
  }
  count[3]! -= count[4]!;
  const npair = count[0]! + count[1]! + count[2]!;
  const somer = (count[0]! - count[1]!) / npair;
  const cluster = options.cluster ?? null;
  let ncl = n;
  if (cluster) {
    ncl = 0;
    for (let i = 0; i < n; i++) if (cluster[i]! + 1 > ncl) ncl = cluster[i]! + 1;
  }
  const dfbeta = new Float64Array(ncl);
  for (let i = 0; i < n; i++) {
    const w = wt ? wt[i]! : 1;
    const v = w * ((imat[i]! - imat[n + i]!) / npair - (somer / npair) * (imat[i]! + imat[n + i]! + imat[2 * n + i]!));
    dfbeta[cluster ? cluster[i]! : i]! += v;
  }
  let variance = 0;
  for (let k = 0; k < ncl; k++) variance += dfbeta[k]! * dfbeta[k]!;
  variance /= 4;
  let c = (somer + 1) / 2;
  let concordant = count[0]!;
  let discordant = count[1]!;
  if (options.reverse) {
    c = 1 - c;
    [concordant, discordant] = [discordant, concordant];
    for (let k = 0; k < ncl; k++) dfbeta[k] = -dfbeta[k]!;
  }
  return { concordant, discordant, tiedRisk: count[2]!, tiedTime: count[3]!, tiedBoth: count[4]!, concordance: c, variance, dfbeta };
}
