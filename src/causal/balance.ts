/**
 * Covariate balance between treated and control units before and after weighting or matching,
 * with cobalt::bal.tab's definitions.
 *
 * Inputs:  covariates (name, values, binary flag; a factor enters as one 0/1 indicator per
 *          level, see expandCovariates), treated (0/1), weights (IPTW or MatchIt weights; null =
 *          none), estimand (ATT, ATE or ATO).
 * Outputs: one BalanceRow per covariate (means by group before and after, standardized mean
 *          differences, variance ratios) and Kish effective sample sizes per group.
 * Method:  SMD = (weighted mean treated - weighted mean control) / s, where the denominator s is
 *          ALWAYS computed from the unweighted (before-adjustment) sample, so before and after
 *          are on one scale (cobalt's default): ATT -> the treated group's SD; ATE and ATO ->
 *          sqrt((s1^2 + s0^2) / 2). A binary variable's SD is sqrt(p (1 - p)); a continuous
 *          one's the n - 1 SD.
 *          Binary covariates are STANDARDIZED too (cobalt's binary = "std", not its default
 *          "raw" difference in proportions), so every row can be read against the usual |SMD| <
 *          0.1 threshold; `rawDifferenceAfter` gives cobalt's default for binary rows.
 *          Variance ratio (continuous only, NaN for binary): weighted variance treated / weighted
 *          variance control, with weighted variance sum w (x - m)^2 x sum w / ((sum w)^2 - sum w^2)
 *          (the n - 1 variance when unweighted). Units with weight 0 (unmatched) drop out.
 * Reference: Greifer N, cobalt: Covariate Balance Tables and Plots (bal.tab, col_w_smd,
 *          col_w_sd); Austin PC (2009) Stat Med 28:3083; checked against the base-R formulas in
 *          reference/r/weighting.R.
 */
import { InputError, SpecificationError } from '../core/errors.js';
import type { DataTable } from '../core/types.js';
import { effectiveSampleSize, type Estimand } from './weighting.js';

/** |SMD| above this is flagged as imbalance (Austin 2009, Stat Med 28:3083). */
export const SMD_THRESHOLD = 0.1;

export interface BalanceCovariate {
  name: string;
  values: Float64Array;
  binary: boolean;
}

export interface BalanceRow {
  variable: string;
  type: 'continuous' | 'binary';
  meanTreatedBefore: number;
  meanControlBefore: number;
  meanTreatedAfter: number;
  meanControlAfter: number;
  smdBefore: number;
  smdAfter: number;
  /** Weighted treated mean minus control mean (cobalt's binary = "raw" value). */
  rawDifferenceAfter: number;
  varianceRatioBefore: number;
  varianceRatioAfter: number;
}

export interface BalanceTable {
  rows: BalanceRow[];
  ess: { treatedBefore: number; controlBefore: number; treatedAfter: number; controlAfter: number };
}

interface Moments { mean: number; variance: number }

/** Weighted mean and variance of x over units with group membership g (w null = unweighted). */
function moments(x: Float64Array, treated: Uint8Array, group: number, w: Float64Array | null, binary: boolean): Moments {
  let sw = 0, sw2 = 0, swx = 0;
  for (let i = 0; i < x.length; i++) {
    if (treated[i] !== group) continue;
    const wi = w ? w[i]! : 1;
    sw += wi;
    sw2 += wi * wi;
    swx += wi * x[i]!;
  }
  const mean = swx / sw;
  if (binary) return { mean, variance: mean * (1 - mean) };
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    if (treated[i] !== group) continue;
    const wi = w ? w[i]! : 1;
    ss += wi * (x[i]! - mean) ** 2;
  }
  return { mean, variance: (ss * sw) / (sw * sw - sw2) };
}

/**
 * cobalt-style balance table.
 *
 * @example
 *   const b = balanceTable([{ name: 'age', values: age, binary: false }], treated, w, 'ATE');
 *   b.rows[0].smdAfter
 */
