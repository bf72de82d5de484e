// Structural tests of the study report on a fixed input: the committed results.json of a real
// small study run (fixtures/study-results.small.json). Expected values are read from that JSON
// with the suppression rule written out here by hand, independent of the report code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../testing/approx.js';
import { buildStudyReport, skippedAnalyses, writeStudyReport } from './build-report.js';
import { readStudyResults, validateStudyResults, type StudyResults } from './study-results.js';
import { createReportContext } from './report-context.js';
import { flowInput } from './sections/cohort.js';
import { flowDiagramSvg } from './figures/flow-diagram.js';
import { markGroups, markItemCount, markTexts } from './svg-query.js';
import { assertNoSmallCells, findSmallCells } from './suppress.js';
import { SUPPRESSION_OFF_BANNER } from './html.js';
import { SYNTHETIC_STAMP } from './figures/km-plot.js';
import { hiddenCells } from './sections/table-one.js';
import { scopeSvgIds } from './sections/parts.js';
import { groupCountTexts, mergeSmallExclusions, suppressCountsInText } from './sections/cohort.js';
import { keyResultSentences } from './sections/key-results.js';
import { ordinal } from './sections/methods.js';
import { NCDB_ACKNOWLEDGEMENT, NCDB_JOINT_PROJECT } from './sections/limitations.js';
import { pngDpi, pngSize } from './vega-render.js';
import { InputError } from '../core/errors.js';
import type { KmJson } from '../study/analyses/common.js';

const FIXTURE = join(REPO_ROOT, 'src', 'report', 'fixtures', 'study-results.small.json');
const load = (): StudyResults => JSON.parse(readFileSync(FIXTURE, 'utf8')) as StudyResults;

/** The suppression rule, written out: 1-9 -> '<10', else the number with thousands separators. */
const shown = (n: number): string => (n > 0 && n < 10 ? '<10' : Math.round(n).toLocaleString('en-US'));

let cached: Promise<Awaited<ReturnType<typeof buildStudyReport>>> | null = null;
const report = () => (cached ??= buildStudyReport(load(), { suppress: true }));

test('fixture report: figures in order, each KM figure with its curves, censor marks, axis ticks and suppressed risk table', async () => {
  const r = load();
  const { figures } = await report();
  const L = r.protocol.analyses.landmark.months;
  assert.deepEqual(figures.map((f) => f.name), [
    'flow-diagram', 'surgery-by-facility', 'surgery-predictors', 'km-naive', 'km-simon-makuch',
    ...L.map((l) => `km-landmark-${l}`), 'forest-hazard-ratios', 'love-psm', 'love-iptw-ate', 'love-iptw-att',
  ]);
  const a = r.analyses as unknown as { km: { naive: KmJson }; simon_makuch: KmJson; landmark: { km: KmJson }[] };
  const kms: [string, KmJson][] = [['km-naive', a.km.naive], ['km-simon-makuch', a.simon_makuch], ...L.map((l, i) => [`km-landmark-${l}`, a.landmark[i]!.km] as [string, KmJson])];
  for (const [name, km] of kms) {
    const svg = figures.find((f) => f.name === name)!.svg;
    // One step line and one band per curve.
    assert.equal(markItemCount(svg, 'curve_marks', 'path'), km.curves.length, `${name}: curves`);
    assert.equal(markItemCount(svg, 'band_marks', 'path'), km.curves.length, `${name}: bands`);
    // A '+' at every time with censoring (n_censor > 0), as survfit's mark.time.
    const censored = km.curves.reduce((s, c) => s + c.n_censor.filter((n) => n > 0).length, 0);
    assert.equal(markItemCount(svg, 'censor_marks', 'path'), censored, `${name}: censor marks`);
    // Risk table: one row per curve, one cell per break, suppressed by hand here.
    const expected = km.curves.flatMap((c) => c.risk_table.n_risk.map(shown));
    assert.deepEqual(markTexts(svg, 'count_risktable_marks'), expected, `${name}: numbers at risk`);
    assert.equal(expected.length, km.curves.length * r.protocol.analyses.km_max_months / r.protocol.analyses.km_break_months + km.curves.length);
    // x ticks at the risk-table times; y ticks 0 to 1.
    const ticks = markGroups(svg, 'role-axis-label').map((g) => [...g.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]));
    assert.ok(ticks.some((t) => t.join(',') === km.curves[0]!.risk_table.time.join(',')), `${name}: x ticks ${JSON.stringify(ticks)}`);
    assert.ok(ticks.some((t) => t.join(',') === '0.00,0.25,0.50,0.75,1.00'), `${name}: y ticks`);
    assert.ok(svg.includes(SYNTHETIC_STAMP), `${name}: synthetic stamp`);
  }
  // The naive figure says it is biased; landmark and naive figures carry the log-rank p.
  assert.match(figures.find((f) => f.name === 'km-naive')!.svg, /immortal-time bias/);
  assert.match(figures.find((f) => f.name === 'km-landmark-6')!.svg, /Log-rank p/);
});

