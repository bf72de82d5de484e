import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChartSpec, barDisplay } from './bar-chart.js';
import { sampleBarInput } from './sample-data.js';
import { renderSvg } from '../vega-render.js';
import { markItemCount, markTexts } from '../svg-query.js';
import { SpecificationError } from '../../core/errors.js';

test('barDisplay: suppression of small counts and small complements (hand-worked)', () => {
  assert.deepEqual(barDisplay({ category: 'a', count: 120, total: 410 }), { category: 'a', proportion: 120 / 410, label: '29.3% (120/410)' });
  assert.deepEqual(barDisplay({ category: 'b', count: 6, total: 95 }), { category: 'b', proportion: null, label: '<10' });
  assert.deepEqual(barDisplay({ category: 'c', count: 37, total: 42 }), { category: 'c', proportion: null, label: 'suppressed' });
  assert.deepEqual(barDisplay({ category: 'c', count: 37, total: 42 }, false), { category: 'c', proportion: 37 / 42, label: '88.1% (37/42)' });
  assert.deepEqual(barDisplay({ category: 'd', count: 0, total: 0 }), { category: 'd', proportion: null, label: 'no patients' });
  assert.deepEqual(barDisplay({ category: 'e', count: '<10', total: 95 }), { category: 'e', proportion: null, label: '<10' });
  assert.deepEqual(barDisplay({ category: 'f', count: 0, total: 50 }), { category: 'f', proportion: 0, label: '0.0% (0/50)' });
  assert.throws(() => barDisplay({ category: 'g', count: 60, total: 50 }), SpecificationError);
});

test('bar chart: hidden bars for suppressed categories, one label per category', async () => {
  const input = sampleBarInput();
  const svg = await renderSvg(barChartSpec(input));
  assert.equal(markItemCount(svg, 'bars_marks', 'path'), 3);
  assert.deepEqual(markTexts(svg, 'count_labels_marks'), ['29.3% (120/410)', '42.9% (388/905)', '59.5% (512/860)', '<10', 'suppressed']);
});
