import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg, renderPng, renderRgba, pngDpi, pngSize, type VegaLiteSpec } from './vega-render.js';
import { sansTextWidth } from './text-metrics.js';
import { SpecificationError } from '../core/errors.js';

const POINTS: VegaLiteSpec = {
  width: 200, height: 100,
  data: { values: [{ a: 1, b: 2 }, { a: 2, b: 4 }, { a: 3, b: 1 }] },
  mark: 'point',
  encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } },
};

test('renderSvg: inline data renders one symbol per datum', async () => {
  const svg = await renderSvg(POINTS);
  assert.match(svg, /^<svg /);
  const marks = /<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  assert.ok(marks);
  assert.equal((marks[1].match(/<path /g) ?? []).length, 3);
});

test('renderSvg: a spec that loads data from a URL is refused, not rendered empty', async () => {
  const spec = { ...POINTS, data: { url: 'https://example.org/data.csv' } } as VegaLiteSpec;
  await assert.rejects(renderSvg(spec), (e: unknown) => e instanceof SpecificationError && e.context.value === 'https://example.org/data.csv');
  const local = { ...POINTS, data: { url: 'file:///etc/passwd' } } as VegaLiteSpec;
  await assert.rejects(renderSvg(local), SpecificationError);
});

test('renderPng: 3.5 in at 300 dpi is 1050 px wide, aspect kept, pHYs says 300 dpi', async () => {
  const svg = await renderSvg(POINTS);
  const w = Number(/width="(\d+)"/.exec(svg)?.[1]);
  const h = Number(/height="(\d+)"/.exec(svg)?.[1]);
  const png = renderPng(svg, { dpi: 300, widthInches: 3.5 });
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const size = pngSize(png);
  assert.equal(size.width, 1050);
  assert.ok(Math.abs(size.height - (1050 * h) / w) <= 1, `height ${size.height} vs ${(1050 * h) / w}`);
  const dpi = pngDpi(png);
  assert.ok(dpi !== null && Math.abs(dpi - 300) < 0.01, `dpi ${dpi}`);
  assert.throws(() => renderPng(svg, { dpi: 0, widthInches: 3.5 }), SpecificationError);
});

test('renderPng: sans-serif text is drawn (a system font was found)', () => {
  const withText = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-family="sans-serif" font-size="20">Number at risk</text></svg>';
  const empty = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>';
  const dark = (svg: string): number => {
    const { pixels } = renderRgba(svg, { dpi: 72, widthInches: 200 / 72 });
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128 && pixels[i + 3] > 128) n++;
    return n;
  };
  assert.equal(dark(empty), 0);
  assert.ok(dark(withText) > 150, `only ${dark(withText)} dark pixels`);
});

test('text metrics: Helvetica AFM widths (closed form)', () => {
  assert.ok(Math.abs(sansTextWidth('0123456789', 10) - 55.6) < 1e-9);
  assert.ok(Math.abs(sansTextWidth('Ii', 1000) - (278 + 222)) < 1e-9);
  assert.ok(sansTextWidth('Bold', 10, true) > sansTextWidth('Bold', 10));
});
