/**
 * Section 5 of the study report: who gets surgery — the proportion operated by facility type
 * (bar chart) and the multivariable logistic model's odds ratios (forest plot).
 *
 * Inputs: predictors_of_surgery from results.json and ReportContext. Outputs: BarChartInput and
 * ForestPlotInput. A category whose size, operated count or not-operated count is 1..T-1 gets
 * no bar (its percentage would disclose the small cell); model terms are labelled with the
 * variable labels of Table 1, reference levels named in the caption by the caller.
 */

import type { BarChartInput } from '../figures/bar-chart.js';
import type { ForestPlotInput } from '../figures/forest-plot.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';
import { finite } from '../study-results.js';
import type { PredictorsOfSurgery } from '../../study/analyses/other-analyses.js';

export function surgeryBarInput(p: PredictorsOfSurgery, ctx: ReportContext): BarChartInput {
  const rows = p.by_facility_type.map((f) => {
    const t = `<${ctx.threshold}`;
    if (ctx.hidden(f.n)) return { category: f.facility_type, count: `n ${t}`, total: 'suppressed' };
    if (ctx.hidden(f.surgery)) return { category: f.facility_type, count: t, total: 'suppressed' };
    if (ctx.hidden(f.n - f.surgery)) return { category: f.facility_type, count: 'suppressed', total: 'suppressed' };
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
