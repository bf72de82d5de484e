/**
 * PROOF of the registry's analysis loop (issue 12): the synthetic demo registry (150 patients, seed
 * fixed, data cut 2026-12-01) -> `oncosurv registry report` as the statistician (export into
 * report/export/, report built from those CSVs) -> reproduce.R. Checked:
 *   - the demo's truth (demo-truth.json: cause-specific HR of rejection 0.92 per week of washout,
 *     the value the generator used) lies inside the report's 95% CI of the cause-specific Cox HR per
 *     week of washout (adjusted as the design says, and unadjusted);
 *   - R (survival, cmprsk) refitting from report/export/patients.csv agrees with results.json to
 *     1e-6 for every estimate: live when Rscript exists, and always against R's committed output
 *     for this demo (reference/json/registry-outcomes-demo.json, regenerated with
 *     scripts/update-registry-report-reference.mjs --demo);
 *   - the report folder holds what the README promises and the report is self-contained;
 *   - a coordinator may not run the report (exit 1, nothing written); the data manager may.
 * Screenshots of the report for the closing note go to registry-screenshots/ (as the web browser
 * tests' do) when Chromium is installed.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DemoTruth, DemoUser } from '../../demo/seed.js';
import { DEMO_REFERENCE_DATE, seedDemoFolder } from './test-demo-folder.js';
import { runCli } from '../../../testing/cli-json.js';
import { loadReference } from '../../../testing/approx.js';
import { chromiumAvailable, openOffline } from '../../../report/browser-harness.js';
import { compareWithR, type ROutcomes } from './test-compare-r.js';
import type { OutcomesResults } from './compute.js';

const SHOTS = 'registry-screenshots';

let dir: string;
let users: DemoUser[];
let truth: DemoTruth;

function report(username: string, out: string, extra: string[] = []): ReturnType<typeof runCli> {
  return runCli(['registry', 'report', '--data', join(dir, 'data'), '--user', username, '--password-file', join(dir, `${username}.pw`), '--out', out, '--today', DEMO_REFERENCE_DATE, '--json', ...extra]);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-demo-report-'));
  ({ users, truth } = await seedDemoFolder(dir));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('demo registry -> export -> report -> reproduce.R: the true washout HR (0.92/week) is inside the 95% CI, and R agrees', async () => {
  const stat = users.find((u) => u.role === 'statistician')!;
  const out = join(dir, 'report');
  const run = report(stat.username, out);
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { cause_specific_hr_per_week: { hr: number; lower: number; upper: number } };
  for (const f of ['report.html', 'results.json', 'reproduce.R', 'export/patients.csv', 'export/export.json', 'export/data-dictionary.md', 'figures/km-itt-os.svg', 'figures/cuminc-rejection.png', 'tables/washout-hazard-ratios.csv']) assert.ok(existsSync(join(out, f)), f);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as OutcomesResults;
  assert.equal(results.synthetic, true);
  assert.equal(results.flow.exported, truth.patients.length);
  assert.equal(results.flow.operated, truth.patients.filter((p) => p.surgery !== null).length);

  const hr = truth.estimand.value;
  assert.equal(hr, 0.92);
  const rej = results.rejection;
  assert.ok(!('skipped' in rej));
  if ('skipped' in rej) return;
  for (const m of [rej.cause_specific, rej.cause_specific_unadjusted]) {
    assert.ok(!('skipped' in m));
    if ('skipped' in m) continue;
    const w = m.washout_per_week;
    assert.ok(w.lower <= hr && hr <= w.upper, `${m.label}: true HR ${hr} inside the 95% CI ${w.lower.toFixed(3)}-${w.upper.toFixed(3)} (estimate ${w.hr.toFixed(3)})`);
  }
  assert.ok(!('skipped' in rej.cause_specific));
  if ('skipped' in rej.cause_specific) return;
  assert.deepEqual(summary.cause_specific_hr_per_week, { hr: rej.cause_specific.washout_per_week.hr, lower: rej.cause_specific.washout_per_week.lower, upper: rej.cause_specific.washout_per_week.upper, p: rej.cause_specific.washout_per_week.p });
  // the export's rejections are the generator's biopsy-proven rejections among transplant recipients
  assert.equal(rej.rejections, truth.patients.filter((p) => (p.surgery === 'ddlt' || p.surgery === 'ldlt') && p.rejectionDate !== null).length);

  compareWithR(results, loadReference<ROutcomes>('registry-outcomes-demo.json'));
  if (spawnSync('Rscript', ['--version']).status === 0) {
    execFileSync('Rscript', [join(out, 'reproduce.R'), out], { stdio: 'ignore' });
    compareWithR(results, JSON.parse(readFileSync(join(out, 'reproduce-results.json'), 'utf8')) as ROutcomes);
  }

  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.doesNotMatch(html, /https?:|<script|<link/i);
  if (chromiumAvailable()) {
    mkdirSync(SHOTS, { recursive: true });
    const page = await openOffline(html, { width: 1100, height: 900 });
    try {
      await page.page.screenshot({ path: `${SHOTS}/report-full.png`, fullPage: true });
      for (const id of ['flow', 'survival', 'rejection', 'data-quality']) await (await page.page.$(`#${id}`))!.screenshot({ path: `${SHOTS}/report-${id}.png` });
      assert.deepEqual(page.requests, [page.url], 'the report requests nothing but itself');
      assert.deepEqual(page.consoleErrors, []);
    } finally {
      await page.close();
    }
  }
});

test('the report is for the statistician and the data manager: a coordinator is refused and nothing is written', () => {
  const coord = users.find((u) => u.role === 'coordinator')!;
  const refused = report(coord.username, join(dir, 'report-coordinator'));
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /the coordinator role may not report: outcomes/);
  assert.equal(existsSync(join(dir, 'report-coordinator')), false);
  const dm = users.find((u) => u.role === 'data_manager')!;
  const ok = report(dm.username, join(dir, 'report-dm'), ['--suppress-below', '20']);
  assert.equal(ok.code, 0, ok.stderr);
  const results = JSON.parse(readFileSync(join(dir, 'report-dm', 'results.json'), 'utf8')) as OutcomesResults;
  assert.equal(results.suppress_below, 20);
  assert.match(readFileSync(join(dir, 'report-dm', 'report.html'), 'utf8'), /shown as &lt;20/);
});