test('fixture report: flow diagram boxes, forest rows and MAIN marker, one Love plot per PS analysis', async () => {
  const r = load();
  const { figures } = await report();
  const flow = figures.find((f) => f.name === 'flow-diagram')!.svg;
  // Fixture attrition: steps 9 and 11 exclude 8 and 5 patients. Step 9 merges with step 10
  // (8 + 35 = 43), and step 11, the last, with that box: one box for steps 9-11 excluding 48.
  assert.deepEqual(r.attrition.slice(8).map((s) => s.excluded), [8, 35, 5]);
  assert.equal((flow.match(/class="flow-step"/g) ?? []).length, 1 + 8 + 1);
  assert.equal((flow.match(/class="flow-excluded"/g) ?? []).length, 8 + 1);
  assert.deepEqual(markTexts(flow, 'flow-excluded').slice(-2), ['Excluded at steps 9–11', 'n = 48']);
  assert.equal((flow.match(/class="flow-group"/g) ?? []).length, 3);
  const lastStep = r.attrition[r.attrition.length - 1]!.remaining;
  assert.ok(flow.includes(`n = ${lastStep.toLocaleString('en-US')}`));

  const forest = figures.find((f) => f.name === 'forest-hazard-ratios')!.svg;
  const labels = markTexts(forest, 'labels_marks');
  assert.ok(labels.includes('Adjusted — MAIN ANALYSIS ★'));
  assert.ok(labels.includes('Naive Cox (biased by immortal time)'));
  // 13 analyses, all estimable in this fixture.
  assert.equal(markItemCount(forest, 'estimates_marks', 'path'), 13);
  assert.deepEqual(markTexts(forest, 'not_estimable_marks'), []);
  assert.ok(markTexts(forest, 'count_n_marks').length >= 13);

  for (const key of ['psm', 'iptw-ate', 'iptw-att']) {
    const love = figures.find((f) => f.name === `love-${key}`)!.svg;
    assert.match(love, /threshold_marks/);
    assert.ok(markItemCount(love, 'smd_points_marks', 'path') > 20);
  }
});

