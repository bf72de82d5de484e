/**
 * Forest plot of hazard (or odds) ratios: one row per estimate, grouped under section headers,
 * with the point estimate and 95% CI on a log axis, a reference line at 1, and text columns for
 * "HR (95% CI)", n, events and p.
 *
 * Inputs: `ForestPlotInput` — rows { label, group?, hr, lower, upper, n, events?, p?, note? }.
 * A row whose hr/lower/upper are not all finite and positive (a model that was skipped or did
 * not converge) keeps its line, draws nothing, and shows its note or 'not estimable'.
 * Output: a Vega-Lite spec (hconcat of label, plot and text columns sharing one row scale).
 * Method: ratios are drawn on a log scale so that HR 0.5 and 2 are equidistant from 1; the axis
 * is widened to the nearest "nice" ratio (…, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20, …) around
 * all finite limits, and labelled with as many of those as fit without overlapping (always 1).
 * Counts are suppressed (<10) unless `suppress` is false.
 * Reference: Lewis S, Clarke M. Forest plots: trying to see the wood and the trees. BMJ
 * 2001;322:1479-80; survminer::ggforest.
 */

import type { VegaLiteSpec } from '../vega-render.js';
import { OKABE_ITO, REFERENCE_GREY, WARNING_RED } from '../palette.js';
import { formatCount } from '../suppress.js';
import { formatP, formatRatioCi } from '../format.js';
import { baseConfig, figureWidthPx, textWidth, fontSizeFor, FONT_SIZE } from './theme.js';
import { SYNTHETIC_STAMP } from './km-plot.js';
import { SpecificationError } from '../../core/errors.js';

export interface ForestRow {
  label: string;
  /** Section header the row sits under, e.g. 'Time-dependent Cox'. */
  group?: string;
  hr: number;
  lower: number;
  upper: number;
  n: number | string;
  events?: number | string;
  p?: number | null;
  /** Shown instead of the CI when the row is not estimable (e.g. 'did not converge'). */
  note?: string;
}

export interface ForestPlotInput {
  title: string;
  rows: ForestRow[];
  /** Axis title (default 'Hazard ratio (95% CI)'). */
  xLabel?: string;
  /** Header of the estimate column (default 'HR (95% CI)'). */
  estimateLabel?: string;
  synthetic?: boolean;
  note?: string;
  suppress?: boolean;
  widthInches?: number;
}

/**
 * Candidate ratio ticks, closed under 1/x so that the axis is symmetric about 1 on the log scale:
 * 0.1, 0.25, 0.5, 1, 2, 4, 10 within a decade of 1 (the steps journals use, about one doubling
 * apart) and the 1-2-5 series beyond (…, 0.01, 0.02, 0.05 | 20, 50, 100, …). Built from decimal
 * strings so every value is the exact double of its printed label (0.1, not 0.1000…01).
 */
const NICE_RATIOS: readonly number[] = (() => {
  const out: number[] = [];
  for (let k = -6; k <= 5; k++) {
    const mantissas = k === 0 ? [1, 2, 4] : k === -1 ? [1, 2.5, 5] : [1, 2, 5];
    for (const m of mantissas) out.push(Number(`${m}e${k}`));
  }
  out.push(1e6);
  return out;
})();

/**
 * How readily a tick is labelled when not all fit: 1 first, then decades, then 0.5 and 2, then
 * the rest. A lower rank never loses its place to a higher one.
 */
function tickRank(v: number): number {
  if (v === 1) return 0;
  const k = Math.round(Math.log10(v));
  if (Math.abs(v - 10 ** k) <= 1e-12 * v) return 1;
  if (v === 0.5 || v === 2) return 2;
  return 3;
}

function estimable(r: ForestRow): boolean {
  return [r.hr, r.lower, r.upper].every((v) => Number.isFinite(v) && v > 0) && r.lower <= r.hr && r.hr <= r.upper;
}

/**
 * Log-axis domain and candidate ticks: the domain runs from the nearest nice ratio below the
 * smallest finite lower limit (and below 1) to the nearest one above the largest upper limit
 * (and above 1); `ticks` are all nice ratios inside it, before thinning to fit the width.
 * @example forestDomain([{ label: 'x', hr: 0.6, lower: 0.45, upper: 0.86, n: 10 }]) // { domain: [0.25, 2], ticks: [0.25, 0.5, 1, 2] }
 */
