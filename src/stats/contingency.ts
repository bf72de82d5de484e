/**
 * Tests of association for Table 1: Pearson's chi-square (R's chisq.test), Fisher's exact test
 * for 2 x 2 tables (R's fisher.test), and the Kruskal–Wallis rank-sum test (R's kruskal.test).
 *
 * Inputs: a contingency table as rows of counts (r x c), or values with 0-based group codes.
 * Outputs: { statistic, df, p } (Fisher: { p, oddsRatio: null }).
 * Method: chisq.test's defaults: Yates' continuity correction for 2 x 2 tables only,
 * min(0.5, |O - E|) per cell; rows/columns with zero margin are dropped first (R would
 * return NaN; a Table 1 level with no patients simply has no information). Fisher 2 x 2:
 * two-sided p sums the hypergeometric probabilities no larger than the observed one, with R's
 * relative tolerance 1 + 1e-7. Kruskal–Wallis uses mid-ranks and R's tie correction.
 * Reference: R stats::chisq.test, fisher.test, kruskal.test; Agresti (2002) 3.5.
 */
import { chiSquareSurvival } from './distributions.js';

export interface TestResult {
  statistic: number;
  df: number;
  p: number;
}

/** Pearson's chi-square test of independence; Yates-corrected for 2 x 2 (R's default). */
export function chiSquareTest(table: number[][]): TestResult {
  const rows = table.filter((r) => r.reduce((a, b) => a + b, 0) > 0);
  const ncol = rows[0]?.length ?? 0;
  const keepCols = Array.from({ length: ncol }, (_, j) => j).filter((j) => rows.some((r) => r[j]! > 0));
  const t = rows.map((r) => keepCols.map((j) => r[j]!));
  const nr = t.length;
  const nc = keepCols.length;
  if (nr < 2 || nc < 2) return { statistic: NaN, df: NaN, p: NaN };
  const rowSum = t.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = keepCols.map((_, j) => t.reduce((a, r) => a + r[j]!, 0));
  const total = rowSum.reduce((a, b) => a + b, 0);
  const yates = nr === 2 && nc === 2;
  let x2 = 0;
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      const e = (rowSum[i]! * colSum[j]!) / total;
      let d = Math.abs(t[i]![j]! - e);
      if (yates) d -= Math.min(0.5, d);
      x2 += (d * d) / e;
    }
  }
  const df = (nr - 1) * (nc - 1);
  return { statistic: x2, df, p: chiSquareSurvival(x2, df) };
}

/** Smallest expected cell count of a table (after dropping empty margins). */
export function minExpectedCount(table: number[][]): number {
  const rowSum = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = (table[0] ?? []).map((_, j) => table.reduce((a, r) => a + r[j]!, 0));
  const total = rowSum.reduce((a, b) => a + b, 0);
  let min = Infinity;
  for (const rs of rowSum) for (const cs of colSum) if (rs > 0 && cs > 0) min = Math.min(min, (rs * cs) / total);
  return min;
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const LOG_FACTORIAL: number[] = [0];
function logFactorial(n: number): number {
  for (let k = LOG_FACTORIAL.length; k <= n; k++) LOG_FACTORIAL.push(LOG_FACTORIAL[k - 1]! + Math.log(k));
  return LOG_FACTORIAL[n]!;
}

/** Fisher's exact test, two-sided, for a 2 x 2 table [[a, b], [c, d]]. */
export function fisherExact2x2(table: number[][]): { p: number } {
  const a = table[0]![0]!, b = table[0]![1]!, c = table[1]![0]!, d = table[1]![1]!;
  const m = a + c; // first column total
  const n = b + d;
  const k = a + b; // first row total
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const logDens = (x: number): number => logChoose(m, x) + logChoose(n, k - x) - logChoose(m + n, k);
  const observed = logDens(a);
  let p = 0;
  const relErr = 1 + 1e-7;
  for (let x = lo; x <= hi; x++) {
    const ld = logDens(x);
    if (ld <= observed + Math.log(relErr)) p += Math.exp(ld);
  }
  return { p: Math.min(1, p) };
}

/** Kruskal–Wallis rank-sum test; NaN values are ignored, as R's kruskal.test drops NA. */
export function kruskalWallis(values: ArrayLike<number>, groups: ArrayLike<number>, ngroups: number): TestResult {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!) && groups[i]! >= 0) idx.push(i);
  idx.sort((i, j) => values[i]! - values[j]!);
  const n = idx.length;
  const rankSum = new Float64Array(ngroups);
  const count = new Float64Array(ngroups);
  let ties = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && values[idx[e + 1]!] === values[idx[s]!]) e++;
    const rank = (s + e + 2) / 2;
    const t = e - s + 1;
    ties += t * t * t - t;
    for (let k = s; k <= e; k++) {
      const g = groups[idx[k]!]!;
      rankSum[g]! += rank;
      count[g]! += 1;
    }
    s = e + 1;
  }
  let h = 0;
  let k = 0;
  for (let g = 0; g < ngroups; g++) {
    if (count[g]! === 0) continue;
    k++;
    h += (rankSum[g]! * rankSum[g]!) / count[g]!;
  }
  h = (12 / (n * (n + 1))) * h - 3 * (n + 1);
  h /= 1 - ties / (n * n * n - n);
  const df = k - 1;
  return { statistic: h, df, p: df > 0 ? chiSquareSurvival(h, df) : NaN };
}
