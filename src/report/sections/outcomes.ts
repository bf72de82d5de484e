/**
 * Section 9 of the study report: restricted mean survival time at each tau, the
 * proportional-hazards checks (R cox.zph, km transform; p < 0.05 flagged as a violation), and
 * 30/90-day mortality after surgery.
 *
 * Inputs: rmst, ph_checks and perioperative_mortality from results.json, ReportContext.
 * Outputs: ReportTables of display strings. Deaths of 1..T-1 are '<T' with no percentage.
 * Cells are never a bare single digit (a df of 1 is written with its chi-square, '17.78 (1)'),
 * so the small-cell audit cannot confuse them with counts.
 */

import { formatP, formatRatioCi } from '../format.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';
import type { ReportTable } from '../table.js';
import { finite, isSkipped } from '../read-results.js';
import type { PerioperativeMortality, PhCheck } from '../../study/results.js';
import type { SurvivalResults } from '../../study/results.js';

const pText = (p: number | null | undefined): string => formatP(finite(p)).replace(/^p = /, '').replace(/^p /, '');
const ci = (e: number | null | undefined, lo: number | null | undefined, hi: number | null | undefined, digits = 1): string => {
  const [a, b, c] = [finite(e), finite(lo), finite(hi)];
  return a === null ? 'NA' : `${a.toFixed(digits)} (${b === null ? 'NA' : b.toFixed(digits)} to ${c === null ? 'NA' : c.toFixed(digits)})`;
};

export function rmstTable(rmst: SurvivalResults['rmst'], ctx: ReportContext): ReportTable {
  const rows: Record<string, string | number | null>[] = [];
  for (const r of rmst) {
    if (isSkipped(r)) {
      rows.push({ tau: `${r.tau} months`, group: '', n: null, events: null, rmst: 'not estimable', difference: r.skipped, ratio: '', p: '' });
      continue;
    }
    r.groups.forEach((g, i) => {
      rows.push({
        tau: i === 0 ? `${r.tau} months` : ' ',
        group: g.name,
        n: ctx.shown(g.n),
        events: ctx.shown(g.events),
        rmst: ctx.hidden(g.n) ? '—' : ci(g.rmst, g.lower, g.upper),
        difference: i === 0 && r.difference ? ci(r.difference.estimate, r.difference.lower, r.difference.upper) : ' ',
        ratio: i === 0 && r.ratio ? formatRatioCi(r.ratio.estimate, r.ratio.lower, r.ratio.upper) : ' ',
        p: i === 0 && r.difference ? pText(r.difference.p) : ' ',
      });
    });
  }
  const L = ctx.results.protocol.analyses.landmark.main;
  return {
    caption: `Restricted mean survival time (months) in the ${L}-month landmark cohort`,
    columns: [
      { key: 'tau', label: 'Horizon (τ)' },
      { key: 'group', label: 'Group' },
      { key: 'n', label: 'Patients', count: true },
      { key: 'events', label: 'Deaths', count: true },
      { key: 'rmst', label: 'RMST (95% CI)', align: 'right' },
      { key: 'difference', label: 'Difference, surgery − none (95% CI)', align: 'right' },
      { key: 'ratio', label: 'Ratio (95% CI)', align: 'right' },
      { key: 'p', label: 'p (difference)', align: 'right' },
    ],
    rows,
    footnote: `RMST: area under the Kaplan–Meier curve up to τ, months from the ${L}-month landmark (survRM2 method).`,
    suppress: PRESUPPRESSED,
  };
}

export function phTable(checks: (PhCheck | { skipped: string })[], ctx: ReportContext): ReportTable {
  const rows: Record<string, string>[] = [];
  for (const c of checks) {
    if (isSkipped(c)) { rows.push({ model: (c as { model?: string }).model ?? 'model', term: `not checked: ${c.skipped}`, chisq: ' ', p: ' ', flag: ' ' }); continue; }
    // ' ' (not '') leaves a cell blank instead of the table's '—' for a missing value.
    c.terms.forEach((t, i) => rows.push({ model: i === 0 ? c.model : ' ', term: ctx.termLabel(t.term), chisq: `${(finite(t.chisq) ?? NaN).toFixed(2)} (${t.df})`, p: pText(t.p), flag: t.violation ? 'VIOLATION (p < 0.05)' : ' ' }));
    rows.push({ model: ' ', term: 'Global test', chisq: `${(finite(c.global.chisq) ?? NaN).toFixed(2)} (${c.global.df})`, p: pText(c.global.p), flag: c.global.violation ? 'VIOLATION (p < 0.05)' : ' ' });
  }
  return {
    caption: 'Proportional-hazards checks: scaled Schoenfeld residuals (R cox.zph, Kaplan–Meier time transform)',
    columns: [
      { key: 'model', label: 'Model' },
      { key: 'term', label: 'Term' },
      { key: 'chisq', label: 'χ² (df)', align: 'right' },
      { key: 'p', label: 'p', align: 'right' },
      { key: 'flag', label: 'Flag' },
    ],
    rows,
    footnote: 'A small p-value means the hazard ratio of that term changes over follow-up; the reported HR is then an average over time.',
    suppress: PRESUPPRESSED,
  };
}

export function mortalityTable(m: PerioperativeMortality, ctx: ReportContext): ReportTable {
  // 'Known' of all surgical patients: when the unknowns are a small cell, 'known' would give them
  // back by subtraction, and so would a percentage over it.
  let complementHidden = false;
  const line = (label: string, x: { known: number; died: number }) => {
    if (ctx.hidden(m.surgical_patients - x.known)) {
      complementHidden = true;
      return { measure: label, known: '†', died: ctx.count(x.died) };
    }
    return { measure: label, known: ctx.shown(x.known), died: ctx.countPercent(x.died, x.known) };
  };
  const rows: Record<string, string | number>[] = [
    line('30-day mortality (PUF_30_DAY_MORT_CD)', m.puf_30_day),
    line('90-day mortality (PUF_90_DAY_MORT_CD)', m.puf_90_day),
    line('30-day mortality (from follow-up)', m.follow_up_30_day),
    line('90-day mortality (from follow-up)', m.follow_up_90_day),
  ];
  for (const t of m.by_type) {
    rows.push({ measure: `${ctx.groupLabel(t.group)}: 30-day mortality (PUF)`, known: ctx.shown(t.n), died: ctx.countPercent(t.died_30, t.n) });
    rows.push({ measure: `${ctx.groupLabel(t.group)}: 90-day mortality (PUF)`, known: ctx.shown(t.n), died: ctx.countPercent(t.died_90, t.n) });
  }
  return {
    caption: `Mortality after surgery (${ctx.count(m.surgical_patients)} surgical patients)`,
    columns: [
      { key: 'measure', label: 'Measure' },
      { key: 'known', label: 'Patients with known status', count: true },
      { key: 'died', label: 'Deaths, n (%)', count: true },
    ],
    rows,
    footnote: complementHidden ? `${m.note} † hidden: fewer than ${ctx.threshold} surgical patients have unknown status, which this count (or a percentage over it) would disclose.` : m.note,
    suppress: PRESUPPRESSED,
  };
}
