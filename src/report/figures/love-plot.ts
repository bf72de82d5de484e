/**
 * Love plot: covariate balance before and after matching or weighting.
 *
 * Inputs: `LovePlotInput` — rows { variable, smdBefore, smdAfter } (standardized mean
 * differences as computed by the balance step). Output: a Vega-Lite spec.
 * Method: one line per covariate, sorted by imbalance before adjustment (largest at the top),
 * hollow dots for the unadjusted sample and filled dots for the adjusted one, and dashed lines at
 * the conventional |SMD| = 0.1 threshold. By default absolute SMDs are shown (as in
 * cobalt::love.plot and MatchIt's plot(summary(m))); `absolute: false` plots signed SMDs with
 * lines at ±0.1. A non-finite SMD (a constant covariate) is not drawn.
 * Reference: Austin PC. Balance diagnostics for comparing the distribution of baseline
 * covariates between treatment groups in propensity-score matched samples. Stat Med
 * 2009;28:3083-107; Greifer N, cobalt::love.plot.
 */

import type { VegaLiteSpec } from '../vega-render.js';
import { OKABE_ITO, REFERENCE_GREY } from '../palette.js';
import { baseConfig, figureTitle, figureWidthPx, fontSizeFor, textWidth } from './theme.js';
import { SYNTHETIC_STAMP } from './km-plot.js';
import { SpecificationError } from '../../core/errors.js';

export interface LoveRow {
  variable: string;
  smdBefore: number;
  smdAfter: number;
}

export interface LovePlotInput {
  title: string;
  rows: LoveRow[];
  /** Legend labels (default 'Unadjusted' / 'Matched'). */
  beforeLabel?: string;
  afterLabel?: string;
  /** Plot |SMD| (default true). */
  absolute?: boolean;
  /** Balance threshold (default 0.1). */
  threshold?: number;
  synthetic?: boolean;
  widthInches?: number;
}

export function lovePlotSpec(input: LovePlotInput): VegaLiteSpec {
  if (input.rows.length === 0) throw new SpecificationError('Love plot needs at least one covariate', { field: 'rows' });
  const absolute = input.absolute ?? true;
  const threshold = input.threshold ?? 0.1;
  const before = input.beforeLabel ?? 'Unadjusted';
  const after = input.afterLabel ?? 'Matched';
  const v = (x: number): number | null => (Number.isFinite(x) ? (absolute ? Math.abs(x) : x) : null);
  const sorted = [...input.rows].sort((a, b) => Math.abs(Number.isFinite(b.smdBefore) ? b.smdBefore : 0) - Math.abs(Number.isFinite(a.smdBefore) ? a.smdBefore : 0));
  const order = sorted.map((r) => r.variable);
  const points: { variable: string; sample: string; smd: number }[] = [];
  for (const r of sorted) {
    const b = v(r.smdBefore);
    const a = v(r.smdAfter);
    if (b !== null) points.push({ variable: r.variable, sample: before, smd: b });
    if (a !== null) points.push({ variable: r.variable, sample: after, smd: a });
  }
  const maxAbs = Math.max(threshold * 1.5, ...points.map((p) => Math.abs(p.smd)));
  const top = Math.ceil(maxAbs * 10 + 0.5) / 10;
  const domain = absolute ? [0, top] : [-top, top];
  const refs = absolute ? [{ x: threshold }] : [{ x: -threshold }, { x: threshold }, { x: 0 }];

  const widthInches = input.widthInches ?? 3.5;
  const total = figureWidthPx(widthInches);
  const fs = fontSizeFor(widthInches);
  const labelW = Math.max(...order.map((s) => textWidth(s, fs))) + 10;
  const width = Math.max(100, total - labelW - 30);
  const height = 16 * order.length;
  const y = { field: 'variable', type: 'nominal' as const, scale: { domain: order }, axis: { title: null, ticks: false, domain: false, grid: true, gridColor: '#e5e5e5', labelPadding: 4 } };
  // colour, fill and shape describe the same field; identical legend blocks merge into one legend.
  const legend = { orient: 'top', title: null, direction: 'horizontal', offset: 6 };
  const shape = { field: 'sample', type: 'nominal' as const, scale: { domain: [before, after], range: ['circle', 'circle'] }, legend };

  return {
    title: figureTitle(input.title, input.synthetic, SYNTHETIC_STAMP),
    config: baseConfig(fs),
    width,
    height,
    layer: [
      {
        name: 'threshold',
        data: { values: refs },
        mark: { type: 'rule', strokeDash: [4, 3], color: REFERENCE_GREY },
        encoding: { x: { field: 'x', type: 'quantitative', scale: { domain } } },
      },
      {
        name: 'smd_points',
        data: { values: points },
        mark: { type: 'point', size: 30, strokeWidth: 1.3, opacity: 1 },
        encoding: {
          y,
          x: { field: 'smd', type: 'quantitative', scale: { domain, nice: false }, axis: { title: absolute ? 'Absolute standardized mean difference' : 'Standardized mean difference', format: '.1f', tickCount: 5 } },
          color: { field: 'sample', type: 'nominal', scale: { domain: [before, after], range: [OKABE_ITO.vermillion, OKABE_ITO.blue] }, legend },
          fill: { field: 'sample', type: 'nominal', scale: { domain: [before, after], range: ['white', OKABE_ITO.blue] }, legend },
          shape,
        },
      },
    ],
  } as unknown as VegaLiteSpec;
}
