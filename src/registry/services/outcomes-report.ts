/**
 * The statistician's outcomes report as a service (the CLI's `oncosurv registry report` and the web
 * download): the analysis export plus the operational counts, in one transaction, with one audit row.
 *
 * Inputs:  a transaction, the actor ('report.outcomes': statistician or data manager), today, the
 *          export's time, the suppression threshold.
 * Outputs: `outcomesReportInputs` -> the export (exportRegistry: de-identified, every site the actor
 *          sees, its own audit row 'export.create') and RegistryOperations (counts only);
 *          `outcomesReportHtml` -> the finished self-contained report.html and results.json built
 *          from the export's files exactly as the CLI builds it from export/*.csv.
 * Audit:   'report.outcomes' with the sites, the suppression threshold and the export manifest's
 *          SHA-256 of patients.csv — never a patient value.
 */
import type { SqlExecutor } from '../db/database.js';
import { appendAudit, authorOf } from './audit.js';
import { exportRegistry, type RegistryExport } from './exports.js';
import { registryOperations, type RegistryOperations } from './operations.js';
import { requireRole } from './permissions.js';
import { BadRequestError, type Actor } from './types.js';
import { readExportFiles } from '../analysis/outcomes-report/export-data.js';
import { computeOutcomes, type OutcomesResults } from '../analysis/outcomes-report/compute.js';
import { buildOutcomesReport } from '../analysis/outcomes-report/report.js';

export interface OutcomesReportOptions {
  today?: string;
  now?: Date;
  /** Counts 1..suppressBelow-1 are shown as '<suppressBelow' (default 10). */
  suppressBelow?: number;
  /** false shows every count (the report carries a red banner). Default true. */
  suppress?: boolean;
}

export function checkSuppressBelow(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new BadRequestError('the suppression threshold must be a whole number from 1 to 1000');
  return value;
}

export async function outcomesReportInputs(tx: SqlExecutor, actor: Actor, options: OutcomesReportOptions = {}): Promise<{ export: RegistryExport; operations: RegistryOperations }> {
  requireRole(actor, 'report.outcomes');
  const threshold = checkSuppressBelow(options.suppressBelow ?? 10);
  const operations = await registryOperations(tx, actor, options.today === undefined ? {} : { today: options.today });
  const exported = await exportRegistry(tx, actor, options.now === undefined ? {} : { now: options.now });
  const patients = exported.manifest.files.find((f) => f.path === 'patients.csv');
  await appendAudit(tx, authorOf(actor), [{
    action: 'report.outcomes',
    details: { sites: exported.manifest.sites, data_cut: operations.today, suppress_below: threshold, suppression: options.suppress !== false, patients_sha256: patients?.sha256 ?? null },
  }]);
  return { export: exported, operations };
}

/** The report.html (and its results) for the web download: built from the export's files in memory. */
export async function outcomesReportHtml(tx: SqlExecutor, actor: Actor, options: OutcomesReportOptions = {}): Promise<{ html: string; results: OutcomesResults }> {
  const inputs = await outcomesReportInputs(tx, actor, options);
  const results = computeOutcomes(readExportFiles(inputs.export.files), inputs.operations, { suppressBelow: options.suppressBelow ?? 10, suppression: options.suppress !== false });
  const report = await buildOutcomesReport(results);
  return { html: report.html, results };
}