test('fixture report: self-contained HTML, every small count suppressed, acknowledgement verbatim', async () => {
  const { html, tables } = await report();
  assert.equal(/http/i.test(html), false);
  assert.equal(/<script|<link\b|@import|@font-face|<img\b|\ssrc=/i.test(html), false);
  for (const m of html.matchAll(/href="([^"]*)"/g)) assert.match(m[1]!, /^#[\w-]+$/);
  assert.doesNotThrow(() => assertNoSmallCells(html));
  assert.ok(html.includes(NCDB_ACKNOWLEDGEMENT) && html.includes(NCDB_JOINT_PROJECT));
  assert.match(html, /hospital-based registry, not a population-based one/);
  assert.deepEqual(tables.map((t) => t.name), ['table1', 'hazard-ratios', 'balance', 'rmst', 'ph-checks', 'perioperative-mortality']);
  // Table 1: the transplant column (13 patients) has every level count suppressed or >= 10.
  const t1 = tables[0]!.table;
  for (const row of t1.rows) {
    const v = row.transplant;
    if (typeof v === 'string' && /^\d/.test(v)) assert.ok(Number(v.split(' ')[0]!.replace(/,/g, '')) === 0 || Number(v.split(' ')[0]!.replace(/,/g, '')) >= 10, v);
  }
  // Section order as specified.
  const ids = [...html.matchAll(/<section class="report-section" id="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, ['study', 'key-results', 'cohort', 'table-1', 'surgery', 'survival', 'hazard-ratios', 'balance', 'outcomes', 'methods', 'limitations', 'acknowledgement']);
});

test('an HR outside its own CI (a percentile bootstrap with few replicates) is not drawn, and says why', async () => {
  const r = load();
  const ccw = r.analyses.clone_censor_weight as { hr: { hr: number; lower: number; upper: number } };
  ccw.hr = { ...ccw.hr, hr: 1.6, lower: 0.86, upper: 1.5 };
  const a = r.analyses as unknown as Record<string, unknown>;
  a.km = { skipped: 'test' };
  a.simon_makuch = { skipped: 'test' };
  const { figures, tables } = await buildStudyReport(r, { suppress: true });
  const forest = figures.find((f) => f.name === 'forest-hazard-ratios')!.svg;
  assert.equal(markItemCount(forest, 'estimates_marks', 'path'), 12);
  assert.ok(markTexts(forest, 'not_estimable_marks').some((t) => /outside its CI/.test(t)));
  const row = tables.find((t) => t.name === 'hazard-ratios')!.table.rows.find((x) => String(x.label).startsWith('Clone'))!;
  assert.equal(row.estimate, 'not estimable');
  assert.match(String(row.note), /HR 1\.60 lies outside its CI 0\.86–1\.50/);
});

test('fixture report with suppression off: red banner and small counts visible (the audit is live)', async () => {
  const { html } = await buildStudyReport(load(), { suppress: false });
  assert.ok(html.includes(SUPPRESSION_OFF_BANNER));
  assert.ok(findSmallCells(html).length > 0);
  assert.throws(() => assertNoSmallCells(html));
});

test('a different suppress_below from the protocol governs every count', async () => {
  const r = load();
  r.protocol.reporting.suppress_below = 20;
  const { html, figures } = await buildStudyReport(r, { suppress: true });
  const svg = figures.find((f) => f.name === 'km-naive')!.svg;
  const km = (r.analyses as unknown as { km: { naive: KmJson } }).km.naive;
  assert.deepEqual(markTexts(svg, 'count_risktable_marks'), km.curves.flatMap((c) => c.risk_table.n_risk.map((n) => (n > 0 && n < 20 ? '<20' : n.toLocaleString('en-US')))));
  assert.match(html, /Counts from 1 to 19 are shown as &lt;20/);
  // A threshold below 10 shows 5-9 as numbers (the figure builders' own default of 10 must not apply).
  const r5 = load();
  r5.protocol.reporting.suppress_below = 5;
  const five = await buildStudyReport(r5, { suppress: true });
  const svg5 = five.figures.find((f) => f.name === 'km-naive')!.svg;
  const expected5 = km.curves.flatMap((c) => c.risk_table.n_risk.map((n) => (n > 0 && n < 5 ? '<5' : n.toLocaleString('en-US'))));
  assert.deepEqual(markTexts(svg5, 'count_risktable_marks'), expected5);
  assert.ok(expected5.some((t) => /^[5-9]$/.test(t)), 'the fixture has a count of 5-9 at risk');
});

test('scopeSvgIds: ids renumbered per figure with their references; ids unique across the document', async () => {
  assert.equal(scopeSvgIds('<clipPath id="clip7"><rect/></clipPath><g clip-path="url(#clip7)"/><use href="#clip7"/><g id="x"/>', 'km'),
    '<clipPath id="km-1"><rect/></clipPath><g clip-path="url(#km-1)"/><use href="#km-1"/><g id="km-2"/>');
  const { html } = await report();
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length);
  for (const m of html.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(m[1]), m[1]);
});

test('mortality table: a known-status count whose complement is a small cell is hidden, with no percentage over it', async () => {
  const { tables } = await report();
  const t = tables.find((x) => x.name === 'perioperative-mortality')!.table;
  // Fixture: 42 surgical patients, 41 with known 30-day status (1 unknown), 38 with known 90-day
  // status (4 unknown), 0 and 4 deaths.
  assert.deepEqual(t.rows.slice(0, 2).map((r) => [r.known, r.died]), [['†', '0'], ['†', '<10']]);
  assert.match(t.footnote!, /† hidden/);
  assert.equal(t.caption, 'Table 6. Mortality after surgery (42 surgical patients)');
});

test('flow diagram: a step excluding a small number is merged with the next (the last with the one before)', () => {
  const step = (k: number, remaining: number, excluded: number) => ({ step: k, name: `s${k}`, description: `rule ${k}`, remaining, excluded });
  const hidden = (n: number) => n > 0 && n < 10;
  // 1000 -> 990 (10) -> 985 (5: merged with step 3) -> 900 (85) -> 897 (3: last, merged with step 4).
  const boxes = mergeSmallExclusions([step(1, 990, 10), step(2, 985, 5), step(3, 900, 85), step(4, 897, 3)], hidden);
  assert.deepEqual(boxes, [
    { steps: [1], description: 'rule 1', remaining: 990, excluded: 10 },
    { steps: [2, 3, 4], description: 'rule 2; rule 3; rule 4', remaining: 897, excluded: 93 },
  ]);
  // Two small steps in a row merge until the sum is 10 or more.
  assert.deepEqual(mergeSmallExclusions([step(1, 96, 4), step(2, 93, 3), step(3, 90, 3), step(4, 50, 40)], hidden).map((b) => [b.steps, b.excluded]), [[[1, 2, 3], 10], [[4], 40]]);
  // In the report: no exclusion box shows '<10' next to two shown remaining counts.
  const r = load();
  r.attrition[4] = { ...r.attrition[4]!, excluded: 4, remaining: r.attrition[3]!.remaining - 4 };
  const ctx = createReportContext(r, { suppress: true });
  const svg = flowDiagramSvg(flowInput(ctx));
  assert.equal(markTexts(svg, 'flow-excluded').filter((t) => t === 'n < 10').length, 0);
  assert.ok(markTexts(svg, 'flow-excluded').includes('Excluded at steps 5–6'));
});

test('group sizes: a small group hides the next smallest, so totals cannot give it back', () => {
  const r = load();
  r.groups = { immunotherapy_alone: 1000, resection: 30, transplant: 5 };
  const ctx = createReportContext(r, { suppress: true });
  assert.deepEqual(groupCountTexts(ctx), { immunotherapy_alone: '1,000', resection: 'suppressed', transplant: '<10', any_surgery: '35', overall: '1,035' });
  assert.match(keyResultSentences(ctx)[1]!, /\(resection suppressed, transplant <10\)/);
  assert.deepEqual(groupCountTexts(createReportContext(r, { suppress: false })).transplant, '5');
});

test('bar chart by facility type shows no count that Table 1 hides', async () => {
  const { figures, tables } = await report();
  const labels = markTexts(figures.find((f) => f.name === 'surgery-by-facility')!.svg, 'count_labels_marks');
  const t1 = tables.find((t) => t.name === 'table1')!.table;
  const start = t1.rows.findIndex((r) => r.characteristic === 'Facility type');
  const levels = t1.rows.slice(start + 1, start + 1 + labels.length);
  labels.forEach((label, i) => {
    const m = /\((\d[\d,]*)\/(\d[\d,]*)\)$/.exec(label);
    if (m === null) return; // hidden bar
    const row = levels[i]!;
    assert.ok(String(row.any_surgery).startsWith(`${m[1]} (`), `${label} vs Table 1 ${row.any_surgery}`);
    assert.ok(String(row.overall).startsWith(`${m[2]} (`), `${label} vs Table 1 ${row.overall}`);
  });
  assert.ok(labels.some((l) => /\(/.test(l)), 'at least one bar drawn');
});

test('Table 1 complementary suppression: hand-worked 2 x 5 table', () => {
  // Columns: alone, resection, transplant, any surgery, overall. The 3 forces the 30 below it
  // (column sum), the 20 beside it (overall = alone + resection + transplant), and then the 12
  // under the 20 (transplant column). Check: a+b=23, c+d=42, a+c=33, b+d=32 has one free
  // parameter, so the 3 cannot be recovered.
  const P = 'primary', C = 'complementary';
  assert.deepEqual(hiddenCells([[50, 3, 20, 23, 73], [40, 30, 12, 42, 82]], 10), [[null, P, C, null, null], [null, C, C, null, null]]);
  // Zeros are never used as complements (they disclose nobody and protect nothing).
  assert.deepEqual(hiddenCells([[5, 0, 0, 0, 5], [40, 0, 0, 0, 40]], 10), [[P, null, null, null, P], [C, null, null, null, C]]);
  assert.deepEqual(hiddenCells([[100, 20, 20, 40, 140]], 10), [[null, null, null, null, null]]);
});

test('labels, counts in text and ordinals', () => {
  const ctx = createReportContext(load(), { suppress: true });
  assert.equal(ctx.termLabel('sexFemale'), 'Sex: Female');
  assert.equal(ctx.termLabel('race_ethnicity_Non-Hispanic Black'), 'Race and ethnicity: Non-Hispanic Black');
  assert.equal(ctx.termLabel('academic'), 'Academic/research program');
  assert.equal(ctx.termLabel('age'), 'Age');
  assert.equal(suppressCountsInText('665 patients staged by the fallback', ctx), '665 patients staged by the fallback');
  assert.equal(suppressCountsInText('3 patients staged by the fallback; 9,625 cases dropped', ctx), '<10 patients staged by the fallback; 9,625 cases dropped');
  assert.equal(ctx.countPercent(5, 100), '<10');
  assert.equal(ctx.countPercent(95, 100), '95'); // complement 5 is a small cell: no percentage
  assert.equal(ctx.countPercent(40, 100), '40 (40.0%)');
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 99, 2.5].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '99th', '2.5th']);
});

