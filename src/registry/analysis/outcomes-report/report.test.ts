/**
 * The outcomes report document: self-contained (nothing that loads, no URL), small cells suppressed
 * at the default threshold and at a higher one (stated in the report), suppression off carries the
 * banner, the sparse-covariate decision is written out, and a registry without transplants names
 * the analyses it could not run instead of drawing them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUPPRESSION_OFF_BANNER } from '../../../report/html.js';
import { findSmallCells } from '../../../report/suppress.js';
import { computeOutcomes } from './compute.js';
import { readExportFiles } from './export-data.js';
import { buildOutcomesReport } from './report.js';
import { fixtureExportFiles, fixtureOperations } from './test-export-fixture.js';

const data = () => readExportFiles(fixtureExportFiles());

/** Whole-cell integers of every table cell. */
function cellIntegers(html: string): number[] {
  return [...html.matchAll(/<td\b[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!.replace(/,/g, '').trim()).filter((t) => /^\d+$/.test(t)).map(Number);
}

test('the report is one self-contained document: no script, stylesheet link, image, font or URL', async () => {
  const { html, figures, tables } = await buildOutcomesReport(computeOutcomes(data(), fixtureOperations()));
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\((?!#)/i);
  assert.doesNotMatch(html, /https?:/i);
  assert.ok(figures.length >= 7, 'flow, washout, three KM, cumulative incidence, forest');
  for (const id of ['enrolment', 'flow', 'washout', 'survival', 'rejection', 'pathology', 'irae', 'data-quality', 'methods']) assert.match(html, new RegExp(`<section class="report-section" id="${id}">`));
  assert.ok(tables.some((t) => t.name === 'washout-hazard-ratios'));
  assert.match(html, /SYNTHETIC DATA/);
});

test('default suppression: no count 1-9 anywhere, "<10" where one was, the threshold stated', async () => {
  const r = computeOutcomes(data(), fixtureOperations());
  const { html } = await buildOutcomesReport(r);
  assert.deepEqual(findSmallCells(html), []);
  // the fixture's 30-89-day group has fewer than 10 deaths without rejection
  const g = !('skipped' in r.rejection) ? r.rejection.groups.find((x) => x.group === '30to89')! : null;
  assert.ok(g !== null && g.deaths > 0 && g.deaths < 10);
  assert.match(html, /<td class="align-right count">&lt;10<\/td>/);
  assert.match(html, /every count from 1 to 9 is shown as &lt;10/);
});

test('a threshold of 20 hides every count 1-19 and says so; suppression off shows them under the red banner', async () => {
  const r20 = computeOutcomes(data(), fixtureOperations(), { suppressBelow: 20 });
  const h20 = (await buildOutcomesReport(r20)).html;
  const small = cellIntegers(h20).filter((n) => n > 0 && n < 20);
  assert.deepEqual(small, []);
  assert.match(h20, /shown as &lt;20/);
  assert.match(h20, /&lt;20/);
  const off = (await buildOutcomesReport(computeOutcomes(data(), fixtureOperations(), { suppression: false }))).html;
  assert.ok(off.includes(SUPPRESSION_OFF_BANNER));
  assert.ok(findSmallCells(off).length > 0, 'small counts are shown when suppression is off');
});

test('sparse covariate levels are named in the report; without transplants the rejection analyses say why they are missing', async () => {
  const r = computeOutcomes(data(), fixtureOperations());
  const { html } = await buildOutcomesReport(r);
  assert.match(html, /levels nivo_ipi, pembrolizumab are pooled into one level &quot;pooled&quot;/);
  const d = data();
  const none = { ...d, patients: d.patients.map((p) => ({ ...p, transplanted: 0, rejectionDays: NaN, rejectionStatus: NaN })) };
  const r0 = computeOutcomes(none, fixtureOperations());
  assert.deepEqual(r0.rejection, { skipped: 'no transplant recipient has rejection follow-up and a washout' });
  const h0 = (await buildOutcomesReport(r0)).html;
  assert.match(h0, /Rejection analyses: not estimable.<\/strong> no transplant recipient has rejection follow-up and a washout/);
});

test('enrolment by site: the year table sums the months (fixture: BCN 8+10+12+14, LYON 10+12+14+16, TOR 12+14+16+8 in 2024)', async () => {
  const { tables } = await buildOutcomesReport(computeOutcomes(data(), fixtureOperations()));
  const year = tables.find((t) => t.name === 'enrolment-by-year')!.table;
  assert.deepEqual(year.rows, [
    { period: '2024', BCN: 44, LYON: 52, TOR: 50, total: 146 },
    { period: 'All', BCN: 44, LYON: 52, TOR: 50, total: 146 },
  ]);
  const month = tables.find((t) => t.name === 'enrolment-by-month')!.table;
  assert.deepEqual(month.rows[0], { period: '2024-01', BCN: '<10', LYON: 10, TOR: 12, total: 30 });
});
