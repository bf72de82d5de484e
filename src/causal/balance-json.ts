/**
 * The JSON form of a covariate-balance table (balance.ts): the one serializer of balance
 * results, used by `oncosurv match --json` / `oncosurv weight --json` and by the study's
 * results.json (psm, iptw_ate, iptw_att). Formatting only: it reads the typed result.
 *
 * Inputs:  a BalanceTable.
 * Outputs: per covariate the SMDs, variance ratios (null where not defined: binary
 *          covariates, zero variance) and group means before and after, the effective sample
 *          sizes, the largest |SMD| after adjustment and the threshold the report flags
 *          (|SMD| > 0.1, Austin 2009, Stat Med 28:3083). The CLI adds the estimand and each row's
 *          raw difference after (balanceJsonWithRawDifference).
 */
import { SMD_THRESHOLD, type BalanceTable } from './balance.js';

export interface BalanceRowJson {
  variable: string;
  type: string;
  smd_before: number;
  smd_after: number;
  variance_ratio_before: number | null;
  variance_ratio_after: number | null;
  mean_treated_before: number;
  mean_control_before: number;
  mean_treated_after: number;
  mean_control_after: number;
}

export interface BalanceJson {
  rows: BalanceRowJson[];
  ess: { treated_before: number; control_before: number; treated_after: number; control_after: number };
  max_abs_smd_after: number;
  threshold: number;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function balanceJson(b: BalanceTable): BalanceJson {
  return {
    rows: b.rows.map((r) => ({
      variable: r.variable, type: r.type, smd_before: r.smdBefore, smd_after: r.smdAfter,
      variance_ratio_before: finiteOrNull(r.varianceRatioBefore), variance_ratio_after: finiteOrNull(r.varianceRatioAfter),
      mean_treated_before: r.meanTreatedBefore, mean_control_before: r.meanControlBefore, mean_treated_after: r.meanTreatedAfter, mean_control_after: r.meanControlAfter,
    })),
    ess: { treated_before: b.ess.treatedBefore, control_before: b.ess.controlBefore, treated_after: b.ess.treatedAfter, control_after: b.ess.controlAfter },
    max_abs_smd_after: Math.max(...b.rows.map((r) => Math.abs(r.smdAfter)).filter(Number.isFinite)),
    threshold: SMD_THRESHOLD,
  };
}

/** The CLI's balance contract (README): balanceJson with the estimand and each row's raw difference after. */
export function balanceJsonWithRawDifference(b: BalanceTable, estimand: string): { estimand: string; rows: (BalanceRowJson & { raw_difference_after: number })[] } & Omit<BalanceJson, 'rows'> {
  const json = balanceJson(b);
  return { estimand, ...json, rows: json.rows.map((row, i) => ({ ...row, raw_difference_after: b.rows[i]!.rawDifferenceAfter })) };
}
