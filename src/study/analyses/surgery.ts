/**
 * Who gets surgery: proportions overall and by facility type, and a multivariable logistic
 * model (R glm binomial) with ORs and Wald 95% CIs; and the agreement of the surgery timing with
 * RX_SUMM_SYSTEMIC_SUR_SEQ.
 */
import { fitPropensityModel } from '../../causal/propensity.js';
import { numberColumn } from '../../data/table-ops.js';
import type { DataTable } from '../../core/types.js';
import type { Protocol } from '../protocol.js';
import { orSkip, type Skipped } from './skipped.js';

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
