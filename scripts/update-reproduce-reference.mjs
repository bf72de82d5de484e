// Regenerates reference/json/reproduce-study.json: runs the study on the fixed synthetic PUF
// used by src/study/reproduce.test.ts, then runs the generated reproduce.R with R's survival
// package on its CSVs and keeps R's numbers. Needs Rscript with survival and jsonlite.
//   npx tsc -p . && node scripts/update-reproduce-reference.mjs
import { copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runReproduceFixtureStudy } from '../dist/src/study/reproduce-fixture.js';

const { outDir } = await runReproduceFixtureStudy();
execFileSync('Rscript', [join(outDir, 'reproduce.R'), outDir], { stdio: 'inherit' });
copyFileSync(join(outDir, 'reproduce-results.json'), 'reference/json/reproduce-study.json');
console.log('wrote reference/json/reproduce-study.json');
