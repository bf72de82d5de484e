/**
 * Gray's K-sample test for equality of cumulative incidence functions, per cause, optionally
 * stratified: R's cmprsk::cuminc(ftime, fstatus, group, strata, rho)$Tests.
 *
 * Inputs:  a CompetingRisksOutcome, a Grouping (K >= 2 groups), optional strata codes and the
 *          weight power rho (default 0).
 * Outputs: per cause: the score vector s for the first K - 1 groups, its variance V, the
 *          statistic s' V^-1 s, df = K - 1 and the chi-square p-value.
 * Method:  Gray (1988): at each failure time the score compares each group's subdistribution
 *          hazard of the cause with the pooled one, weighted by (1 - F(t-))^rho, and
 *          the variance is the asymptotic one of the paper (section 2), accumulated over the
 *          cause's failures (with the tie correction 1 - (d - 1)/(n - 1)) and the other causes'
 *          failures. Everything is computed within each stratum and the scores and variances
 *          summed over strata (crstm). Groups are coded in the Grouping's order (cmprsk: factor
 *          levels), so group K is the reference. A variance that is not of full rank gives
 *          statistic NaN (cmprsk reports -1).
 * Reference: Gray RJ (1988), A class of K-sample tests for comparing the cumulative incidence
 *          of a competing risk, Ann Statist 16:1141-1154; cmprsk 2.2 crstm / crst (crstm.f).
 */
import { chiSquareSurvival } from './distributions.js';
import { SpecificationError } from '../core/errors.js';
import { cholesky2, chsolve2 } from './linear-algebra.js';
import type { CompetingRisksOutcome } from './competing-risks-frame.js';
import type { Grouping } from './types.js';

export interface GrayTest {
  cause: number;
  statistic: number;
  df: number;
  p: number;
  /** Scores for groups 1..K-1. */
  score: Float64Array;
  /** (K-1) x (K-1) row-major. */
  variance: Float64Array;
}

export interface GrayTestOptions {
  strata?: Int32Array | null;
  rho?: number;
}

/** Scores and variance (lower triangle filled into a full matrix) within one stratum. */
function crst(time: Float64Array, mark: Uint8Array, group: Int32Array, rows: number[], ng: number, rho: number, s: Float64Array, v: Float64Array): void {
  const ng1 = ng - 1;
  const rs = new Float64Array(ng);
  for (const r of rows) rs[group[r]!]!++;
  const f1m = new Float64Array(ng);
  const f1 = new Float64Array(ng);
  const skmm = new Float64Array(ng).fill(1);
  const skm = new Float64Array(ng).fill(1);
  const v3 = new Float64Array(ng);
  const v2 = new Float64Array(ng1 * ng); // v2[i][k]
  const c = new Float64Array(ng * ng);
  const a = new Float64Array(ng * ng);
  const vl = new Float64Array(ng1 * ng1); // lower triangle used
  const sl = new Float64Array(ng1);
  const d = new Float64Array(3 * ng); // d[k * ng + g]: k = 0 censored, 1 cause, 2 other
  let fm = 0;
  let f = 0;
  const n = rows.length;
  let i = 0;
  while (i < n) {
    const t = time[rows[i]!]!;
    let j = i;
    d.fill(0);
    while (j < n && time[rows[j]!] === t) {
      d[mark[rows[j]!]! * ng + group[rows[j]!]!]!++;
      j++;
    }
    let nd1 = 0;
    let nd2 = 0;
    for (let g = 0; g < ng; g++) {
      nd1 += d[ng + g]!;
      nd2 += d[2 * ng + g]!;
    }
    if (nd1 > 0 || nd2 > 0) {
      let tr = 0;
      let tq = 0;
      for (let g = 0; g < ng; g++) {
        if (rs[g]! <= 0) continue;
        const td = d[ng + g]! + d[2 * ng + g]!;
        skm[g] = (skmm[g]! * (rs[g]! - td)) / rs[g]!;
        f1[g] = f1m[g]! + (skmm[g]! * d[ng + g]!) / rs[g]!;
        tr += rs[g]! / skmm[g]!;
        tq += (rs[g]! * (1 - f1m[g]!)) / skmm[g]!;
      }
      f = fm + nd1 / tr;
      const fb = Math.pow(1 - fm, rho);
      a.fill(0);
      for (let g = 0; g < ng; g++) {
        if (rs[g]! <= 0) continue;
        const t1 = rs[g]! / skmm[g]!;
        a[g * ng + g] = fb * t1 * (1 - t1 / tr);
        c[g * ng + g]! += (a[g * ng + g]! * nd1) / (tr * (1 - fm));
        for (let h = g + 1; h < ng; h++) {
          if (rs[h]! <= 0) continue;
          a[g * ng + h] = (-fb * t1 * rs[h]!) / (skmm[h]! * tr);
          c[g * ng + h]! += (a[g * ng + h]! * nd1) / (tr * (1 - fm));
        }
      }
      for (let g = 1; g < ng; g++) {
        for (let h = 0; h < g; h++) {
          a[g * ng + h] = a[h * ng + g]!;
          c[g * ng + h] = c[h * ng + g]!;
        }
      }
      for (let g = 0; g < ng1; g++) {
        if (rs[g]! <= 0) continue;
        sl[g]! += fb * (d[ng + g]! - (nd1 * rs[g]! * (1 - f1m[g]!)) / (skmm[g]! * tq));
      }
      if (nd1 > 0) {
        for (let k = 0; k < ng; k++) {
          if (rs[k]! <= 0) continue;
          const t4 = skm[k]! > 0 ? 1 - (1 - f) / skm[k]! : 1;
          const t5 = nd1 > 1 ? 1 - (nd1 - 1) / (tr * skmm[k]! - 1) : 1;
          const t3 = (t5 * skmm[k]! * nd1) / (tr * rs[k]!);
          v3[k]! += t4 * t4 * t3;
          for (let g = 0; g < ng1; g++) {
            const t1 = a[g * ng + k]! - t4 * c[g * ng + k]!;
            v2[g * ng + k]! += t1 * t4 * t3;
            for (let h = 0; h <= g; h++) {
              const t2 = a[h * ng + k]! - t4 * c[h * ng + k]!;
              vl[g * ng1 + h]! += t1 * t2 * t3;
            }
          }
        }
      }
      if (nd2 > 0) {
        for (let k = 0; k < ng; k++) {
          const dk = d[2 * ng + k]!;
          if (skm[k]! <= 0 || dk <= 0) continue;
          const t4 = (1 - f) / skm[k]!;
          const t5 = dk > 1 ? 1 - (dk - 1) / (rs[k]! - 1) : 1;
          const t3 = (t5 * skmm[k]! * skmm[k]! * dk) / (rs[k]! * rs[k]!);
          v3[k]! += t4 * t4 * t3;
          for (let g = 0; g < ng1; g++) {
            const t1 = t4 * c[g * ng + k]!;
            v2[g * ng + k]! -= t1 * t4 * t3;
            for (let h = 0; h <= g; h++) {
              const t2 = t4 * c[h * ng + k]!;
              vl[g * ng1 + h]! += t1 * t2 * t3;
            }
          }
        }
      }
    }
    if (j >= n) break;
    for (let r = i; r < j; r++) rs[group[rows[r]!]!]!--;
    fm = f;
    f1m.set(f1);
    skmm.set(skm);
    i = j;
  }
  for (let g = 0; g < ng1; g++) {
    for (let h = 0; h <= g; h++) {
      let x = vl[g * ng1 + h]!;
      for (let k = 0; k < ng; k++) x += c[g * ng + k]! * c[h * ng + k]! * v3[k]! + c[g * ng + k]! * v2[h * ng + k]! + c[h * ng + k]! * v2[g * ng + k]!;
      v[g * ng1 + h]! += x;
      if (h !== g) v[h * ng1 + g]! += x;
    }
    s[g]! += sl[g]!;
  }
}

