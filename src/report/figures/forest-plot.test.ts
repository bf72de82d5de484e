import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forestDomain, forestPlotSpec, thinTicks } from './forest-plot.js';
import { sampleForestInput } from './sample-data.js';
import { renderSvg } from '../vega-render.js';
import { ariaLabels, markItemCount, markTexts } from '../svg-query.js';
import { SpecificationError } from '../../stats/errors.js';

test('forest plot: one point and one CI per estimable row, headers, text columns, suppression', async () => {
  const input = sampleForestInput();
  const svg = await renderSvg(forestPlotSpec(input));
  const estimable = input.rows.filter((r) => Number.isFinite(r.hr)).length;
  assert.equal(markItemCount(svg, 'estimates_marks', 'path'), estimable);
  assert.equal(markItemCount(svg, 'ci_marks', 'line'), estimable);
  assert.equal(markItemCount(svg, 'reference_line_marks', 'line'), 1);
  // Label column: group headers once each, then their rows.
  const groups = [...new Set(input.rows.map((r) => r.group))];
  const labels = markTexts(svg, 'labels_marks');
  assert.equal(labels.length, input.rows.length + groups.length);
  assert.equal(labels[0], groups[0]);
  assert.equal(labels[1], input.rows[0].label);
  // Estimate column texts, formatted to 2 decimals; the skipped analysis says why.
  const est = markTexts(svg, 'estimate_column_marks').filter((t) => t !== '');
  assert.equal(est[0], '0.62 (0.45–0.86)');
  assert.ok(est.includes('—'));
  assert.deepEqual(markTexts(svg, 'not_estimable_marks'), ['not estimable (no events)']);
  // n = 7 and 4 events are suppressed; 0 shown.
  const n = markTexts(svg, 'count_n_marks').filter((t) => t !== '');
  assert.deepEqual(n, ['1,234', '1,234', '1,480', '820', '<10', '0']);
  assert.deepEqual(markTexts(svg, 'count_events_marks').filter((t) => t !== ''), ['612', '612', '790', '401', '<10', '0']);
  assert.ok(ariaLabels(svg).some((l) => l.startsWith("X-axis titled 'Hazard ratio (95% CI)' for a log scale")));
});

test('forestDomain: doublings around 1 and every finite limit; decades for wide ranges', () => {
  const row = (lower: number, upper: number) => ({ label: 'x', hr: Math.sqrt(lower * upper), lower, upper, n: 100 });
  assert.deepEqual(forestDomain([row(0.45, 0.86), row(0.4, 4.6)]), { domain: [0.25, 8], ticks: [0.25, 0.5, 1, 2, 4, 8] });
  assert.deepEqual(forestDomain([row(1.2, 1.9)]), { domain: [0.5, 2], ticks: [0.5, 1, 2] });
  assert.deepEqual(forestDomain([row(0.05, 30)]), { domain: [0.01, 100], ticks: [0.01, 0.1, 1, 10, 100] });
  assert.deepEqual(forestDomain([{ label: 'x', hr: NaN, lower: NaN, upper: NaN, n: 0 }]).domain, [0.5, 2]);
});

test('forest plot: no rows is one clear error', () => {
  assert.throws(() => forestPlotSpec({ title: 't', rows: [] }), SpecificationError);
});

test('forest plot: every row not estimable still draws the axis around 1 and the reasons', async () => {
  const svg = await renderSvg(forestPlotSpec({ title: 't', rows: [{ label: 'A', hr: NaN, lower: NaN, upper: NaN, n: 12 }, { label: 'B', hr: 2, lower: 3, upper: 4, n: 15, note: 'CI excludes estimate' }] }));
  assert.equal(markItemCount(svg, 'estimates_marks', 'path'), 0);
  assert.deepEqual(markTexts(svg, 'not_estimable_marks'), ['not estimable', 'CI excludes estimate']);
  assert.ok(ariaLabels(svg).some((l) => l.includes('log scale with values from 0.5 to 2')));
});

test('thinTicks: labels at least minGap apart on the log axis, walking out from 1 (hand-worked)', () => {
  // Domain 1/16..2 on 100 px: one doubling is 20 px. From 1 (80 px): 0.5 is 20 px away (dropped),
  // 0.25 is 40 px (kept), 0.125 is 20 px from 0.25 (dropped), 0.0625 is 40 px (kept); 2 is 20 px (dropped).
  assert.deepEqual(thinTicks([0.0625, 0.125, 0.25, 0.5, 1, 2], [0.0625, 2], 100), [0.0625, 0.25, 1]);
  // Room for all: unchanged.
  assert.deepEqual(thinTicks([0.25, 0.5, 1, 2, 4], [0.25, 4], 400), [0.25, 0.5, 1, 2, 4]);
});
