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

/** Fenwick (binary indexed) tree over ranks 1..m, plus the weight at each rank. */
class RankTree {
  readonly fen: Float64Array;
  readonly node: Float64Array;
  total = 0;
  constructor(readonly m: number) {
    this.fen = new Float64Array(m + 1);
    this.node = new Float64Array(m + 1);
  }
  add(r: number, w: number): void {
    this.node[r]! += w;
    this.total += w;
    for (let i = r; i <= this.m; i += i & -i) this.fen[i]! += w;
  }
  prefix(r: number): number {
    let s = 0;
    for (let i = r; i > 0; i -= i & -i) s += this.fen[i]!;
    return s;
  }
  /** [weight with larger rank, smaller rank, equal rank]. */
  walk(r: number, out: Float64Array): void {
    const below = this.prefix(r - 1);
    const tied = this.node[r]!;
    out[0] = this.total - below - tied;
    out[1] = below;
    out[2] = tied;
  }
}

/** Counts and influence (5 columns: concordant, discordant, tied.x, tied.y, tied.xy) for one stratum. */
function countStratum(
  rows: Int32Array,
  y: SurvivalData,
  xrank: Int32Array,
  nrank: number,
  w: Float64Array,
  count: Float64Array,
  imat: Float64Array,
): void {
  const m = rows.length;
  const n = y.n;
  const stop = y.stop;
  const status = y.event;
  // R's order(-stop, status, x): by stop descending, censored first, then x ascending
  const sub = new Float64Array(m);
  for (let k = 0; k < m; k++) sub[k] = stop[rows[k]!]!;
  const stopRank = rankValues(sub);
  const stopKey = new Int32Array(n);
  for (let k = 0; k < m; k++) stopKey[rows[k]!] = stopRank.rank[k]!;
  let ord = countingSort(rows, xrank, nrank + 1);
  ord = countingSort(ord, status, 2);
  ord = countingSort(ord, stopKey, stopRank.unique.length + 1, true);
  let startOrd: Int32Array | null = null;
  const start = y.start;
  if (start) {
    for (let k = 0; k < m; k++) sub[k] = start[rows[k]!]!;
    const startRank = rankValues(sub);
    const startKey = new Int32Array(n);
    for (let k = 0; k < m; k++) startKey[rows[k]!] = startRank.rank[k]!;
    startOrd = countingSort(rows, startKey, startRank.unique.length + 1, true);
  }
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
    const inv = new Int32Array(n);
    for (let k = 0; k < m; k++) inv[ord[k]!] = k;
    startPos = new Int32Array(m);
    startVal = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      startPos[k] = inv[startOrd[k]!]!;
      startVal[k] = start![startOrd[k]!]!;
    }
  }
  const tree = new RankTree(nrank);
  const dtree = new RankTree(nrank);
  const ws = new Float64Array(3);
  // local influence columns: concordant, discordant, tied.x, tied.y, tied.xy at offsets c*m
  const loc = new Float64Array(5 * m);
  const C1 = m;
  const C2 = 2 * m;
  const C3 = 3 * m;
  const C4 = 4 * m;
  let i2 = 0;
  for (let i = 0; i < m; ) {
    if (ev[i] === 0) {
      dtree.walk(xr[i]!, ws);
      loc[i]! -= ws[1]!;
      loc[C1 + i]! -= ws[0]!;
      loc[C2 + i]! -= ws[2]!;
      tree.add(xr[i]!, wk[i]!);
      i++;
      continue;
    }
    const dtime = tk[i]!;
    if (startPos) {
      for (; i2 < m && startVal![i2]! >= dtime; i2++) {
        const q = startPos[i2]!;
        dtree.walk(xr[q]!, ws);
        loc[q]! += ws[1]!;
        loc[C1 + q]! += ws[0]!;
        loc[C2 + q]! += ws[2]!;
        tree.add(xr[q]!, -wk[q]!);
      }
    }
    // pass 1: the tied deaths at dtime against everyone at risk with a later time
    let j = i;
    let dwt = 0;
    let dwt2 = 0;
    let xsave = xr[i]!;
    let j2 = i;
    for (; j < m && tk[j] === dtime; j++) {
      const wj = wk[j]!;
      count[3]! += wj * dwt;
      dwt += wj;
      if (xr[j] !== xsave) {
        // close the previous group tied on both time and x
        if (wk[j2]! < dwt2) {
          for (; j2 < j; j2++) {
            loc[C4 + j2]! += dwt2 - wk[j2]!;
            loc[C3 + j2]! -= dwt2 - wk[j2]!;
          }
        }
        j2 = j;
        dwt2 = 0;
        xsave = xr[j]!;
      }
      count[4]! += wj * dwt2;
      dwt2 += wj;
      tree.walk(xr[j]!, ws);
      count[0]! += wj * ws[0]!;
      count[1]! += wj * ws[1]!;
      count[2]! += wj * ws[2]!;
      loc[j]! += ws[0]!;
      loc[C1 + j]! += ws[1]!;
      loc[C2 + j]! += ws[2]!;
      dtree.add(xr[j]!, wj);
    }
    if (wk[j2]! < dwt2) {
      for (; j2 < j; j2++) {
        loc[C4 + j2]! += dwt2 - wk[j2]!;
        loc[C3 + j2]! -= dwt2 - wk[j2]!;
      }
    }
    // pass 2: influence bookkeeping for the deaths, then they join the risk tree
    for (let k = i; k < j; k++) {
      dtree.walk(xr[k]!, ws);
      loc[k]! -= ws[1]!;
      loc[C1 + k]! -= ws[0]!;
      loc[C2 + k]! -= ws[2]!;
      loc[C3 + k]! += dwt - wk[k]!;
      tree.add(xr[k]!, wk[k]!);
    }
    i = j;
  }
  // rows still in the tree: add the events that happened (earlier in time) after they entered
  for (let k = startPos ? i2 : 0; k < m; k++) {
    const q = startPos ? startPos[k]! : k;
    dtree.walk(xr[q]!, ws);
    loc[q]! += ws[1]!;
    loc[C1 + q]! += ws[0]!;
    loc[C2 + q]! += ws[2]!;
  }
  for (let c = 0; c < 5; c++) for (let k = 0; k < m; k++) imat[c * n + ord[k]!]! += loc[c * m + k]!;
}

/** R's concordancefit(y, x, strata, weights, cluster, reverse, timefix = FALSE). */
export function concordance(y: SurvivalData, x: Float64Array, options: ConcordanceOptions = {}): Concordance {
  const n = y.n;
  const wt = options.weights ?? null;
  const w = wt ?? new Float64Array(n).fill(1);
  const strata = options.strata ?? null;
  const { rank: xrank, unique } = rankValues(x);
  const nrank = unique.length;
  const count = new Float64Array(5);
  const imat = new Float64Array(5 * n);
  let nstrata = 1;
  if (strata) for (let i = 0; i < n; i++) if (strata[i]! + 1 > nstrata) nstrata = strata[i]! + 1;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const groups: Int32Array[] = [];
  if (strata && nstrata > 1) {
    const sorted = countingSort(all, strata, nstrata);
    let lo = 0;
    for (let i = 1; i <= n; i++) {
      if (i === n || strata[sorted[i]!] !== strata[sorted[lo]!]) {
        groups.push(sorted.slice(lo, i));
        lo = i;
      }
    }
  } else groups.push(all);
  for (const rows of groups) {
    let events = 0;
    for (let k = 0; k < rows.length; k++) events += y.event[rows[k]!]!;
    if (events > 0) countStratum(rows, y, xrank, nrank, w, count, imat);
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
