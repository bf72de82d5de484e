/**
 * `oncosurv report DIR [--no-suppress]`: rebuild the study report (report.html, figures/,
 * tables/) from DIR/results.json of an earlier `oncosurv study` run, without rerunning any
 * analysis. Errors (one line each): missing folder, missing results.json, invalid JSON or a
 * results.json that oncosurv study did not write.
 */
import { SpecificationError } from '../../core/errors.js';
import { writeStudyReport } from '../../report/build-report.js';
import { readStudyResults } from '../../report/study-results.js';
import { defineCommand } from '../command.js';
import { spec } from '../specs/report.js';

export const command = defineCommand(spec, async ({ values, positionals }) => {
  if (positionals.length !== 1) throw new SpecificationError("report: give one study folder, e.g. 'oncosurv report results/'");
  const dir = positionals[0]!;
  const results = readStudyResults(dir);
  const report = await writeStudyReport(dir, results, { suppress: values['no-suppress'] !== true });
  if (values.quiet !== true) process.stdout.write(`${report.path} (${report.figures.length} figures, ${report.tables.length} tables)\n`);
  return 0;
});
