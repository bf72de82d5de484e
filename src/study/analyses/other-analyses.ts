/**
 * The remaining analyses of the design:
 *  - who gets surgery: proportions overall and by facility type, and a multivariable logistic
 *    model (R glm binomial) with ORs and Wald 95% CIs;
 *  - short-term safety: 30- and 90-day mortality after surgery from PUF_30/90_DAY_MORT_CD, with
 *    the same computed from follow-up as a check;
 *  - proportional-hazards checks (R cox.zph, km transform) for each Cox model;
 *  - agreement of the surgery timing with RX_SUMM_SYSTEMIC_SUR_SEQ.
 */
import { fitPropensityModel } from '../../causal/propensity.js';
import { numberColumn } from '../../data/table-ops.js';
import { coxZph } from '../../stats/cox-zph.js';
import { EstimationError } from '../../core/errors.js';
import type { DataTable } from '../../core/types.js';
import type { Protocol } from '../protocol.js';
import { fitCox, orSkip, type Skipped } from './common.js';

export interface PredictorsOfSurgery {
  overall: { n: number; surgery: number; percent: number };
  by_facility_type: { facility_type: string; n: number; surgery: number; percent: number }[];
  academic_share_of_surgery: { surgery: number; at_academic: number; percent: number };
  model: { formula: string; n: number; events: number; odds_ratios: { term: string; or: number; lower: number; upper: number; p: number; coef: number; se: number }[]; aic: number; deviance: number; null_deviance: number; lr_test: { statistic: number; df: number; p: number }; warnings: string[] } | Skipped;
}

export function predictorsOfSurgery(data: DataTable, protocol: Protocol): PredictorsOfSurgery {
  const surgery = numberColumn(data, 'surgery');
  const fac = data.columns.get('facility_type');
  const facValues = fac?.kind === 'string' ? fac.values : [];
  const levels = fac?.kind === 'string' && fac.levels ? fac.levels : [...new Set(facValues.map((v) => v ?? 'Unknown'))];
  const total = surgery.reduce((a, b) => a + b, 0);
  const academic = numberColumn(data, 'academic');
  let atAcademic = 0;
  for (let i = 0; i < data.nrow; i++) if (surgery[i] === 1 && academic[i] === 1) atAcademic++;
  const formula = `surgery ~ ${protocol.covariates.predictors_of_surgery.join(' + ')}`;
  const model = orSkip(() => {
    const m = fitPropensityModel(formula, data);
    const f = m.fit;
    return {
      formula,
      n: m.treated.length,
      events: m.treated.reduce((a, b) => a + b, 0),
      odds_ratios: f.names.map((term, j) => ({ term, coef: f.coefficients[j]!, se: f.se[j]!, or: f.or[j]!, lower: f.orLower[j]!, upper: f.orUpper[j]!, p: f.p[j]! })).filter((r) => r.term !== '(Intercept)'),
      aic: f.aic,
      deviance: f.deviance,
      null_deviance: f.nullDeviance,
      lr_test: f.lrTest,
      warnings: f.warnings,
    };
  });
  return {
    overall: { n: data.nrow, surgery: total, percent: (100 * total) / data.nrow },
    by_facility_type: levels.map((level) => {
      let n = 0, s = 0;
      for (let i = 0; i < data.nrow; i++) if ((facValues[i] ?? 'Unknown') === level) { n++; s += surgery[i]!; }
      return { facility_type: level, n, surgery: s, percent: n > 0 ? (100 * s) / n : NaN };
    }).filter((r) => r.n > 0),
    academic_share_of_surgery: { surgery: total, at_academic: atAcademic, percent: total > 0 ? (100 * atAcademic) / total : NaN },
    model,
  };
}

export interface PerioperativeMortality {
  surgical_patients: number;
  puf_30_day: { known: number; died: number; percent: number };
  puf_90_day: { known: number; died: number; percent: number };
  /** From follow-up: death within 30/90 days (30.4375/12 months per 30 days) of the surgery date, among those followed that long or dead. */
  follow_up_30_day: { known: number; died: number; percent: number };
  follow_up_90_day: { known: number; died: number; percent: number };
  by_type: { group: string; n: number; died_30: number; died_90: number }[];
  note: string;
}

