/**
 * The outcomes report's two figures that the report module has no builder for: the washout
 * histogram and the cumulative-incidence step curves. Both are Vega-Lite specs in the report's
 * shared look (report/figures/theme.ts, Okabe–Ito colours), rendered by report/vega-render.
 *
 * Inputs: bins with counts (already suppressed where needed: a suppressed bin draws no bar, its
 * label says '<T'); curves as cmprsk's corners (time, est). Output: a Vega-Lite spec.
 * Method: cumulative incidence is right-continuous and drawn with 'step-after' from (0, 0); the
 * curves come from cuminc's corner list, which already holds each jump twice.
 */
import type { VegaLiteSpec } from '../../../report/vega-render.js';
import { baseConfig, figureTitle, figureWidthPx, fontSizeFor } from '../../../report/figures/theme.js';
import { OKABE_ITO, seriesColours } from '../../../report/palette.js';
import { SYNTHETIC_STAMP } from '../../../report/figures/km-plot.js';

export function washoutHistogramSpec(input: { bins: { from: number; to: number; n: number | string }[]; synthetic: boolean; widthInches?: number }): VegaLiteSpec {
  const widthInches = input.widthInches ?? 6;
  const fs = fontSizeFor(widthInches);
  const values = input.bins.map((b) => ({ from: b.from, to: b.to, n: typeof b.n === 'number' ? b.n : null, label: String(b.n) }));
  const x = { field: 'from', type: 'quantitative', bin: { binned: true, step: 15 }, axis: { title: 'Washout: days from the last ICI dose to surgery', values: values.map((v) => v.from).filter((f) => f % 30 === 0) } };
  return {
    title: figureTitle('Washout distribution (operated patients)', input.synthetic, SYNTHETIC_STAMP),
    config: baseConfig(fs),
    width: figureWidthPx(widthInches) - 60,
    height: 160,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: OKABE_ITO.blue, stroke: 'white', strokeWidth: 0.5 }, transform: [{ filter: 'datum.n !== null' }], encoding: { x, x2: { field: 'to' }, y: { field: 'n', type: 'quantitative', axis: { title: 'Patients', tickMinStep: 1 } } } },
      { name: 'count_labels', mark: { type: 'text', dy: -5, fontSize: fs - 1 }, transform: [{ calculate: 'datum.n === null ? 0 : datum.n', as: 'y' }, { calculate: '(datum.from + datum.to) / 2', as: 'mid' }], encoding: { x: { field: 'mid', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } } },
      { mark: { type: 'rule', strokeDash: [4, 3], color: '#666' }, data: { values: [{ at: 30 }, { at: 90 }] }, encoding: { x: { field: 'at', type: 'quantitative' } } },
    ],
  } as unknown as VegaLiteSpec;
}

export function cumulativeIncidenceSpec(input: { curves: { name: string; time: number[]; est: number[] }[]; title: string; xLabel: string; xMaxYears: number; pLabel: string; synthetic: boolean }): VegaLiteSpec {
  const widthInches = 7;
  const fs = fontSizeFor(widthInches);
  const names = input.curves.map((c) => c.name);
  const colours = seriesColours(names.length);
  const values: { curve: string; t: number; est: number }[] = [];
  for (const c of input.curves) c.time.forEach((t, i) => { if (t / 365.25 <= input.xMaxYears) values.push({ curve: c.name, t: t / 365.25, est: c.est[i]! }); });
  const yMax = Math.min(1, Math.max(0.1, Math.ceil(Math.max(...values.map((v) => v.est), 0) * 10 + 1) / 10));
  const colour = { field: 'curve', type: 'nominal', scale: { domain: names, range: colours }, legend: { orient: 'top', title: null, direction: 'horizontal', labelLimit: 0 } };
  return {
    title: figureTitle(input.title, input.synthetic, SYNTHETIC_STAMP),
    config: baseConfig(fs),
    width: figureWidthPx(widthInches) - 70,
    height: 230,
    layer: [
      { data: { values }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6, clip: true }, encoding: { x: { field: 't', type: 'quantitative', scale: { domain: [0, input.xMaxYears], nice: false }, axis: { title: input.xLabel } }, y: { field: 'est', type: 'quantitative', scale: { domain: [0, yMax], nice: false }, axis: { title: 'Cumulative incidence of rejection', format: '.0%' } }, color: colour } },
      { data: { values: [{ t: input.xMaxYears * 0.97, est: yMax * 0.05, text: input.pLabel }] }, mark: { type: 'text', align: 'right', fontSize: fs + 1 }, encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 'est', type: 'quantitative' }, text: { field: 'text' } } },
    ],
  } as unknown as VegaLiteSpec;
}
