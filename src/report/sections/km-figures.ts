/**
 * Section 6 of the study report: survival curves — naive Kaplan–Meier by group (labelled as
 * subject to immortal-time bias), Simon–Makuch curves by current exposure, and the landmark
 * Kaplan–Meier curves at each landmark.
 *
 * Inputs: a KmJson curve set from results.json (R survfit's step function per curve, with
 * n_censor per time and the numbers at risk at the breaks) and ReportContext. Output:
 * KmPlotInput for kmPlotSpec.
 * Method: censoring marks are drawn at the times with n_censor > 0, at the curve's value there
 * (survfit's mark.time = TRUE); the line keeps only the times where the curve can change; confidence limits JSON stores as null (NaN) become NaN, which
 * the figure leaves out of the band; numbers at risk are suppressed with the protocol threshold
 * (weighted counts rounded). Curve names lose the 'variable=' prefix of survfit's strata.
 */

import type { KmCurve, KmPlotInput } from '../figures/km-plot.js';
import { curveLabel, PRESUPPRESSED, type ReportContext } from '../report-context.js';
import type { KmJson } from '../../study/results.js';

export function kmCurves(km: KmJson): KmCurve[] {
  return km.curves.map((c) => {
    const censorTimes: number[] = [];
    const censorSurv: number[] = [];
    for (let i = 0; i < c.time.length; i++) {
      if ((c.n_censor[i] ?? 0) > 0) { censorTimes.push(c.time[i]!); censorSurv.push(c.surv[i]!); }
    }
    const nan = (v: number | null): number => (v === null ? NaN : v);
    // Only event times (and the last time) change the step function and its band; times with
    // censoring alone repeat the previous values, so they become '+' marks, not line vertices.
    // This halves the SVG of a large cohort without changing a pixel.
    const keep: number[] = [];
    for (let i = 0; i < c.time.length; i++) if ((c.n_event[i] ?? 1) > 0 || i === c.time.length - 1) keep.push(i);
    return {
      name: curveLabel(c.name),
      time: keep.map((i) => c.time[i]!),
      surv: keep.map((i) => c.surv[i]!),
      lower: keep.map((i) => nan(c.lower[i]!)),
      upper: keep.map((i) => nan(c.upper[i]!)),
      censorTimes,
      censorSurv,
      median: c.median,
    };
  });
}

export interface KmFigureOptions {
  title: string;
  xLabel: string;
  note?: string;
}

export function kmInput(km: KmJson, ctx: ReportContext, options: KmFigureOptions): KmPlotInput {
  const curves = kmCurves(km);
  const times = km.curves[0]?.risk_table.time ?? [];
  return {
    title: options.title,
    curves,
    pValue: km.logrank?.p ?? null,
    xLabel: options.xLabel,
    yLabel: 'Overall survival probability',
    breaks: times,
    riskTable: { times, rows: km.curves.map((c, i) => ({ name: curves[i]!.name, nRisk: c.risk_table.n_risk.map((n) => ctx.shown(n)) })) },
    synthetic: ctx.synthetic,
    note: options.note,
    suppress: PRESUPPRESSED,
    widthInches: 7,
  };
}
