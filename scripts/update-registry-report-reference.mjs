// Regenerates reference/json/registry-outcomes-fixture.json: builds the registry outcomes report of
// the hand-made fixture export (src/registry/analysis/outcomes-report/test-export-fixture.ts), runs
// its reproduce.R with R's survival and cmprsk, and keeps R's numbers. Needs Rscript with survival,
// cmprsk and jsonlite.
//   npx tsc -p . && node scripts/update-registry-report-reference.mjs
import { copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildFixtureReport } from '../dist/src/registry/analysis/outcomes-report/test-fixture-report.js';

const { outDir } = await buildFixtureReport();
execFileSync('Rscript', [join(outDir, 'reproduce.R'), outDir], { stdio: 'inherit' });
copyFileSync(join(outDir, 'reproduce-results.json'), 'reference/json/registry-outcomes-fixture.json');
console.log('wrote reference/json/registry-outcomes-fixture.json');

// --demo: also the 150-patient demo registry's report (src/registry/analysis/outcomes-report/demo-report.e2e.test.ts).
if (process.argv.includes('--demo')) {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { seedDemoFolder } = await import('../dist/src/registry/analysis/outcomes-report/test-demo-folder.js');
  const folder = mkdtempSync(join(tmpdir(), 'oncosurv-demo-reference-'));
  const { users } = await seedDemoFolder(folder);
  const stat = users.find((u) => u.role === 'statistician');
  const out = join(folder, 'report');
  execFileSync(process.execPath, ['dist/src/cli/main.js', 'registry', 'report', '--data', join(folder, 'data'), '--user', stat.username, '--password-file', join(folder, `${stat.username}.pw`), '--out', out, '--today', '2026-12-01'], { stdio: 'inherit' });
  execFileSync('Rscript', [join(out, 'reproduce.R'), out], { stdio: 'inherit' });
  copyFileSync(join(out, 'reproduce-results.json'), 'reference/json/registry-outcomes-demo.json');
  console.log('wrote reference/json/registry-outcomes-demo.json');
}
