// End to end: a real hcc-conversion study on a small synthetic PUF made here (30,000 rows, 5
// bootstrap replicates, one worker), whose report.html is then opened in headless Chromium with
// every request blocked; and the same PUF with every surgery code blanked to "00" (a cohort with
// no surgical patients), whose report must still render and name what could not run and why.
// The browser part skips when /usr/bin/chromium is absent; the rest always runs.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import { REPO_ROOT } from '../testing/approx.js';
import { generateSyntheticPuf } from '../synth/generate.js';
import { runHccConversionStudy } from '../study/hcc-conversion.js';
import { HCC_CONVERSION } from '../study/protocol.js';
import { silentProgress } from '../core/progress.js';
import { CHROMIUM, chromiumAvailable, openOffline } from './browser-harness.js';
import { buildStudyReport } from './build-report.js';
import { readStudyResults, type StudyResults } from './study-results.js';
import { assertNoSmallCells } from './suppress.js';
import type { KmJson } from '../study/analyses/common.js';

let dir = '';
let outDir = '';
let zeroDir = '';

const protocol = structuredClone(HCC_CONVERSION);
protocol.analyses.bootstrap_replicates = 5;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-study-report-'));
  const dat = join(dir, 'liver.dat');
  await generateSyntheticPuf({ site: 'liver', rows: 30_000, seed: 7, outPath: dat });
  outDir = join(dir, 'out');
  await runHccConversionStudy({ inputPath: dat, layoutPath: null, protocol, seed: 2025, outDir, force: true, progress: silentProgress, workers: 1, synthetic: true });

  // Zero surgical patients: the same records with RX_SUMM_SURG_PRIM_SITE = '00' for everyone.
  const parquet = join(dir, 'liver.parquet');
  const ingest = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'ingest', '--puf', dat, '--out', parquet, '--quiet'], { encoding: 'utf8' });
  assert.equal(ingest.status, 0, ingest.stderr);
  const noSurgery = join(dir, 'no-surgery.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`COPY (SELECT * REPLACE ('00' AS RX_SUMM_SURG_PRIM_SITE) FROM read_parquet('${parquet.replace(/'/g, "''")}')) TO '${noSurgery.replace(/'/g, "''")}' (FORMAT parquet)`);
  con.closeSync();
  zeroDir = join(dir, 'zero');
  await runHccConversionStudy({ inputPath: noSurgery, layoutPath: null, protocol, seed: 2025, outDir: zeroDir, force: true, progress: silentProgress, workers: 1, synthetic: true });
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

test('the study writes report.html; rebuilding it from results.json gives the same document', async () => {
  const results = readStudyResults(outDir);
  assert.ok(results.outputs.includes('report.html'));
  const written = readFileSync(join(outDir, 'report.html'), 'utf8');
  const rebuilt = await buildStudyReport(results, { suppress: true });
  assert.equal(rebuilt.html, written);
  assert.doesNotThrow(() => assertNoSmallCells(written));
});

