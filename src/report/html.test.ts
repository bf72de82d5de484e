import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHtmlDocument, inlineSvg, renderFigure, SUPPRESSION_OFF_BANNER } from './html.js';
import { buildSampleReport } from './sample-report.js';
import { assertNoSmallCells, findSmallCells } from './suppress.js';
import { SYNTHETIC_STAMP } from './figures/km-plot.js';
import { SpecificationError } from '../core/errors.js';

test('sample report is self-contained: no URL, script, import, external url() or loading tag', async () => {
  const { html, figures } = await buildSampleReport();
  assert.equal(/http/i.test(html), false, 'no "http" anywhere');
  assert.equal(/<script/i.test(html), false);
  assert.equal(/@import/i.test(html), false);
  assert.equal(/<link\b/i.test(html), false);
  assert.equal(/<(img|iframe|object|embed|video|audio|source)\b/i.test(html), false);
  assert.equal(/\s(src|srcset)=/i.test(html), false);
  assert.equal(/@font-face/i.test(html), false);
  for (const m of html.matchAll(/url\(([^)]*)\)/g)) assert.match(m[1], /^#[\w-]+$/, `url(${m[1]}) must be a same-document reference`);
  for (const m of html.matchAll(/href="([^"]*)"/g)) assert.match(m[1], /^#[\w-]+$/, `href ${m[1]}`);
  assert.equal((html.match(/<svg\b/g) ?? []).length, figures);
  assert.doesNotThrow(() => assertNoSmallCells(html));
});

test('sample report: suppression off shows small cells and the red banner (the check is live)', async () => {
  const { html } = await buildSampleReport({ suppressed: false });
  assert.ok(html.includes(SUPPRESSION_OFF_BANNER.replace(/—/g, '—')));
  assert.ok(findSmallCells(html).length >= 4);
  assert.throws(() => assertNoSmallCells(html), SpecificationError);
});

test('document: TOC lists every section, stamps, escaping, print rules', () => {
  const html = buildHtmlDocument({
    title: 'Study <1> & "two"',
    synthetic: true,
    suppressed: true,
    sections: [
      { id: 'a', title: 'Alpha & <b>', html: '<p>x</p>' },
      { id: 'b-2', title: 'Beta', html: '<p>y</p>' },
    ],
  });
  assert.ok(html.includes('<title>Study &lt;1&gt; &amp; &quot;two&quot;</title>'));
  assert.ok(html.includes('<li><a href="#a">Alpha &amp; &lt;b&gt;</a></li><li><a href="#b-2">Beta</a></li>'));
  assert.ok(html.includes('<section class="report-section" id="b-2">'));
  assert.ok(html.includes(SYNTHETIC_STAMP));
  assert.equal(html.includes(SUPPRESSION_OFF_BANNER), false);
  const print = /@media print\s*\{([\s\S]*?)\n\}/.exec(html)![1];
  assert.match(print, /figure\.report-figure, table\.report-table[^{]*\{ break-inside: avoid/);
  assert.match(html, /@page \{\s*@top-center \{\s*content: "SYNTHETIC DATA — not for clinical inference";/);
  const plain = buildHtmlDocument({ title: 't', synthetic: false, suppressed: true, sections: [] });
  assert.equal(plain.includes(SYNTHETIC_STAMP), false);
  assert.equal(plain.includes('class="page-stamp"'), false);
  assert.equal(plain.includes('@top-center'), false);
  const off = buildHtmlDocument({ title: 't', synthetic: false, suppressed: false, sections: [] });
  assert.match(off, /content: "Small-cell suppression is OFF";/);
});

test('document: bad or duplicate section ids are one clear error', () => {
  const doc = (ids: string[]) => buildHtmlDocument({ title: 't', synthetic: false, suppressed: true, sections: ids.map((id) => ({ id, title: id, html: '' })) });
  assert.throws(() => doc(['a', 'a']), (e: unknown) => e instanceof SpecificationError && e.context.field === 'sections[1].id');
  assert.throws(() => doc(['1abc']), SpecificationError);
  assert.throws(() => doc(['a b']), SpecificationError);
});

test('inlineSvg / renderFigure: namespaces dropped, caption escaped, screen width set', () => {
  const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="100" height="50" viewBox="0 0 100 50"><use xlink:href="#m"/></svg>';
  assert.equal(inlineSvg(svg), '<svg width="100" height="50" viewBox="0 0 100 50"><use href="#m"/></svg>');
  const fig = renderFigure({ id: 'f1', svg, caption: 'HR < 1 & "x"', label: 'Figure 1' });
  assert.ok(fig.includes('<figcaption><span class="fig-label">Figure 1.</span> HR &lt; 1 &amp; &quot;x&quot;</figcaption>'));
  assert.ok(fig.includes('style="width: 185px"'), 'a 100-point figure is single-column: 1.85x on screen');
  assert.ok(!fig.includes('http'));
  assert.throws(() => renderFigure({ id: 'bad id', svg, caption: '' }), SpecificationError);
});
