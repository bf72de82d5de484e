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
