import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forestDomain, forestPlotSpec, formatRatioTick, thinTicks } from './forest-plot.js';
import { sampleForestInput } from './sample-data.js';
import { renderSvg } from '../vega-render.js';
import { ariaLabels, markItemCount, markTexts } from '../svg-query.js';
import { SpecificationError } from '../../core/errors.js';

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

test('forestDomain: nearest nice ratio (0.1-0.25-0.5 near 1, 1-2-5 beyond) around 1 and every finite limit', () => {
  const row = (lower: number, upper: number) => ({ label: 'x', hr: Math.sqrt(lower * upper), lower, upper, n: 100 });
  // 0.4 → 0.25 below; 4.6 → 10 above (4 is too small); candidates are every nice ratio between.
  assert.deepEqual(forestDomain([row(0.45, 0.86), row(0.4, 4.6)]), { domain: [0.25, 10], ticks: [0.25, 0.5, 1, 2, 4, 10] });
  assert.deepEqual(forestDomain([row(1.2, 1.9)]), { domain: [0.5, 2], ticks: [0.5, 1, 2] });
  // A limit on a nice value gets a margin (0.05 → 0.02); beyond a decade of 1 the series is 1-2-5.
  assert.deepEqual(forestDomain([row(0.05, 30)]), { domain: [0.02, 50], ticks: [0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20, 50] });
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

test('thinTicks: 1, then decades, then 0.5/2, then the rest, with its reciprocal, only if the labels clear the others by 1 em (hand-worked)', () => {
  // 9 pt labels: a digit is 5.004 px and '.' 2.502 px wide, so '1' is 5.0, '0.5' 12.5, '0.25' 17.5;
  // two labels fit when their centres are >= half-width + half-width + 9 px apart.
  // Domain 0.05..2 on 100 px (ln 40): 0.05→0, 0.1→18.8, 0.25→43.6, 0.5→62.4, 1→81.2, 2→100.
  // 1; 0.1 (62.4 from 1 ≥ 17.8); 0.5 (18.8 from 1 ≥ 17.8); 2 (18.8 ≥ 14.0);
  // 0.25 (18.8 from 0.5 < 24.0: dropped); 0.05 (18.8 from 0.1 < 24.0: dropped).
  assert.deepEqual(thinTicks([0.05, 0.1, 0.25, 0.5, 1, 2], [0.05, 2], 100), [0.1, 0.5, 1, 2]);
  // Domain 0.02..50 on 100 px (ln 2500): one doubling is 8.9 px, so 0.5/2, 0.25/4 and 0.05/20 all
  // collide with a decade already kept; 0.1 and 10 sit 29.4 px from 1. 50 alone would fit
  // (20.6 px from 10 ≥ 5.0 + 5.0 + 9 = 19.0) but its reciprocal 0.02 does not (20.6 px from 0.1
  // < 24.0), so the pair is dropped and the labels stay symmetric.
  const wide = [0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20, 50];
  assert.deepEqual(thinTicks(wide, [0.02, 50], 100), [0.1, 1, 10]);
  // Same axis on 240 px: a doubling is 21.3 px. 1; 0.1/10; 0.5/2 (21.3 from 1 ≥ 17.8 and ≥ 14.0);
  // 0.25/4 dropped (0.25 is 21.3 from 0.5 < 24.0); 0.05/20 dropped (21.3 from 0.1 < 24.0);
  // 0.02/50 kept (49.4 px from 0.1 and from 10).
  assert.deepEqual(thinTicks(wide, [0.02, 50], 240), [0.02, 0.1, 0.5, 1, 2, 10, 50]);
  // Room for all (one doubling = 75 px): unchanged.
  assert.deepEqual(thinTicks([0.25, 0.5, 1, 2, 4, 10], [0.25, 10], 400), [0.25, 0.5, 1, 2, 4, 10]);
});

test('forest plot: the drawn log axis labels are nice ratios without trailing zeros, always including 1', async () => {
  const row = (label: string, lower: number, upper: number) => ({ label, hr: Math.sqrt(lower * upper), lower, upper, n: 100 });
  for (const rows of [[row('a', 0.098, 0.64)], [row('a', 0.03, 6.4), row('b', 0.9, 1.4)], [row('a', 1.2, 1.9)]]) {
    const spec = forestPlotSpec({ title: 't', rows });
    const svg = await renderSvg(spec);
    const labels = markTexts(svg, 'role-axis-label');
    assert.ok(labels.includes('1'), labels.join(' '));
    const { ticks } = forestDomain(rows);
    for (const t of labels) {
      assert.match(t, /^(0\.\d*[1-9]|[1-9]\d*)$/, `label '${t}' has no trailing zero`);
      assert.ok(ticks.includes(Number(t)), `label '${t}' is a nice ratio`);
      assert.equal(t, formatRatioTick(Number(t)));
    }
  }
  assert.deepEqual(['0.25', '1', '2', '0.1', '20'], [0.25, 1, 2, 0.1, 20].map(formatRatioTick));
});
