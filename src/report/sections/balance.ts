/**
 * Section 8 of the study report: covariate balance of the propensity-score analyses — one
 * table of standardized mean differences before and after matching / weighting (PSM, IPTW ATE,
 * IPTW ATT) and a Love plot per analysis with the 0.1 threshold.
 *
 * Inputs: the balance blocks of psm, iptw_ate and iptw_att from results.json. Outputs:
 * ReportTable and LovePlotInputs. A skipped analysis is left out of both and listed by the
 * caller. SMDs are as the study computed them (cobalt bal.tab conventions).
 */

import type { LovePlotInput } from '../figures/love-plot.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';
import type { ReportTable } from '../table.js';
import { finite, isSkipped } from '../read-results.js';
import type { BalanceJson } from '../../study/results.js';

export interface BalanceSet { key: string; label: string; afterLabel: string; balance: BalanceJson }

export function balanceSets(ctx: ReportContext): { sets: BalanceSet[]; skipped: { label: string; reason: string }[] } {
  const a = ctx.results.analyses;
  const candidates: [string, string, string, unknown][] = [
    ['psm', `Matching 1:${ctx.results.protocol.analyses.psm.ratio}`, 'Matched', a.psm],
    ['iptw-ate', 'IPTW (ATE)', 'Weighted', a.iptw_ate],
    ['iptw-att', 'IPTW (ATT)', 'Weighted', a.iptw_att],
  ];
  if (a.iptw_ato !== undefined && ctx.results.protocol.analyses.iptw.estimands.includes('ATO')) candidates.push(['iptw-ato', 'IPTW (ATO)', 'Weighted', a.iptw_ato]);
  const sets: BalanceSet[] = [];
  const skipped: { label: string; reason: string }[] = [];
  for (const [key, label, afterLabel, x] of candidates) {
    if (isSkipped(x)) skipped.push({ label, reason: x.skipped });
    else sets.push({ key, label, afterLabel, balance: (x as { balance: BalanceJson }).balance });
  }
  return { sets, skipped };
}

const smd = (x: number | null | undefined): string => {
  const v = finite(x);
  return v === null ? '—' : Math.abs(v).toFixed(3);
};

export function balanceTable(sets: BalanceSet[], ctx: ReportContext): ReportTable {
  const variables: string[] = [];
  for (const s of sets) for (const r of s.balance.rows) if (!variables.includes(r.variable)) variables.push(r.variable);
  const columns: ReportTable['columns'] = [{ key: 'variable', label: 'Covariate' }];
  for (const s of sets) {
    columns.push({ key: `${s.key}-before`, label: `${s.label}: before`, align: 'right' });
    columns.push({ key: `${s.key}-after`, label: `${s.label}: after`, align: 'right' });
  }
  const rows = variables.map((v) => {
    const row: Record<string, string> = { variable: ctx.termLabel(v) };
    for (const s of sets) {
      const r = s.balance.rows.find((b) => b.variable === v);
      row[`${s.key}-before`] = smd(r?.smd_before);
      row[`${s.key}-after`] = smd(r?.smd_after);
    }
    return row;
  });
  const ess = sets.map((s) => `${s.label} ${Math.round(s.balance.ess.treated_after)} treated / ${Math.round(s.balance.ess.control_after)} control`).join('; ');
  return {
    caption: 'Covariate balance: absolute standardized mean differences before and after adjustment',
    columns,
    rows,
    footnote: `|SMD| < 0.1 is conventionally taken as balance. Effective sample sizes after adjustment (Kish): ${ess}.`,
    suppress: PRESUPPRESSED,
  };
}

export function loveInput(set: BalanceSet, ctx: ReportContext): LovePlotInput {
  return {
    title: `Balance: ${set.label}`,
    rows: set.balance.rows.map((r) => ({ variable: ctx.termLabel(r.variable), smdBefore: finite(r.smd_before) ?? NaN, smdAfter: finite(r.smd_after) ?? NaN })),
    beforeLabel: 'Unadjusted',
    afterLabel: set.afterLabel,
    threshold: set.balance.threshold,
    synthetic: ctx.synthetic,
    widthInches: 3.5,
  };
}