test('real study report in headless Chromium: no requests, no console errors, every figure drawn, risk tables as in results.json, no visible 1-9', { timeout: 120_000 }, async (t) => {
  if (!chromiumAvailable()) {
    t.skip(`${CHROMIUM} not installed`);
    return;
  }
  const results = readStudyResults(outDir);
  const html = readFileSync(join(outDir, 'report.html'), 'utf8');
  const { page, url, requests, consoleErrors, close } = await openOffline(html);
  try {
    assert.deepEqual(requests.filter((u) => u !== url), [], 'the report attempted network or file requests');
    assert.deepEqual(consoleErrors, []);

    const figures = await page.$$eval('figure.report-figure', (els) => els.map((e) => {
      const svg = e.querySelector('svg');
      const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: e.id, w: r.width, h: r.height, texts: svg ? svg.querySelectorAll('text').length : 0 };
    }));
    assert.ok(figures.length >= 10, `${figures.length} figures`);
    for (const f of figures) assert.ok(f.w > 150 && f.h > 100 && f.texts > 5, `${f.id} drawn ${f.w}x${f.h} with ${f.texts} texts`);

    // Numbers at risk as drawn = results.json after suppression, in every KM figure.
    const a = results.analyses as unknown as { km: { naive: KmJson }; simon_makuch: KmJson; landmark: { landmark_months: number; km: KmJson }[] };
    const kms: [string, KmJson][] = [['fig-km-naive', a.km.naive], ['fig-km-simon-makuch', a.simon_makuch], ...a.landmark.map((l) => [`fig-km-landmark-${l.landmark_months}`, l.km] as [string, KmJson])];
    const T = results.protocol.reporting.suppress_below;
    for (const [id, km] of kms) {
      const drawn = await page.$$eval(`#${id} g.count_risktable_marks text`, (els) => els.map((e) => (e.textContent ?? '').trim()));
      const expected = km.curves.flatMap((c) => c.risk_table.n_risk.map((n) => (n > 0 && n < T ? `<${T}` : n.toLocaleString('en-US'))));
      assert.deepEqual(drawn, expected, id);
      // Each count sits under its x tick.
      const ticks = await page.$$eval(`#${id} g.role-axis-label text`, (els) => els.map((e) => ({ t: (e.textContent ?? '').trim(), x: e.getBoundingClientRect().x + e.getBoundingClientRect().width / 2 })));
      const cells = await page.$$eval(`#${id} g.count_risktable_marks text`, (els) => els.map((e) => e.getBoundingClientRect().x + e.getBoundingClientRect().width / 2));
      km.curves[0]!.risk_table.time.forEach((time, j) => {
        const tick = ticks.find((k) => k.t === String(time));
        assert.ok(tick && Math.abs(cells[j]! - tick.x) < 1.5, `${id}: risk cell at t=${time}`);
      });
    }

    const visible = await page.$$eval('td, th, .count, [class*="count_"] text, li, p', (els) => els
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
      .map((e) => (e.textContent ?? '').trim()));
    assert.ok(visible.length > 200);
    assert.deepEqual(visible.filter((s) => /^(n\s*=\s*)?[1-9](\s*\(.*\))?$/.test(s)), []);
    assert.ok(await page.isVisible('.stamp-synthetic'));

    await page.emulateMedia({ media: 'print' });
    const breaks = await page.evaluate(`[...document.querySelectorAll('figure')].every((f) => getComputedStyle(f).breakInside === 'avoid')`);
    assert.equal(breaks, true);
  } finally {
    await close();
  }
});

test('a cohort with no surgical patients: the report renders and says which analyses could not run and why', async () => {
  const results: StudyResults = readStudyResults(zeroDir);
  assert.equal(results.groups.resection, 0);
  assert.equal(results.groups.transplant, 0);
  const html = readFileSync(join(zeroDir, 'report.html'), 'utf8');
  assert.match(html, /Analyses that could not be run/);
  const a = results.analyses as unknown as Record<string, { skipped?: string }>;
  for (const key of ['time_dependent_cox', 'psm', 'iptw_ate', 'iptw_att', 'clone_censor_weight', 'perioperative_mortality']) {
    assert.equal(typeof a[key]!.skipped, 'string', `${key} skipped`);
    const reason = a[key]!.skipped!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    assert.ok(html.includes(reason), `${key}: reason "${a[key]!.skipped}" shown`);
  }
  assert.match(html, /The main time-dependent Cox model could not be estimated/);
  assert.match(html, /30\/90-day mortality: not estimable/);
  // The forest plot keeps every row, each marked not estimable; no Love plot without a PS model.
  const report = await buildStudyReport(results, { suppress: true });
  const names = report.figures.map((f) => f.name);
  assert.ok(names.includes('forest-hazard-ratios') && names.includes('km-naive') && names.includes('flow-diagram'));
  assert.equal(names.some((n) => n.startsWith('love-')), false);
  const hr = report.tables.find((t) => t.name === 'hazard-ratios')!.table;
  assert.equal(hr.rows.length, 13);
  assert.ok(hr.rows.every((r) => r.estimate === 'not estimable'));
});
