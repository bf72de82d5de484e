/**
 * reproduce.R agrees with results.json: the outcomes report of a hand-made export (140 patients,
 * ties, a sparse regimen, an explicit NOT_DONE) is refitted by R's survival and cmprsk from
 * export/patients.csv. The committed R output (reference/json/registry-outcomes-fixture.json, from
 * scripts/update-registry-report-reference.mjs) proves it without R; when Rscript is installed the
 * generated script is also run live. Tolerance 1e-6 relative for every estimate, SE, variance,
 * CI bound and p; counts and time grids exactly.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadReference } from '../../../testing/approx.js';
import { buildFixtureReport } from './test-fixture-report.js';
import { compareWithR, type ROutcomes } from './test-compare-r.js';

test('outcomes report results.json equals R survival/cmprsk refits of reproduce.R (committed R output; live when Rscript exists)', async () => {
  const { outDir } = await buildFixtureReport();
  try {
    const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    const agreement = compareWithR(results, loadReference<ROutcomes>('registry-outcomes-fixture.json'));
    // every estimator was compared
    for (const key of ['Kaplan–Meier S(t), SE, CI (survfit)', 'cumulative incidence estimate (cuminc)', 'cumulative incidence variance (cuminc)', "Gray's test statistic and p", 'Fine–Gray (crr) coef, SE, HR, CI, p', 'cause-specific Cox (coxph) coef, SE, HR, CI, p', 'pCR rate and Wilson CI (prop.test)']) {
      assert.ok(key in agreement, `${key} compared`);
    }
    if (spawnSync('Rscript', ['--version']).status === 0) {
      execFileSync('Rscript', [join(outDir, 'reproduce.R'), outDir], { stdio: 'ignore' });
      assert.ok(existsSync(join(outDir, 'reproduce-results.json')));
      compareWithR(results, JSON.parse(readFileSync(join(outDir, 'reproduce-results.json'), 'utf8')) as ROutcomes);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
