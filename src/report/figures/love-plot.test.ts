import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lovePlotSpec } from './love-plot.js';
import { sampleLoveInput } from './sample-data.js';
import { renderSvg } from '../vega-render.js';
import { ariaLabels, markItemCount, markTexts } from '../svg-query.js';

test('Love plot: covariates sorted by |SMD| before, two dots each, dashed line at 0.1', async () => {
  const input = sampleLoveInput();
  const svg = await renderSvg(lovePlotSpec(input));
  assert.equal(markItemCount(svg, 'smd_points_marks', 'path'), 2 * input.rows.length);
  const yAxis = ariaLabels(svg).find((l) => l.startsWith('Y-axis'));
  assert.ok(yAxis);
  const expectedOrder = ['Age at diagnosis', 'Academic facility', 'Stage IV', 'Charlson-Deyo score', 'Medicaid/uninsured', 'Female'];
  const ticks = markTexts(svg, 'role-axis-label').filter((t) => expectedOrder.includes(t));
  assert.deepEqual(ticks, expectedOrder);
  // Absolute SMDs: the point for Charlson-Deyo before (-0.18) is placed at +0.18.
  const pointsOf = (spec: unknown): { variable: string; sample: string; smd: number }[] =>
    (spec as { layer: { name?: string; data: { values: { variable: string; sample: string; smd: number }[] } }[] }).layer.find((l) => l.name === 'smd_points')!.data.values;
  const charlson = (spec: unknown): number | undefined => pointsOf(spec).find((p) => p.variable === 'Charlson-Deyo score' && p.sample === 'Unadjusted')?.smd;
  assert.equal(charlson(lovePlotSpec(input)), 0.18);
  assert.equal(charlson(lovePlotSpec({ ...input, absolute: false })), -0.18);
  assert.equal(markItemCount(svg, 'threshold_marks', 'line'), 1);
  const signed = await renderSvg(lovePlotSpec({ ...input, absolute: false }));
  assert.equal(markItemCount(signed, 'threshold_marks', 'line'), 3, '-0.1, 0 and +0.1');
});
