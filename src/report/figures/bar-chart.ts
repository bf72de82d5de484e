/**
 * Horizontal bar chart of a proportion by category (e.g. surgery rate by facility type), with
 * each bar labelled "45.2% (123/272)".
 *
 * Inputs: `BarChartInput` — rows { category, count, total } (numbers, or strings already
 * suppressed upstream). Output: a Vega-Lite spec.
 * Method: suppression follows suppress.ts: a count of 1-9 hides the bar and shows '<10'; a
 * complement (total - count) of 1-9 also hides the bar, labelled 'suppressed', because the
 * percentage with the total would give the small complement back; a total of 0 shows 'no
 * patients'. Percent axis from 0 to 100%.
 * Reference: suppression rule in suppress.ts (NCDB PUF data-use agreement).
 */

import type { VegaLiteSpec } from '../vega-render.js';
import { OKABE_ITO } from '../palette.js';
import { formatCount, isSmallCell } from '../suppress.js';
import { baseConfig, figureTitle, figureWidthPx, textWidth, fontSizeFor } from './theme.js';
import { SYNTHETIC_STAMP } from './km-plot.js';
import { SpecificationError } from '../../core/errors.js';

export interface BarRow {
  category: string;
  count: number | string;
  total: number | string;
}

export interface BarChartInput {
  title: string;
  rows: BarRow[];
  /** Axis title, e.g. 'Patients receiving surgery'. */
  xLabel: string;
  /** Suppress counts 1-9 (default true). */
  suppress?: boolean;
  synthetic?: boolean;
  /** Printed width (default 5.5 in: labels beside the bars need more than a single column). */
  widthInches?: number;
}

export interface BarDisplay {
  category: string;
  /** Proportion 0-1 to draw, or null when the bar is hidden. */
  proportion: number | null;
  label: string;
}

/** Decides, per category, what may be drawn and what the label says. */
export function barDisplay(row: BarRow, suppress = true): BarDisplay {
  const { category, count, total } = row;
  if (typeof count === 'string' || typeof total === 'string') {
    return { category, proportion: null, label: typeof count === 'string' ? count : 'suppressed' };
  }
  if (!(count >= 0) || !(total >= 0) || count > total) {
    throw new SpecificationError(`bar "${category}": count must be between 0 and its total`, { value: `${count}/${total}` });
  }
  if (total === 0) return { category, proportion: null, label: 'no patients' };
  if (suppress && isSmallCell(count)) return { category, proportion: null, label: formatCount(count) };
  if (suppress && isSmallCell(total - count)) return { category, proportion: null, label: 'suppressed' };
  const p = count / total;
  return { category, proportion: p, label: `${(100 * p).toFixed(1)}% (${count.toLocaleString('en-US')}/${total.toLocaleString('en-US')})` };
}

export function barChartSpec(input: BarChartInput): VegaLiteSpec {
  if (input.rows.length === 0) throw new SpecificationError('bar chart needs at least one category', { field: 'rows' });
  const rows = input.rows.map((r) => barDisplay(r, input.suppress ?? true));
  const order = rows.map((r) => r.category);
  const widthInches = input.widthInches ?? 5.5;
  const total = figureWidthPx(widthInches);
  const fs = fontSizeFor(widthInches);
  const labelW = Math.max(...order.map((s) => textWidth(s, fs))) + 8;
  const valueW = Math.max(...rows.map((r) => textWidth(r.label, fs))) + 6;
  // The label sits right of the bar: keep room for it after a 100% bar.
  const width = Math.max(80, total - labelW - 20);
  const barMax = Math.max(40, width - valueW);
  const y = { field: 'category', type: 'nominal' as const, scale: { domain: order, paddingInner: 0.25 }, axis: { title: null, ticks: false, labelPadding: 4 } };
  const x = {
    field: 'proportion', type: 'quantitative' as const,
    scale: { domain: [0, width / barMax], nice: false },
    axis: { values: [0, 0.25, 0.5, 0.75, 1], format: '.0%', title: input.xLabel },
  };
  return {
    title: figureTitle(input.title, input.synthetic, SYNTHETIC_STAMP),
    config: baseConfig(fs),
    width,
    height: 20 * rows.length,
    data: { values: rows },
    layer: [
      { name: 'bars', transform: [{ filter: 'datum.proportion !== null' }], mark: { type: 'bar', color: OKABE_ITO.blue }, encoding: { y, x } },
      {
        name: 'count_labels',
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: fs },
        encoding: { y, x: { field: 'labelX', type: 'quantitative' }, text: { field: 'label' } },
        transform: [{ calculate: 'datum.proportion === null ? 0 : datum.proportion', as: 'labelX' }],
      },
    ],
  } as unknown as VegaLiteSpec;
}
