/**
 * Kaplan–Meier figure in the layout readers know from survminer::ggsurvplot: step curves with
 * shaded 95% confidence bands, '+' censoring marks, dashed median lines, the test p-value, a
 * legend on top and a numbers-at-risk table under the x axis.
 *
 * Inputs: `KmPlotInput` — per curve the step function (time, surv, lower, upper as R's
 * survfit returns them: one entry per distinct event/censor time), the censoring times with the
 * survival at those times, and the median (null when not reached); the x breaks; the risk table
 * (counts at the breaks, as numbers or already-suppressed strings).
 * Output: a Vega-Lite spec (vconcat of the plot and the risk table, same width and same x
 * domain, so each count sits under its tick). Render with `renderSvg`.
 * Method: curves start at (0, 1) — survfit omits time 0 — and are carried flat to the last
 * censoring time, as plot.survfit and ggsurvplot draw them. Lines and bands use 'step-after'
 * interpolation: S(t) is right-continuous, constant until the next event. Numeric risk counts
 * are suppressed (<10) unless `suppress` is false.
 * Reference: Kassambara A et al., survminer::ggsurvplot; Pocock SJ et al. Survival plots of
 * time-to-event outcomes in clinical trials. Lancet 2002;359:1686-9 (risk table under the axis).
 */

import type { VegaLiteSpec } from '../vega-render.js';
import { seriesColours, REFERENCE_GREY, WARNING_RED } from '../palette.js';
import { formatCount } from '../suppress.js';
import { formatP } from '../format.js';
import { baseConfig, figureWidthPx, textWidth, fontSizeFor } from './theme.js';
import { SpecificationError } from '../../core/errors.js';

export interface KmCurve {
  name: string;
  time: number[];
  surv: number[];
  lower: number[];
  upper: number[];
  censorTimes: number[];
  censorSurv: number[];
  /** Median survival time; null when the curve never drops to 0.5. */
  median: number | null;
}

export interface KmRiskTable {
  /** Times of the columns (normally equal to the x breaks). */
  times: number[];
  /** One row per curve, in the order of `curves`; strings allow pre-suppressed '<10'. */
  rows: { name: string; nRisk: (number | string)[] }[];
}

export interface KmPlotInput {
  title: string;
  curves: KmCurve[];
  pValue: number | null;
  /** Overrides the p-value text, e.g. 'Log-rank p = 0.003'. */
  pLabel?: string;
  xLabel: string;
  yLabel: string;
  /** x ticks; the axis runs from 0 to the last break. */
  breaks: number[];
  riskTable: KmRiskTable;
  /** Stamps 'SYNTHETIC DATA — not for clinical inference' on the figure. */
  synthetic?: boolean;
  /** Caveat shown under the title, e.g. 'Subject to immortal-time bias'. */
  note?: string;
  /** Suppress numeric risk counts 1-9 (default true). */
  suppress?: boolean;
  /** Printed width in inches (default 7, a double column). */
  widthInches?: number;
}

export const SYNTHETIC_STAMP = 'SYNTHETIC DATA — not for clinical inference';

function check(input: KmPlotInput): void {
  if (input.curves.length === 0) throw new SpecificationError('KM plot needs at least one curve', { field: 'curves' });
  if (input.breaks.length < 2) throw new SpecificationError('KM plot needs at least two x breaks', { field: 'breaks' });
  input.curves.forEach((c, i) => {
    const n = c.time.length;
    if (c.surv.length !== n || c.lower.length !== n || c.upper.length !== n) {
      throw new SpecificationError(`curve "${c.name}": time, surv, lower and upper must have the same length`, { field: `curves[${i}]` });
    }
    if (c.censorTimes.length !== c.censorSurv.length) {
      throw new SpecificationError(`curve "${c.name}": censorTimes and censorSurv must have the same length`, { field: `curves[${i}]` });
    }
  });
  const names = new Set(input.curves.map((c) => c.name));
  if (names.size !== input.curves.length) throw new SpecificationError('curve names must be distinct', { field: 'curves' });
  input.riskTable.rows.forEach((r, i) => {
    if (r.nRisk.length !== input.riskTable.times.length) {
      throw new SpecificationError(`risk-table row "${r.name}" has ${r.nRisk.length} cells for ${input.riskTable.times.length} times`, { field: `riskTable.rows[${i}]` });
    }
  });
}

