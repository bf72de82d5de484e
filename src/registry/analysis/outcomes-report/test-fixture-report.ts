/**
 * Test support: builds the outcomes report of the hand-made fixture export into a temporary folder
 * (export/ written first, then read back from disk, as the CLI does), for the reproduce.R test and
 * scripts/update-registry-report-reference.mjs.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixtureExportFiles, fixtureOperations } from './test-export-fixture.js';
import { readExportFiles } from './export-data.js';
import { readExportFolder } from './export-folder.js';
import { computeOutcomes, type OutcomesResults } from './compute.js';
import { writeOutcomesReport } from './report.js';

export async function buildFixtureReport(): Promise<{ outDir: string; results: OutcomesResults }> {
  const outDir = mkdtempSync(join(tmpdir(), 'oncosurv-registry-report-'));
  const files = fixtureExportFiles();
  for (const f of files) {
    const path = join(outDir, 'export', ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
  const results = computeOutcomes(readExportFiles(readExportFolder(join(outDir, 'export'))), fixtureOperations());
  await writeOutcomesReport(outDir, results);
  return { outDir, results };
}
