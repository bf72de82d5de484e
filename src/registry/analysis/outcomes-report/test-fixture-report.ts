/**
 * Test support: builds the outcomes report of the hand-made fixture export into a temporary folder
 * (export/ written first, then read back from disk, as the CLI does), for the reproduce.R test and
 * scripts/update-registry-report-reference.mjs.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixtureExportFiles, fixtureOperations } from './test-export-fixture.js';
import { readExportFiles, type ExportFile } from './export-data.js';
import { computeOutcomes, type OutcomesResults } from './compute.js';
import { writeOutcomesReport } from './report.js';

/** Reads every file of an export folder written by the export (paths relative, '/'-separated). */
export function readExportFolder(dir: string, paths: string[]): ExportFile[] {
  return paths.map((path) => ({ path, text: readFileSync(join(dir, ...path.split('/')), 'utf8') }));
}

export async function buildFixtureReport(): Promise<{ outDir: string; results: OutcomesResults }> {
  const outDir = mkdtempSync(join(tmpdir(), 'oncosurv-registry-report-'));
  const files = fixtureExportFiles();
  for (const f of files) {
    const path = join(outDir, 'export', ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
  const results = computeOutcomes(readExportFiles(readExportFolder(join(outDir, 'export'), files.map((f) => f.path))), fixtureOperations());
  await writeOutcomesReport(outDir, results);
  return { outDir, results };
}
