import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmPlotSpec, SYNTHETIC_STAMP } from './km-plot.js';
import { kaplanMeierForSample, numberAtRisk, sampleKmInput } from './sample-data.js';
import { renderSvg } from '../vega-render.js';
import { ariaLabels, markGroups, markItemCount, markTexts } from '../svg-query.js';
import { SpecificationError } from '../../core/errors.js';

test('sample KM estimate matches the hand-worked product-limit and Greenwood log CI', () => {
  // time 1 2 3 4, status 1 0 1 1: S = 3/4, 3/4, 3/4 * 1/2, 0.
  const c = kaplanMeierForSample('x', [3, 1, 4, 2], [1, 1, 1, 0]);
  assert.deepEqual(c.time, [1, 2, 3, 4]);
  assert.deepEqual(c.surv, [0.75, 0.75, 0.375, 0]);
  assert.deepEqual(c.censorTimes, [2]);
  assert.equal(c.median, 3);
  const se1 = Math.sqrt(1 / (4 * 3));
  assert.ok(Math.abs(c.lower[0] - 0.75 * Math.exp(-1.959963984540054 * se1)) < 1e-12);
  const se3 = Math.sqrt(1 / 12 + 1 / (2 * 1));
  assert.ok(Math.abs(c.upper[2] - Math.min(1, 0.375 * Math.exp(1.959963984540054 * se3))) < 1e-12);
  assert.deepEqual(numberAtRisk([3, 1, 4, 2], [0, 2, 4, 5]), [4, 3, 1, 0]);
});

test('KM figure: one stepped curve and one band per group, axes, legend, p-value, stamp, note', async () => {
  const input = sampleKmInput();
  const svg = await renderSvg(kmPlotSpec(input));
  assert.equal(markGroups(svg, 'curve_marks').length, input.curves.length);
  assert.equal(markGroups(svg, 'band_marks').length, input.curves.length);
  const labels = ariaLabels(svg);
  assert.ok(labels.some((l) => l.startsWith(`X-axis titled '${input.xLabel}'`)));
  assert.ok(labels.some((l) => l.startsWith(`Y-axis titled '${input.yLabel}'`)));
  assert.ok(labels.some((l) => l.includes('legend') && input.curves.every((c) => l.includes(c.name))));
  assert.deepEqual(markTexts(svg, 'pvalue_marks'), ['Log-rank p = 0.003']);
  const subtitle = ariaLabels(svg).find((l) => l.startsWith('Subtitle text'));
  assert.ok(subtitle?.includes(SYNTHETIC_STAMP) && subtitle.includes('Subject to immortal-time bias'), subtitle);
  // x ticks are exactly the breaks and y ticks the quarters, also in a single column.
  for (const s of [svg, await renderSvg(kmPlotSpec({ ...input, widthInches: 3.5 }))]) {
    const ticks = markTexts(s, 'role-axis-label');
    assert.deepEqual(ticks, [...input.breaks.map(String), '0.00', '0.25', '0.50', '0.75', '1.00', ...input.riskTable.rows.map((r) => r.name)]);
  }
  // Step-after lines: every path segment is horizontal or vertical (H/V or equal coordinates).
  for (const g of markGroups(svg, 'curve_marks')) {
    const d = /\sd="([^"]+)"/.exec(g.replace(/class="(background|foreground)"[^>]*>/g, ''))?.[1] ?? '';
    const pts = [...d.matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.ok(pts.length > 10);
    for (let i = 1; i < pts.length; i++) {
      assert.ok(Math.abs(pts[i][0] - pts[i - 1][0]) < 1e-6 || Math.abs(pts[i][1] - pts[i - 1][1]) < 1e-6, 'diagonal segment in a KM step curve');
    }
  }
});