export function balanceTable(covariates: BalanceCovariate[], treated: Uint8Array, weights: Float64Array | null, estimand: Estimand | 'ATT'): BalanceTable {
  const n = treated.length;
  if (!['ATE', 'ATT', 'ATO'].includes(estimand)) throw new SpecificationError(`estimand must be ATE, ATT or ATO, not ${estimand}`);
  for (let i = 0; i < n; i++) {
    if (treated[i]! > 1) throw new InputError('treatment must be 0 or 1', { row: i + 1, column: 'treatment', value: String(treated[i]) });
    if (weights && !(weights[i]! >= 0 && Number.isFinite(weights[i]!))) throw new InputError('weights must be finite and >= 0', { row: i + 1, column: 'weights', value: String(weights[i]) });
  }
  const rows = covariates.map((cv): BalanceRow => {
    if (cv.values.length !== n) throw new InputError(`covariate ${cv.name} has ${cv.values.length} values but there are ${n} units`, { column: cv.name });
    const t0 = moments(cv.values, treated, 1, null, cv.binary);
    const c0 = moments(cv.values, treated, 0, null, cv.binary);
    const t1 = weights ? moments(cv.values, treated, 1, weights, cv.binary) : t0;
    const c1 = weights ? moments(cv.values, treated, 0, weights, cv.binary) : c0;
    const sd = estimand === 'ATT' ? Math.sqrt(t0.variance) : Math.sqrt((t0.variance + c0.variance) / 2);
    const smd = (a: number, b: number): number => (sd === 0 ? (a === b ? 0 : NaN) : (a - b) / sd);
    // The weighted variances for the ratio use the continuous formula whatever the type.
    const vr = (w: Float64Array | null): number => moments(cv.values, treated, 1, w, false).variance / moments(cv.values, treated, 0, w, false).variance;
    return {
      variable: cv.name,
      type: cv.binary ? 'binary' : 'continuous',
      meanTreatedBefore: t0.mean,
      meanControlBefore: c0.mean,
      meanTreatedAfter: t1.mean,
      meanControlAfter: c1.mean,
      smdBefore: smd(t0.mean, c0.mean),
      smdAfter: smd(t1.mean, c1.mean),
      rawDifferenceAfter: t1.mean - c1.mean,
      varianceRatioBefore: cv.binary ? NaN : vr(null),
      varianceRatioAfter: cv.binary ? NaN : vr(weights),
    };
  });
  const isTreated = Uint8Array.from(treated, (t) => (t === 1 ? 1 : 0));
  const isControl = Uint8Array.from(treated, (t) => (t === 0 ? 1 : 0));
  const ones = new Float64Array(n).fill(1);
  const w = weights ?? ones;
  return {
    rows,
    ess: {
      treatedBefore: effectiveSampleSize(ones, isTreated),
      controlBefore: effectiveSampleSize(ones, isControl),
      treatedAfter: effectiveSampleSize(w, isTreated),
      controlAfter: effectiveSampleSize(w, isControl),
    },
  };
}

/**
 * Covariates for balanceTable from table columns, restricted to `rows` (the model frame's kept
 * rows): a text column, or any column listed in `factors`, becomes one 0/1 indicator per level
 * (levels in sorted order, as R's factor(); named `var_level`); a number column whose values are
 * all 0 or 1 is binary; anything else is continuous.
 */
export function expandCovariates(table: DataTable, variables: string[], rows: Int32Array, factors: ReadonlySet<string> = new Set()): BalanceCovariate[] {
  const out: BalanceCovariate[] = [];
  for (const name of variables) {
    const col = table.columns.get(name);
    if (col === undefined) throw new SpecificationError(`no column named "${name}"`, { column: name, file: table.source });
    if (col.kind === 'string' || factors.has(name)) {
      const labels = Array.from(rows, (r) => (col.kind === 'string' ? col.values[r] : String(col.values[r])) ?? '');
      const levels = [...new Set(labels)];
      if (col.kind === 'string') levels.sort();
      else levels.sort((a, b) => Number(a) - Number(b));
      for (const level of levels) {
        out.push({ name: `${name}_${level}`, values: Float64Array.from(labels, (l) => (l === level ? 1 : 0)), binary: true });
      }
    } else {
      const values = Float64Array.from(rows, (r) => col.values[r]!);
      const binary = values.every((v) => v === 0 || v === 1);
      out.push({ name, values, binary });
    }
  }
  return out;
}