/** Builds the survminer-style KM figure. */
export function kmPlotSpec(input: KmPlotInput): VegaLiteSpec {
  check(input);
  const suppress = input.suppress ?? true;
  const names = input.curves.map((c) => c.name);
  const colours = seriesColours(names.length);
  const xMax = input.breaks[input.breaks.length - 1];
  const xDomain = [0, xMax];

  // Step functions from (0,1), carried flat to the last censoring time.
  const steps: { curve: string; time: number; surv: number; lower: number | null; upper: number | null }[] = [];
  for (const c of input.curves) {
    const ok = (v: number): number | null => (Number.isFinite(v) ? v : null);
    if (c.time.length === 0 || c.time[0] > 0) steps.push({ curve: c.name, time: 0, surv: 1, lower: 1, upper: 1 });
    for (let i = 0; i < c.time.length; i++) steps.push({ curve: c.name, time: c.time[i], surv: c.surv[i], lower: ok(c.lower[i]), upper: ok(c.upper[i]) });
    const lastT = c.time.length > 0 ? c.time[c.time.length - 1] : 0;
    const lastCensor = c.censorTimes.length > 0 ? Math.max(...c.censorTimes) : -Infinity;
    if (lastCensor > lastT) {
      const last = steps[steps.length - 1];
      steps.push({ ...last, time: lastCensor });
    }
  }
  const censors: { curve: string; time: number; surv: number }[] = [];
  for (const c of input.curves) for (let i = 0; i < c.censorTimes.length; i++) censors.push({ curve: c.name, time: c.censorTimes[i], surv: c.censorSurv[i] });
  const medians: { curve: string; x: number; x2: number; y: number; y2: number }[] = [];
  for (const c of input.curves) {
    if (c.median === null || !Number.isFinite(c.median) || c.median > xMax) continue;
    medians.push({ curve: c.name, x: 0, x2: c.median, y: 0.5, y2: 0.5 });
    medians.push({ curve: c.name, x: c.median, x2: c.median, y: 0, y2: 0.5 });
  }
  const risk: { curve: string; time: number; label: string }[] = [];
  for (const r of input.riskTable.rows) {
    r.nRisk.forEach((n, j) => risk.push({ curve: r.name, time: input.riskTable.times[j], label: formatCount(n, 10, suppress) }));
  }
  const riskNames = input.riskTable.rows.map((r) => r.name);

  const widthInches = input.widthInches ?? 7;
  const total = figureWidthPx(widthInches);
  const fs = fontSizeFor(widthInches);
  const longestName = Math.max(...riskNames.map((n) => textWidth(n, fs)), 0);
  const left = Math.max(longestName + 22, 48);
  const width = Math.max(120, Math.round(total - left - 24));
  const height = Math.round(width * (widthInches < 5 ? 0.75 : 0.55));

  const x = {
    field: 'time', type: 'quantitative' as const, scale: { domain: xDomain, nice: false, zero: true },
    axis: { values: input.breaks, title: input.xLabel, format: ',~f', labelFlush: false, labelOverlap: false },
  };
  // Every layer carries identical axis definitions: when layers disagree, Vega-Lite drops the
  // explicit tick values and falls back to a height-dependent tick count.
  const yAxis = { values: [0, 0.25, 0.5, 0.75, 1], format: '.2f', title: input.yLabel, labelOverlap: false };
  const xAt = (field: string): Record<string, unknown> => ({ ...x, field });
  const yAt = (field: string): Record<string, unknown> => ({ field, type: 'quantitative', scale: { domain: [0, 1], nice: false }, axis: yAxis });
  // Every layer must carry the same legend definition, or Vega-Lite drops the merged legend.
  const colour = {
    field: 'curve', type: 'nominal' as const, scale: { domain: names, range: colours },
    legend: { orient: 'top', title: null, symbolType: 'stroke', symbolStrokeWidth: 2, symbolOpacity: 1, labelFontSize: fs, direction: 'horizontal', labelLimit: 0, offset: 8 },
  };
  const colourMap = JSON.stringify(Object.fromEntries(names.map((n, i) => [n, colours[i]])));
  const pText = input.pLabel ?? (input.pValue === null ? '' : `Log-rank ${formatP(input.pValue)}`);

  const layers: unknown[] = [
    {
      name: 'band',
      data: { values: steps.filter((s) => s.lower !== null && s.upper !== null) },
      mark: { type: 'area', interpolate: 'step-after', opacity: 0.18, clip: true },
      encoding: { x, y: yAt('lower'), y2: { field: 'upper' }, color: colour },
    },
    {
      name: 'curve',
      data: { values: steps },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, clip: true },
      encoding: {
        x,
        y: yAt('surv'),
        color: colour,
      },
    },
    {
      name: 'censor',
      data: { values: censors },
      // aria: false — one screen-reader label per censored patient (thousands) says nothing
      // useful and triples the SVG; the figure's own label and the risk table carry the content.
      mark: { type: 'point', shape: 'M-1,0H1M0,-1V1', filled: false, size: 28, strokeWidth: 1, opacity: 1, clip: true, aria: false },
      encoding: { x, y: yAt('surv'), color: colour },
    },
  ];
  if (medians.length > 0) {
    layers.push({
      name: 'median',
      data: { values: medians },
      mark: { type: 'rule', strokeDash: [4, 3], color: REFERENCE_GREY, strokeWidth: 0.8 },
      encoding: { x: xAt('x'), x2: { field: 'x2' }, y: yAt('y'), y2: { field: 'y2' } },
    });
  }
  if (pText !== '') {
    layers.push({
      name: 'pvalue',
      data: { values: [{ time: xMax * 0.03, surv: 0.06, text: pText }] },
      mark: { type: 'text', align: 'left', baseline: 'bottom', fontSize: fs + 1 },
      encoding: { x, y: yAt('surv'), text: { field: 'text' } },
    });
  }
  const subtitle: string[] = [];
  if (input.note) subtitle.push(input.note);
  if (input.synthetic) subtitle.push(SYNTHETIC_STAMP);
  const plot = { name: 'km', width, height, layer: layers };
  const table = {
    name: 'count_risktable',
    width,
    height: 14 * riskNames.length,
    title: { text: 'Number at risk', fontSize: fs, fontWeight: 'bold', anchor: 'start', offset: 4 },
    data: { values: risk },
    mark: { type: 'text', fontSize: fs },
    encoding: {
      x: { ...x, axis: null },
      y: {
        field: 'curve', type: 'nominal', scale: { domain: riskNames },
        axis: { title: null, domain: false, ticks: false, labelPadding: 16, labelColor: { expr: `${colourMap}[datum.value] || '#000'` }, labelFontWeight: 'bold' },
      },
      text: { field: 'label' },
      color: colour,
    },
  };

  return {
    // Caveat and synthetic stamp go under the title, where they can never collide with a curve.
    title: subtitle.length > 0
      ? { text: input.title, subtitle, subtitleColor: input.synthetic ? WARNING_RED : '#444', subtitleFontWeight: input.synthetic ? 'bold' : 'normal' }
      : { text: input.title },
    config: baseConfig(fs),
    spacing: 14,
    vconcat: [plot, table],
    resolve: { scale: { color: 'shared' } },
  } as unknown as VegaLiteSpec;
}
