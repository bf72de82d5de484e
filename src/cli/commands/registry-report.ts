/**
 * `oncosurv registry report --out DIR --user U --password-file FILE`: the statistician's outcomes
 * report (issue 12 §3), run as the registry user U (statistician or data manager: 'report.outcomes').
 *
 * Steps, in one database transaction (so a failure leaves neither a folder nor an audit row):
 *   1. U is authenticated with the web login's rules (auth.checkCredentials, as `registry export`);
 *   2. services/outcomes-report.ts: the analysis export (exportRegistry, audited) and the operational
 *      counts (services/operations.ts), one 'report.outcomes' audit row;
 *   3. the export's files are written into DIR/export/, then read back from there (checksums
 *      verified against export.json) and the report is computed and written from those files, so
 *      reproduce.R refits from exactly what the report used.
 * The folder is built beside DIR and renamed into place at the end (registry-user-folder.ts).
 */
import { join } from 'node:path';
import { defineCommand, printJson } from '../command.js';
import { reportSpec } from '../specs/registry.js';
import { SpecificationError } from '../../core/errors.js';
import { dayNumber } from '../../registry/definition/dates.js';
import { outcomesReportInputs } from '../../registry/services/outcomes-report.js';
import { readExportFiles } from '../../registry/analysis/outcomes-report/export-data.js';
import { readExportFolder } from '../../registry/analysis/outcomes-report/export-folder.js';
import { computeOutcomes, type OutcomesResults } from '../../registry/analysis/outcomes-report/compute.js';
import { writeOutcomesReport } from '../../registry/analysis/outcomes-report/report.js';
import { writeExportFiles } from './registry-export.js';
import { writeFolderAsRegistryUser } from './registry-user-folder.js';

/** The few numbers the terminal (and --json) shows; results.json has them all. */
export function reportSummary(r: OutcomesResults, dir: string): Record<string, unknown> {
  const rej = 'skipped' in r.rejection ? null : r.rejection;
  const cs = rej === null || 'skipped' in rej.cause_specific ? null : rej.cause_specific.washout_per_week;
  const fg = rej === null || 'skipped' in rej.fine_gray ? null : rej.fine_gray.washout_per_week;
  return {
    out: dir, data_cut: r.data_cut, patients: r.flow.exported, transplanted: r.flow.transplanted, resected: r.flow.resected,
    rejections: rej?.rejections ?? 0, suppress_below: r.suppression ? r.suppress_below : null,
    cause_specific_hr_per_week: cs === null ? null : { hr: cs.hr, lower: cs.lower, upper: cs.upper, p: cs.p },
    fine_gray_hr_per_week: fg === null ? null : { hr: fg.hr, lower: fg.lower, upper: fg.upper, p: fg.p },
  };
}

export const reportCommand = defineCommand(reportSpec, async ({ values }) => {
  const threshold = values['suppress-below'] === undefined ? 10 : /^\d+$/.test(values['suppress-below']) ? Number(values['suppress-below']) : NaN;
  if (!(threshold >= 1 && threshold <= 1000)) throw new SpecificationError('registry report: --suppress-below must be a whole number from 1 to 1000', { value: values['suppress-below'] });
  if (values.today !== undefined && dayNumber(values.today) === undefined) throw new SpecificationError('registry report: --today must be a date YYYY-MM-DD', { value: values.today });
  const suppress = !values['no-suppression'];
  const { result: results, target } = await writeFolderAsRegistryUser('registry report', 'report', values, async (tx, actor, folder) => {
    const inputs = await outcomesReportInputs(tx, actor, { ...(values.today !== undefined ? { today: values.today } : {}), suppressBelow: threshold, suppress });
    const exportDir = join(folder, 'export');
    writeExportFiles(exportDir, inputs.export.files);
    const r = computeOutcomes(readExportFiles(readExportFolder(exportDir)), inputs.operations, { suppressBelow: threshold, suppression: suppress });
    await writeOutcomesReport(folder, r);
    return r;
  });
  const summary = reportSummary(results, target);
  if (values.json) printJson(summary);
  else {
    const cs = summary.cause_specific_hr_per_week as { hr: number; lower: number; upper: number } | null;
    process.stdout.write(`report written: ${join(target, 'report.html')} (${results.flow.exported} patients, ${results.flow.transplanted} transplanted; ${suppress ? `counts below ${threshold} suppressed` : 'SUPPRESSION OFF'})\n`
      + (cs === null ? '' : `cause-specific HR of rejection per week of washout: ${cs.hr.toFixed(3)} (95% CI ${cs.lower.toFixed(3)}-${cs.upper.toFixed(3)})\n`)
      + `reproduce with R: Rscript ${join(target, 'reproduce.R')} ${target}\n`);
  }
  return 0;
});