/** cmprsk::cuminc(...)$Tests: one Gray test per cause. */
export function grayTest(y: CompetingRisksOutcome, groups: Grouping, options: GrayTestOptions = {}): GrayTest[] {
  const rho = options.rho ?? 0;
  if (!Number.isFinite(rho)) throw new SpecificationError('rho must be a finite number', { field: 'rho' });
  // cmprsk drops empty groups (factor levels with no rows)
  const used = [...new Set(groups.codes)].sort((p, q) => p - q);
  const ng = used.length;
  if (ng < 2) throw new SpecificationError("Gray's test needs at least two groups");
  const recode = new Map(used.map((g, i) => [g, i]));
  const group = Int32Array.from(groups.codes, (g) => recode.get(g)!);
  const strata = options.strata ?? null;
  const byStratum = new Map<number, number[]>();
  for (let i = 0; i < y.n; i++) {
    const k = strata ? strata[i]! : 0;
    let list = byStratum.get(k);
    if (!list) byStratum.set(k, (list = []));
    list.push(i);
  }
  for (const list of byStratum.values()) list.sort((p, q) => y.time[p]! - y.time[q]! || p - q);
  const ng1 = ng - 1;
  return y.causes.map((label, ci) => {
    const target = ci + 1;
    const mark = Uint8Array.from(y.cause, (c) => (c === 0 ? 0 : c === target ? 1 : 2));
    const s = new Float64Array(ng1);
    const v = new Float64Array(ng1 * ng1);
    for (const rows of byStratum.values()) crst(y.time, mark, group, rows, ng, rho, s, v);
    const chol = Float64Array.from(v);
    const rank = cholesky2(chol, ng1, 1e-7);
    let statistic = NaN;
    if (rank === ng1) {
      const b = Float64Array.from(s);
      chsolve2(chol, ng1, b);
      statistic = 0;
      for (let g = 0; g < ng1; g++) statistic += s[g]! * b[g]!;
    }
    return { cause: label, statistic, df: ng1, p: Number.isNaN(statistic) ? NaN : chiSquareSurvival(statistic, ng1), score: s, variance: v };
  });
}
