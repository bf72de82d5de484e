/**
 * Section 7 of the study report: every hazard ratio for surgery the study estimated, in one
 * forest plot and one table — naive Cox (unadjusted, adjusted; biased by immortal time),
 * time-dependent Cox (unadjusted, adjusted = MAIN), by surgery type, each landmark (adjusted),
 * propensity-score matching, IPTW (ATE, ATT) and clone–censor–weight.
 *
 * Inputs: ReportContext. Output: `HrRow`s, which become ForestRows and table rows. An analysis
 * recorded as { skipped } or without finite estimates keeps its row, marked 'not estimable'
 * with the reason.
 */

import type { ForestPlotInput, ForestRow } from '../figures/forest-plot.js';
import { formatP, formatRatioCi } from '../format.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';
import type { ReportTable } from '../table.js';
import { finite, isSkipped } from '../read-results.js';

export interface HrRow {
  group: string;
  label: string;
  hr: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
  n: number | null;
  events: number | null;
  /** Why there is no estimate. */
  reason: string | null;
  main: boolean;
}

function row(group: string, label: string, x: unknown, main = false): HrRow {
  if (isSkipped(x) || typeof x !== 'object' || x === null) {
    return { group, label, hr: null, lower: null, upper: null, p: null, n: null, events: null, reason: isSkipped(x) ? x.skipped : 'not run', main };
  }
  const e = x as Record<string, unknown>;
  const hr = finite(e.hr), lower = finite(e.lower), upper = finite(e.upper);
  const ok = hr !== null && lower !== null && upper !== null && hr > 0 && lower > 0;
  // A percentile-bootstrap CI from few replicates can miss its own point estimate; such a row
  // is not drawn (the forest plot would mislead) and the table says why.
  const inside = ok && lower <= hr && hr <= upper;
  const reason = !ok ? 'estimate not finite' : !inside ? `HR ${hr.toFixed(2)} lies outside its CI ${lower.toFixed(2)}–${upper.toFixed(2)} (too few bootstrap replicates?)` : null;
  return { group, label, hr: inside ? hr : null, lower: inside ? lower : null, upper: inside ? upper : null, p: finite(e.p), n: finite(e.n), events: finite(e.events), reason, main };
}

export function hazardRatioRows(ctx: ReportContext): HrRow[] {
  const a = ctx.results.analyses;
  const p = ctx.results.protocol;
  const rows: HrRow[] = [];
  const naiveG = 'Naive Cox (biased by immortal time)';
  rows.push(row(naiveG, 'Unadjusted', isSkipped(a.naive_cox) ? a.naive_cox : a.naive_cox.unadjusted));
  rows.push(row(naiveG, 'Adjusted', isSkipped(a.naive_cox) ? a.naive_cox : a.naive_cox.adjusted));
  const tdG = 'Time-dependent Cox';
  rows.push(row(tdG, 'Unadjusted', a.time_dependent_cox_unadjusted));
  rows.push(row(tdG, 'Adjusted — MAIN ANALYSIS', a.time_dependent_cox, true));
  const typeG = 'By surgery type (time-dependent, adjusted)';
  const byType = a.time_dependent_cox_by_type;
  rows.push(row(typeG, 'Resection', isSkipped(byType) ? byType : byType.resection));
  rows.push(row(typeG, 'Transplant', isSkipped(byType) ? byType : byType.transplant));
  const lmG = 'Landmark (adjusted Cox)';
  if (isSkipped(a.landmark)) for (const L of p.analyses.landmark.months) rows.push(row(lmG, `${L}-month landmark`, a.landmark));
  else for (const lm of a.landmark) rows.push(row(lmG, `${lm.landmark_months}-month landmark`, lm.cox_adjusted));
  const psG = `Propensity score (${p.analyses.landmark.main}-month landmark)`;
  rows.push(row(psG, `Matched 1:${p.analyses.psm.ratio}`, isSkipped(a.psm) ? a.psm : a.psm.hr));
  rows.push(row(psG, 'IPTW (ATE)', isSkipped(a.iptw_ate) ? a.iptw_ate : a.iptw_ate.hr));
  rows.push(row(psG, 'IPTW (ATT)', isSkipped(a.iptw_att) ? a.iptw_att : a.iptw_att.hr));
  // ATO only when the protocol asked for it (results.json always has ATE/ATT, maybe as skipped).
  if (a.iptw_ato !== undefined && p.analyses.iptw.estimands.includes('ATO')) rows.push(row(psG, 'IPTW (ATO)', isSkipped(a.iptw_ato) ? a.iptw_ato : a.iptw_ato.hr));
  rows.push(row('Target-trial emulation', `Clone–censor–weight (grace ${p.analyses.clone_censor_weight.grace_months} months)`, isSkipped(a.clone_censor_weight) ? a.clone_censor_weight : a.clone_censor_weight.hr));
  return rows;
}

/** A reason short enough for a forest-plot row. */
function shortReason(reason: string): string {
  const s = `not estimable: ${reason}`;
  return s.length > 70 ? `${s.slice(0, 67)}…` : s;
}

export function hazardRatioForestInput(rows: HrRow[], ctx: ReportContext): ForestPlotInput {
  const forest: ForestRow[] = rows.map((r) => ({
    group: r.group,
    label: r.main ? `${r.label} ★` : r.label,
    hr: r.hr ?? NaN,
    lower: r.lower ?? NaN,
    upper: r.upper ?? NaN,
    n: r.n === null ? '—' : ctx.shown(r.n),
    events: r.events === null ? '—' : ctx.shown(r.events),
    p: r.p,
    note: r.reason === null ? undefined : shortReason(r.reason),
  }));
  return { title: 'Hazard ratio for death, surgery vs no surgery, across analyses', rows: forest, note: '★ main analysis. Hazard ratios below 1 favour surgery.', synthetic: ctx.synthetic, suppress: PRESUPPRESSED, widthInches: 7 };
}

export function hazardRatioTable(rows: HrRow[], ctx: ReportContext): ReportTable {
  return {
    caption: 'Hazard ratios for death, surgery vs no surgery',
    columns: [
      { key: 'group', label: 'Analysis' },
      { key: 'label', label: 'Model' },
      { key: 'estimate', label: 'HR (95% CI)', align: 'right' },
      { key: 'p', label: 'p', align: 'right' },
      { key: 'n', label: 'Patients', count: true },
      { key: 'events', label: 'Deaths', count: true },
      { key: 'note', label: 'Note' },
    ],
    rows: rows.map((r) => ({
      group: r.group,
      label: r.label,
      estimate: r.hr === null ? 'not estimable' : formatRatioCi(r.hr, r.lower!, r.upper!),
      p: formatP(r.p).replace(/^p = /, '').replace(/^p /, ''),
      n: r.n === null ? null : ctx.shown(r.n),
      events: r.events === null ? null : ctx.shown(r.events),
      note: r.reason ?? (r.main ? 'main analysis' : ''),
    })),
    footnote: 'Naive estimates treat surgery as known at time zero and are biased in favour of surgery (immortal time). Deaths in the clone–censor–weight row count both arms of the cloned data; its CI is a percentile bootstrap when replicates were run. Weighted analyses report patients, not weighted sums.',
    suppress: PRESUPPRESSED,
  };
}