export function perioperativeMortality(data: DataTable, protocol: Protocol): PerioperativeMortality | Skipped {
  const surgery = numberColumn(data, 'surgery');
  const m30 = numberColumn(data, 'mort_30');
  const m90 = numberColumn(data, 'mort_90');
  const os = numberColumn(data, 'os_months');
  const death = numberColumn(data, 'death');
  const st = numberColumn(data, 'surgery_months');
  const g = data.columns.get('group')!;
  const groups = g.kind === 'string' ? g.values : [];
  const idx: number[] = [];
  for (let i = 0; i < data.nrow; i++) if (surgery[i] === 1) idx.push(i);
  if (idx.length === 0) return { skipped: 'no patient in the cohort had resection or transplant after immunotherapy' };
  const puf = (v: Float64Array) => {
    let known = 0, died = 0;
    for (const i of idx) if (!Number.isNaN(v[i]!)) { known++; died += v[i]!; }
    return { known, died, percent: known > 0 ? (100 * died) / known : NaN };
  };
  const fromFollowUp = (days: number) => {
    const months = days / protocol.time.days_per_month;
    let known = 0, died = 0;
    for (const i of idx) {
      const after = os[i]! - st[i]!;
      if (death[i] === 1 && after <= months) { known++; died++; } else if (after >= months) known++;
    }
    return { known, died, percent: known > 0 ? (100 * died) / known : NaN };
  };
  const types = ['resection', 'transplant'];
  return {
    surgical_patients: idx.length,
    puf_30_day: puf(m30),
    puf_90_day: puf(m90),
    follow_up_30_day: fromFollowUp(30),
    follow_up_90_day: fromFollowUp(90),
    by_type: types.map((t) => {
      const rows = idx.filter((i) => groups[i] === t);
      return { group: t, n: rows.length, died_30: rows.filter((i) => m30[i] === 1).length, died_90: rows.filter((i) => m90[i] === 1).length };
    }),
    note: 'PUF_30_DAY_MORT_CD and PUF_90_DAY_MORT_CD refer to the definitive surgery and are available for diagnosis years 2004-2019; code 9 (no surgery, or too little follow-up) counts as unknown.',
  };
}

export interface PhCheck {
  model: string;
  formula: string;
  transform: string;
  terms: { term: string; chisq: number; df: number; p: number; violation: boolean }[];
  global: { chisq: number; df: number; p: number; violation: boolean };
}

/** cox.zph (km transform) for a model; violation = p < alpha. */
export function phCheck(name: string, table: DataTable, formula: string, protocol: Protocol, weights: string | null = null, alpha = 0.05): PhCheck | (Skipped & { model: string }) {
  const result = orSkip((): PhCheck => {
    const m = fitCox(table, formula, { ties: protocol.analyses.cox_ties, weights });
    // The checked model is the one reported for its first term (the exposure). When that term is
    // not estimable (e.g. no surgical patients) the reported model is skipped, and a test of the
    // covariates alone would describe a model nobody sees: skip the check too.
    const exposure = formula.split('~')[1]!.split('+')[0]!.trim();
    const j = m.frame.design.names.indexOf(exposure);
    if (j >= 0 && !Number.isFinite(m.fit.coefficients[j]!)) throw new EstimationError(`${exposure} could not be estimated (no variation), so its model has no PH check`);
    const z = coxZph(m.fit, m.frame.design, m.frame.survival!, { transform: 'km', strata: m.frame.strata?.codes ?? null, weights: m.frame.weights, ties: protocol.analyses.cox_ties });
    return {
      model: name,
      formula,
      transform: 'km',
      terms: z.table.map((r) => ({ ...r, violation: r.p < alpha })),
      global: { ...z.global, violation: z.global.p < alpha },
    };
  });
  return 'skipped' in result ? { model: name, skipped: result.skipped } : result;
}

export function surgerySequenceAgreement(data: DataTable): { surgical_patients: number; systemic_before_surgery: number; percent: number; codes: Record<string, number>; note: string } {
  const surgery = numberColumn(data, 'surgery');
  const seq = data.columns.get('systemic_surgery_sequence');
  const values = seq?.kind === 'string' ? seq.values : [];
  const codes: Record<string, number> = {};
  let n = 0, agree = 0;
  for (let i = 0; i < data.nrow; i++) {
    if (surgery[i] !== 1) continue;
    n++;
    const v = values[i] ?? 'blank';
    codes[v] = (codes[v] ?? 0) + 1;
    if (v === '2' || v === '4') agree++;
  }
  return { surgical_patients: n, systemic_before_surgery: agree, percent: n > 0 ? (100 * agree) / n : NaN, codes, note: 'RX_SUMM_SYSTEMIC_SUR_SEQ 2 (systemic before surgery) or 4 (before and after) agrees with surgery dated after immunotherapy start' };
}