export function forestDomain(rows: readonly ForestRow[]): { domain: [number, number]; ticks: number[] } {
  let lo = 1;
  let hi = 1;
  for (const r of rows) {
    if (!estimable(r)) continue;
    lo = Math.min(lo, r.lower);
    hi = Math.max(hi, r.upper);
  }
  const below = NICE_RATIOS.filter((v) => v <= lo * 0.999);
  const above = NICE_RATIOS.filter((v) => v >= hi * 1.001);
  const dLo = below.length > 0 ? below[below.length - 1]! : lo;
  const dHi = above.length > 0 ? above[0]! : hi;
  return { domain: [dLo, dHi], ticks: NICE_RATIOS.filter((v) => v >= dLo && v <= dHi) };
}

/**
 * Chooses which candidate ticks to label on a log axis `width` px wide. Ticks are taken in rank
 * order (1, decades, 0.5 and 2, the rest; nearest to 1 first), each together with its reciprocal
 * when both are on the axis, so the labels stay symmetric about 1 (never 0.1, 1, 2 without 0.5).
 * A tick (or pair) is kept only if every label clears every kept label by `fontSize` px (widths
 * from text metrics), so labels never overlap and those left are the most familiar ratios.
 * The axis ends stay where they are; only labels are dropped.
 * @example thinTicks([0.05, 0.1, 0.25, 0.5, 1, 2], [0.05, 2], 100) // [0.1, 0.5, 1, 2]
 */
export function thinTicks(ticks: readonly number[], domain: [number, number], width: number, fontSize = FONT_SIZE): number[] {
  const span = Math.log(domain[1] / domain[0]);
  const px = (v: number): number => (width * Math.log(v / domain[0])) / span;
  const half = (v: number): number => textWidth(formatRatioTick(v), fontSize) / 2;
  const clear = (a: number, b: number): boolean => Math.abs(px(a) - px(b)) >= half(a) + half(b) + fontSize;
  const distance = (v: number): number => Math.abs(Math.log(v));
  const order = [...ticks].sort((a, b) => tickRank(a) - tickRank(b) || distance(a) - distance(b) || a - b);
  const keep: number[] = [];
  const seen = new Set<number>();
  for (const v of order) {
    if (seen.has(v)) continue;
    // Its reciprocal on the axis, if any (the candidate set is closed under 1/x).
    const group = order.filter((w) => !seen.has(w) && Math.abs(distance(w) - distance(v)) < 1e-9);
    for (const w of group) seen.add(w);
    if (group.every((w) => keep.every((k) => clear(w, k)) && group.every((u) => u === w || clear(w, u)))) keep.push(...group);
  }
  return ticks.filter((v) => keep.includes(v));
}

/** A ratio tick label without trailing zeros: 0.25 → '0.25', 1 → '1', 0.1 → '0.1', 20 → '20'. */
export function formatRatioTick(v: number): string {
  return String(Number(v.toPrecision(6)));
}