test('KM figure: one + mark per censoring time, two median rules per curve with a median', async () => {
  const input = sampleKmInput();
  const svg = await renderSvg(kmPlotSpec(input));
  const nCensor = input.curves.reduce((s, c) => s + c.censorTimes.length, 0);
  assert.equal(markItemCount(svg, 'censor_marks', 'path'), nCensor);
  const withMedian = input.curves.filter((c) => c.median !== null).length;
  assert.equal(markItemCount(svg, 'median_marks', 'line'), 2 * withMedian);
});

test('KM risk table: one row per group, cells equal the input counts, 1-9 shown as <10', async () => {
  const input = sampleKmInput();
  const svg = await renderSvg(kmPlotSpec(input));
  const expected = input.riskTable.rows.flatMap((r) => r.nRisk.map((n) => (typeof n === 'number' && n > 0 && n < 10 ? '<10' : n.toLocaleString('en-US'))));
  assert.deepEqual(markTexts(svg, 'count_risktable_marks'), expected);
  assert.ok(expected.includes('<10') && expected.includes('0'));
  // Row labels (y axis of the table) are the group names.
  const rowLabels = ariaLabels(svg).find((l) => l.startsWith('Y-axis for a discrete scale'));
  assert.ok(rowLabels && input.riskTable.rows.every((r) => rowLabels.includes(r.name)));

  const raw = await renderSvg(kmPlotSpec({ ...input, suppress: false }));
  assert.deepEqual(markTexts(raw, 'count_risktable_marks'), input.riskTable.rows.flatMap((r) => r.nRisk.map(String)));
  // Pre-suppressed strings pass through untouched.
  const strings = { ...input, riskTable: { times: [0, 12], rows: [{ name: input.curves[0].name, nRisk: ['1,200', '<10'] }, { name: input.curves[1].name, nRisk: [40, 0] }] }, breaks: [0, 12] };
  assert.deepEqual(markTexts(await renderSvg(kmPlotSpec(strings)), 'count_risktable_marks'), ['1,200', '<10', '40', '0']);
});

test('KM figure: no stamp unless synthetic; bad input is one clear error', async () => {
  const input = { ...sampleKmInput(), synthetic: false };
  const svg = await renderSvg(kmPlotSpec(input));
  assert.equal(svg.includes('SYNTHETIC'), false);
  const bad = sampleKmInput();
  bad.curves[1].upper = bad.curves[1].upper.slice(1);
  assert.throws(() => kmPlotSpec(bad), (e: unknown) => e instanceof SpecificationError && e.context.field === 'curves[1]');
  const badRisk = sampleKmInput();
  badRisk.riskTable.rows[0].nRisk.pop();
  assert.throws(() => kmPlotSpec(badRisk), (e: unknown) => e instanceof SpecificationError && e.context.field === 'riskTable.rows[0]');
});

test('KM figure: one curve dropping to 0, no p-value, median beyond the axis', async () => {
  // time 1..4 all events: S = 3/4, 1/2, 1/4, 0; CI undefined at S = 0 (R gives NA).
  const c = kaplanMeierForSample('All patients', [1, 2, 3, 4], [1, 1, 1, 1]);
  assert.ok(Number.isNaN(c.lower[3]));
  const input = {
    title: 'One group', curves: [{ ...c, median: 20 }], pValue: null, xLabel: 'Months', yLabel: 'Survival', breaks: [0, 2, 4],
    riskTable: { times: [0, 2, 4], rows: [{ name: 'All patients', nRisk: [4, 3, 1] }] }, suppress: false,
  };
  const svg = await renderSvg(kmPlotSpec(input));
  assert.equal(markGroups(svg, 'curve_marks').length, 1);
  assert.equal(markGroups(svg, 'pvalue_marks').length, 0);
  assert.equal(markGroups(svg, 'median_marks').length, 0, 'median 20 lies beyond the last break (4)');
  assert.deepEqual(markTexts(svg, 'count_risktable_marks'), ['4', '3', '1']);
  // The band skips the undefined limit instead of drawing NaN.
  assert.equal(/NaN/.test(svg), false);
});