test('key results: five sentences from the numbers, naive HR labelled biased', () => {
  const r = load();
  const s = keyResultSentences(createReportContext(r, { suppress: true }));
  assert.equal(s.length, 5);
  const n = r.attrition[r.attrition.length - 1]!.remaining;
  assert.ok(s[0]!.includes(n.toLocaleString('en-US')));
  const surg = r.groups.resection! + r.groups.transplant!;
  assert.ok(s[1]!.startsWith(`${surg} (${((100 * surg) / n).toFixed(1)}%)`), s[1]);
  assert.match(s[2]!, /biased by immortal time/);
  const main = r.analyses.time_dependent_cox as { hr: number; lower: number; upper: number };
  assert.ok(s[3]!.includes(`HR ${main.hr.toFixed(2)} (95% CI ${main.lower.toFixed(2)}–${main.upper.toFixed(2)})`), s[3]);
  assert.match(s[4]!, /landmark/);
});

test('writeStudyReport writes report.html, SVG + 300-dpi PNG per figure at its column width, CSV per table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-report-'));
  try {
    const r = load();
    // Only the small figures, to keep the test fast: drop KM curves by skipping those analyses.
    const a = r.analyses as unknown as Record<string, unknown>;
    a.km = { skipped: 'test' };
    a.simon_makuch = { skipped: 'test' };
    a.landmark = { skipped: 'test' };
    const out = await writeStudyReport(dir, r, { suppress: true });
    assert.ok(readFileSync(join(dir, 'report.html'), 'utf8').startsWith('<!DOCTYPE html>'));
    for (const f of out.figures) {
      const png = readFileSync(join(dir, 'figures', `${f.name}.png`));
      assert.equal(pngSize(png).width, Math.round(300 * f.widthInches));
      assert.ok(Math.abs(pngDpi(png)! - 300) < 0.1);
      assert.ok(readFileSync(join(dir, 'figures', `${f.name}.svg`), 'utf8').startsWith('<svg'));
    }
    assert.deepEqual(readdirSync(join(dir, 'tables')).sort(), out.tables.map((t) => `${t.name}.csv`).sort());
    assert.match(readFileSync(join(dir, 'tables', 'table1.csv'), 'utf8'), /^Characteristic,/);
    // The skipped analyses are named in the report.
    const skipped = skippedAnalyses(r).map((s) => s.analysis);
    for (const name of ['landmark', 'simon_makuch', 'km']) assert.ok(skipped.includes(name), name);
    assert.match(out.html, /Naive Kaplan–Meier curves: not estimable/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('results.json errors: missing folder, missing file, invalid JSON, wrong shape', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-report-'));
  try {
    assert.throws(() => readStudyResults(join(dir, 'nope')), (e: unknown) => e instanceof InputError && /no such folder/.test(e.message));
    assert.throws(() => readStudyResults(dir), (e: unknown) => e instanceof InputError && /no results\.json/.test(e.message));
    writeFileSync(join(dir, 'results.json'), '{"protocol":');
    assert.throws(() => readStudyResults(dir), (e: unknown) => e instanceof InputError && /not valid JSON/.test(e.message) && e.context.file === join(dir, 'results.json'));
    writeFileSync(join(dir, 'results.json'), '[]');
    assert.throws(() => readStudyResults(dir), InputError);
    const r = load() as unknown as Record<string, unknown>;
    delete r.attrition;
    assert.throws(() => validateStudyResults(r, 'x.json'), (e: unknown) => e instanceof InputError && e.context.field === 'attrition');
    mkdirSync(join(dir, 'sub'));
    assert.throws(() => readStudyResults(join(dir, 'results.json')), (e: unknown) => e instanceof InputError && /not a folder/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
