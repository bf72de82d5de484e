/**
 * Propensity-score analyses within the main landmark cohort (patients alive and in follow-up at
 * the landmark; treated = surgery by the landmark):
 *  - matching: nearest neighbour on the logit of the propensity score, 1:k without replacement,
 *    caliper in SD of the logit (MatchIt method = "nearest", link = "linear.logit");
 *  - IPTW for each protocol estimand, stabilised and truncated at the protocol percentiles.
 * Each reports balance (SMD before/after, variance ratios, effective sample size), weighted KM
 * curves, and a weighted Cox HR with robust SE clustered on the matched set (matching) or on
 * the patient (weighting).
 * Reference: Austin PC, Stat Med 2014;33:1242 (PS with survival outcomes); cobalt bal.tab.
 */
import { balanceTable, expandCovariates } from '../../causal/balance.js';
import { balanceJson, type BalanceJson } from '../../causal/balance-json.js';
import { nearestNeighborMatch } from '../../causal/matching.js';
import { fitPropensityModel } from '../../causal/propensity.js';
import { iptwWeights, type Estimand } from '../../causal/weighting.js';
import { takeRows, withNumberColumns } from '../../data/table-ops.js';
import type { DataTable } from '../../core/types.js';
import type { Protocol } from '../protocol.js';
import { orSkip, type Skipped } from './skipped.js';
import { breaksUpTo, kmWithRiskTable, type KmJson } from './km-curves.js';
import { fitCox, hrEntry, requireEventsPerGroup, type HrEntry } from './hazard-ratio.js';
import { OS_LM } from './survival-analyses.js';

export interface PsmResult {
  landmark_months: number;
  formula: string;
  n_treated: number;
  n_control: number;
  matched_treated: number;
  matched_control: number;
  unmatched_treated: number;
  caliper_logit: number | null;
  hr: HrEntry;
  km: KmJson;
  balance: BalanceJson;
  warnings: string[];
}

export interface IptwResult {
  estimand: Estimand;
  stabilized: boolean;
  truncate_percentiles: [number, number] | null;
  weights_summary: { min: number; max: number; mean: number };
  hr: HrEntry;
  km: KmJson;
  balance: BalanceJson;
}

const withGroupLabel = (t: DataTable): DataTable => ({
  ...t,
  columns: new Map(t.columns).set('surgery_by_landmark', {
    kind: 'string',
    values: Array.from((t.columns.get('surgery_lm') as { values: Float64Array }).values, (v) => (v === 1 ? 'Surgery' : 'No surgery')),
    levels: ['No surgery', 'Surgery'],
  }),
});

export function propensityAnalyses(lm: DataTable, L: number, protocol: Protocol): { psm: PsmResult | Skipped; iptw: Record<string, IptwResult | Skipped> } {
  const covs = protocol.covariates.propensity;
  const ties = protocol.analyses.cox_ties;
  const breaks = breaksUpTo(protocol.analyses.km_break_months, protocol.analyses.km_max_months);
  const formula = `surgery_lm ~ ${covs.join(' + ')}`;
  const model = orSkip(() => fitPropensityModel(formula, lm));
  if ('skipped' in model) return { psm: model, iptw: Object.fromEntries(protocol.analyses.iptw.estimands.map((e) => [e, model])) };
  const rows = model.frame.rows;
  const data = takeRows(lm, rows);
  const treated = model.treated;
  const balanceCovs = expandCovariates(lm, covs, rows);

  const psm = orSkip((): PsmResult => {
    const p = protocol.analyses.psm;
    const m = nearestNeighborMatch({ distance: model.linearPredictor, treated, ratio: p.ratio, replace: p.replace, caliper: p.caliper_sd, stdCaliper: true, mOrder: p.m_order });
    const keep: number[] = [];
    for (let i = 0; i < treated.length; i++) if (m.weights[i]! > 0) keep.push(i);
    const matched = withGroupLabel(takeRows(withNumberColumns(data, { match_weight: m.weights }), keep));
    matched.columns.set('subclass', { kind: 'string', values: keep.map((i) => String(m.subclass[i])) });
    requireEventsPerGroup(matched, 'surgery_lm', 'death', protocol.analyses.min_events_per_group, ['No surgery', 'Surgery']);
    const cox = fitCox(matched, `${OS_LM} ~ surgery_lm + cluster(subclass)`, { ties, weights: 'match_weight' });
    return {
      landmark_months: L,
      formula,
      n_treated: treated.reduce((a, b) => a + b, 0),
      n_control: treated.length - treated.reduce((a, b) => a + b, 0),
      matched_treated: m.nMatchedTreated,
      matched_control: m.nMatchedControl,
      unmatched_treated: m.nUnmatchedTreated,
      caliper_logit: m.caliperAbsolute,
      hr: { ...hrEntry(cox, 'surgery_lm', covs), adjusted: true },
      km: kmWithRiskTable(matched, `${OS_LM} ~ surgery_by_landmark`, breaks, [6, 12, 24], { weights: 'match_weight' }),
      balance: balanceJson(balanceTable(balanceCovs, treated, m.weights, 'ATT')),
      warnings: m.warnings,
    };
  });

  const iptw: Record<string, IptwResult | Skipped> = {};
  for (const estimand of protocol.analyses.iptw.estimands) {
    iptw[estimand] = orSkip((): IptwResult => {
      const w = iptwWeights(model.ps, treated, { estimand, stabilize: protocol.analyses.iptw.stabilize, truncate: protocol.analyses.iptw.truncate_percentiles });
      const weighted = withGroupLabel(withNumberColumns(data, { iptw: w }));
      requireEventsPerGroup(weighted, 'surgery_lm', 'death', protocol.analyses.min_events_per_group, ['No surgery', 'Surgery'], w);
      const cox = fitCox(weighted, `${OS_LM} ~ surgery_lm + cluster(id)`, { ties, weights: 'iptw' });
      let min = Infinity, max = -Infinity, sum = 0;
      for (const v of w) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
      return {
        estimand,
        stabilized: protocol.analyses.iptw.stabilize,
        truncate_percentiles: protocol.analyses.iptw.truncate_percentiles,
        weights_summary: { min, max, mean: sum / w.length },
        hr: { ...hrEntry(cox, 'surgery_lm', covs), adjusted: true },
        km: kmWithRiskTable(weighted, `${OS_LM} ~ surgery_by_landmark`, breaks, [6, 12, 24], { weights: 'iptw' }),
        balance: balanceJson(balanceTable(balanceCovs, treated, w, estimand)),
      };
    });
  }
  return { psm, iptw };
}