export function forestPlotSpec(input: ForestPlotInput): VegaLiteSpec {
  if (input.rows.length === 0) throw new SpecificationError('forest plot needs at least one row', { field: 'rows' });
  const suppress = input.suppress ?? true;
  const hasEvents = input.rows.some((r) => r.events !== undefined);
  const hasP = input.rows.some((r) => r.p !== undefined && r.p !== null);

  interface Line { key: string; header: boolean; label: string; hr: number | null; lower: number | null; upper: number | null; estimate: string; reason: string; n: string; events: string; p: string }
  const lines: Line[] = [];
  let group: string | undefined;
  const key = (): string => `r${String(lines.length).padStart(3, '0')}`;
  for (const r of input.rows) {
    if (r.group !== undefined && r.group !== group) {
      lines.push({ key: key(), header: true, label: r.group, hr: null, lower: null, upper: null, estimate: '', reason: '', n: '', events: '', p: '' });
    }
    group = r.group;
    const ok = estimable(r);
    lines.push({
      key: key(), header: false, label: r.label,
      hr: ok ? r.hr : null, lower: ok ? r.lower : null, upper: ok ? r.upper : null,
      estimate: ok ? formatRatioCi(r.hr, r.lower, r.upper) : '—',
      // A skipped analysis is explained across the plot panel, where there is room for it.
      reason: ok ? '' : (r.note ?? 'not estimable'),
      n: formatCount(r.n, 10, suppress),
      events: r.events === undefined ? '' : formatCount(r.events, 10, suppress),
      p: r.p === undefined || r.p === null ? '' : formatP(r.p).replace(/^p = /, '').replace(/^p /, ''),
    });
  }
  const keys = lines.map((l) => l.key);
  const rowH = 16;
  const height = rowH * lines.length;
  const y = { field: 'key', type: 'ordinal' as const, scale: { domain: keys, paddingInner: 0, paddingOuter: 0.5 }, axis: null };
  const { domain, ticks } = forestDomain(input.rows);

  const widthInches = input.widthInches ?? 7;
  const total = figureWidthPx(widthInches);
  const fs = fontSizeFor(widthInches);
  const labelW = Math.min(Math.max(...lines.map((l) => textWidth(l.label, fs, l.header) + (l.header ? 0 : 10)), 60) + 6, total * 0.34);
  const estW = Math.max(...lines.map((l) => textWidth(l.estimate, fs)), textWidth(input.estimateLabel ?? 'HR (95% CI)', fs)) + 8;
  const nW = 34;
  const pW = 32;
  const plotW = Math.max(100, total - labelW - estW - nW - (hasEvents ? nW : 0) - (hasP ? pW : 0) - 16 - 8 * 5);

  const textColumn = (name: string, field: keyof Line, title: string, width: number, align: 'left' | 'right' | 'center' = 'right'): unknown => ({
    name,
    width,
    height,
    title: { text: title, fontSize: fs, fontWeight: 'bold', anchor: align === 'left' ? 'start' : align === 'right' ? 'end' : 'middle', offset: 6 },
    data: { values: lines },
    mark: { type: 'text', align, baseline: 'middle', fontSize: fs },
    encoding: {
      y,
      x: { value: align === 'left' ? 0 : align === 'right' ? width : width / 2 },
      text: { field },
    },
  });

  const labels = {
    name: 'labels',
    width: labelW,
    height,
    title: { text: ' ', fontSize: fs, offset: 6 },
    data: { values: lines },
    // Per-row styles are Vega expressions on the mark: dx and fontWeight are not encoding channels.
    mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: fs, dx: { expr: 'datum.header ? 0 : 10' }, fontWeight: { expr: "datum.header ? 'bold' : 'normal'" } },
    encoding: {
      y,
      x: { value: 0 },
      text: { field: 'label' },
    },
  };
  const xScale = { type: 'log', domain, nice: false };
  const plot = {
    name: 'forest',
    width: plotW,
    height,
    title: { text: ' ', fontSize: fs, offset: 6 },
    layer: [
      { name: 'reference_line', data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: REFERENCE_GREY, strokeDash: [4, 3] }, encoding: { x: { field: 'one', type: 'quantitative', scale: xScale } } },
      {
        name: 'ci',
        data: { values: lines.filter((l) => l.hr !== null) },
        mark: { type: 'rule', color: '#000', strokeWidth: 1, clip: true },
        encoding: { y, x: { field: 'lower', type: 'quantitative', scale: xScale }, x2: { field: 'upper' } },
      },
      {
        name: 'not_estimable',
        data: { values: lines.filter((l) => l.reason !== '') },
        mark: { type: 'text', align: 'center', baseline: 'middle', fontStyle: 'italic', color: REFERENCE_GREY, fontSize: fs - 1 },
        encoding: { y, text: { field: 'reason' }, x: { value: plotW / 2 } },
      },
      {
        name: 'estimates',
        data: { values: lines.filter((l) => l.hr !== null) },
        mark: { type: 'point', shape: 'square', filled: true, color: OKABE_ITO.blue, size: 40, opacity: 1 },
        encoding: {
          y,
          x: { field: 'hr', type: 'quantitative', scale: xScale, axis: { values: thinTicks(ticks, domain, plotW, fs), format: '~r', labelOverlap: false, title: input.xLabel ?? 'Hazard ratio (95% CI)', grid: false } },
        },
      },
    ],
  };
  const columns: unknown[] = [labels, plot, textColumn('estimate_column', 'estimate', input.estimateLabel ?? 'HR (95% CI)', estW, 'right'), textColumn('count_n', 'n', 'n', nW)];
  if (hasEvents) columns.push(textColumn('count_events', 'events', 'Events', nW));
  if (hasP) columns.push(textColumn('p_column', 'p', 'p', pW));

  const subtitle: string[] = [];
  if (input.note) subtitle.push(input.note);
  if (input.synthetic) subtitle.push(SYNTHETIC_STAMP);
  return {
    title: subtitle.length > 0
      ? { text: input.title, subtitle, subtitleColor: input.synthetic ? WARNING_RED : '#444', subtitleFontWeight: input.synthetic ? 'bold' : 'normal' }
      : { text: input.title },
    config: baseConfig(fs),
    spacing: 8,
    hconcat: columns,
    resolve: { scale: { y: 'shared' } },
  } as unknown as VegaLiteSpec;
}
