/**
 * Section 5 of the study report: who gets surgery — the proportion operated by facility type
 * (bar chart) and the multivariable logistic model's odds ratios (forest plot).
 *
 * Inputs: predictors_of_surgery from results.json and ReportContext. Outputs: BarChartInput and
 * ForestPlotInput. A category whose size, operated count or not-operated count is 1..T-1 gets
 * no bar (its percentage would disclose the small cell), and so does one whose cells Table 1
 * hides for complementary suppression; model terms are labelled with the
 * variable labels of Table 1, reference levels named in the caption by the caller.
 */

import type { BarChartInput } from '../figures/bar-chart.js';
import type { ForestPlotInput } from '../figures/forest-plot.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';
import { finite, isSkipped } from '../read-results.js';
import { hiddenCells } from './table-one.js';
import type { PredictorsOfSurgery } from '../../study/results.js';

/**
 * Facility types whose bar must be hidden because Table 1 hides (primarily or complementarily)
 * one of the cells the bar would disclose: operated (any surgery), not operated (immunotherapy
 * alone) or the total (overall). Using Table 1's own pattern keeps the two consistent, so a
 * count Table 1 protects cannot be read off the chart.
 */
export function facilityCellsHiddenInTable1(ctx: ReportContext): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const t1 = ctx.results.analyses.table1;
  if (isSkipped(t1) || !ctx.suppress) return out;
  const row = t1.rows.find((r) => r.variable === 'facility_type');
  const keys = ['immunotherapy_alone', 'resection', 'transplant', 'any_surgery', 'overall'];
  if (!row?.levels || !keys.every((k) => t1.columns.some((c) => c.key === k))) return out;
  const hide = hiddenCells(row.levels.map((l) => keys.map((k) => l.counts[k] ?? 0)), ctx.threshold);
  row.levels.forEach((l, i) => out.set(l.level, [0, 3, 4].some((j) => hide[i]![j] !== null)));
  return out;
}

export function surgeryBarInput(p: PredictorsOfSurgery, ctx: ReportContext): BarChartInput {
  const inTable1 = facilityCellsHiddenInTable1(ctx);
  const rows = p.by_facility_type.map((f) => {
    const t = `<${ctx.threshold}`;
    if (ctx.hidden(f.n)) return { category: f.facility_type, count: `n ${t}`, total: 'suppressed' };
    if (ctx.hidden(f.surgery)) return { category: f.facility_type, count: t, total: 'suppressed' };
    if (ctx.hidden(f.n - f.surgery) || inTable1.get(f.facility_type) === true) return { category: f.facility_type, count: 'suppressed', total: 'suppressed' };
    return { category: f.facility_type, count: f.surgery, total: f.n };
  });
  return { title: 'Surgery after immunotherapy by facility type', rows, xLabel: 'Patients receiving resection or transplant', suppress: PRESUPPRESSED, synthetic: ctx.synthetic, widthInches: 5.5 };
}

export function oddsRatioForestInput(model: Exclude<PredictorsOfSurgery['model'], { skipped: string }>, ctx: ReportContext): ForestPlotInput {
  return {
    title: 'Predictors of surgery (multivariable logistic regression)',
    xLabel: 'Odds ratio (95% CI)',
    estimateLabel: 'OR (95% CI)',
    rows: model.odds_ratios.map((r) => ({
      label: ctx.termLabel(r.term),
      hr: finite(r.or) ?? NaN,
      lower: finite(r.lower) ?? NaN,
      upper: finite(r.upper) ?? NaN,
      n: '',
      p: finite(r.p),
    })),
    note: `n = ${ctx.count(model.n)} patients, ${ctx.count(model.events)} operated`,
    synthetic: ctx.synthetic,
    suppress: PRESUPPRESSED,
    widthInches: 7,
  };
}
