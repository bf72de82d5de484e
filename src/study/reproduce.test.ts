/**
 * reproduce.R agrees with results.json: the study's Cox models and KM medians are refitted by
 * R's survival package from the CSVs the study writes. The committed R output
 * (reference/json/reproduce-study.json, from scripts/update-reproduce-reference.mjs) proves it
 * without R; when Rscript is installed the generated script is also run live.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertClose, loadReference } from '../testing/approx.js';
import { runReproduceFixtureStudy } from './reproduce-fixture.js';

interface RTerm { coef: number; se: number; robust_se?: number | null; hr: number; lower: number; upper: number; p: number }
interface RModel { formula: string; n: number; events: number; terms: Record<string, RTerm> }
type ROutput = Record<string, RModel> & { km_medians: Record<string, { n: number; events: number; median: number | null; lower: number | null; upper: number | null }> };
interface Hr { hr: number; lower: number; upper: number; p: number; n: number; events: number; se: number; robust_se: number | null; n_rows?: number; coefficients?: { term: string; coef: number; se: number; robust_se: number | null; hr: number; lower: number; upper: number; p: number }[] }

function compareTerm(ours: { hr: number; lower: number; upper: number; p: number; se: number; robust_se: number | null }, r: RTerm, label: string): void {
  assertClose(ours.hr, r.hr, `${label} HR`);
  assertClose(ours.lower, r.lower, `${label} lower`);
  assertClose(ours.upper, r.upper, `${label} upper`);
  assertClose(ours.p, r.p, `${label} p`, 1e-6, 1e-300);
  assertClose(ours.se, r.se, `${label} se`);
  if (r.robust_se !== undefined && r.robust_se !== null) assertClose(ours.robust_se, r.robust_se, `${label} robust se`);
}

function compareAll(results: { analyses: Record<string, unknown> }, r: ROutput): void {
  const a = results.analyses as {
    naive_cox: { unadjusted: Hr; adjusted: Hr };
    time_dependent_cox: Hr;
    time_dependent_cox_unadjusted: Hr;
    time_dependent_cox_by_type: { resection: Hr; transplant: Hr };
    landmark: { landmark_months: number; cox_unadjusted: Hr; cox_adjusted: Hr }[];
    km: { naive: { curves: { name: string; n: number; events: number; median: number | null; median_lower: number | null; median_upper: number | null }[] } };
  };
  compareTerm(a.naive_cox.unadjusted, r.naive_unadjusted!.terms.surgery!, 'naive unadjusted');
  compareTerm(a.naive_cox.adjusted, r.naive_adjusted!.terms.surgery!, 'naive adjusted');
  compareTerm(a.time_dependent_cox_unadjusted, r.time_dependent_unadjusted!.terms.surgery_td!, 'time-dependent unadjusted');
  compareTerm(a.time_dependent_cox, r.time_dependent_adjusted!.terms.surgery_td!, 'time-dependent adjusted (MAIN)');
  // Every coefficient of the main model, with R's term names.
  const rTerms = r.time_dependent_adjusted!.terms;
  assert.deepEqual(a.time_dependent_cox.coefficients!.map((c) => c.term), Object.keys(rTerms), 'main model term names and order as R');
  for (const c of a.time_dependent_cox.coefficients!) compareTerm(c, rTerms[c.term]!, `main model ${c.term}`);
  assert.equal(a.time_dependent_cox.events, r.time_dependent_adjusted!.events);
  assert.equal(a.time_dependent_cox.n_rows, r.time_dependent_adjusted!.n);
  compareTerm(a.time_dependent_cox_by_type.resection, r.time_dependent_by_type!.terms.resection_td!, 'by type: resection');
  compareTerm(a.time_dependent_cox_by_type.transplant, r.time_dependent_by_type!.terms.transplant_td!, 'by type: transplant');
  for (const lm of a.landmark) {
    const L = lm.landmark_months;
    compareTerm(lm.cox_unadjusted, r[`landmark_${L}_unadjusted`]!.terms.surgery_lm!, `landmark ${L} unadjusted`);
    compareTerm(lm.cox_adjusted, r[`landmark_${L}_adjusted`]!.terms.surgery_lm!, `landmark ${L} adjusted`);
    assert.equal(lm.cox_adjusted.n, r[`landmark_${L}_adjusted`]!.n, `landmark ${L} n`);
  }
  for (const c of a.km.naive.curves) {
    const rc = r.km_medians[c.name];
    assert.ok(rc, `R has a KM stratum named ${c.name}`);
    assert.equal(c.n, rc.n);
    assertClose(c.events, rc.events, `${c.name} events`);
    assertClose(c.median, rc.median, `${c.name} median`);
    assertClose(c.median_lower, rc.lower, `${c.name} median lower`);
    assertClose(c.median_upper, rc.upper, `${c.name} median upper`);
  }
}

test('results.json equals R survival refits of reproduce.R (committed R output; live when Rscript exists)', async () => {
  const { outDir } = await runReproduceFixtureStudy();
  const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as { analyses: Record<string, unknown> };
  compareAll(results, loadReference<ROutput>('reproduce-study.json'));
  const hasR = spawnSync('Rscript', ['--version']).status === 0;
  if (hasR) {
    execFileSync('Rscript', [join(outDir, 'reproduce.R'), outDir], { stdio: 'ignore' });
    assert.ok(existsSync(join(outDir, 'reproduce-results.json')));
    compareAll(results, JSON.parse(readFileSync(join(outDir, 'reproduce-results.json'), 'utf8')) as ROutput);
  }
});
