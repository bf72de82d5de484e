/**
 * `oncosurv report DIR [--no-suppress]`: rebuild the study report (report.html, figures/,
 * tables/) from DIR/results.json of an earlier `oncosurv study` run, without rerunning any
 * analysis. Errors (one line each): missing folder, missing results.json, invalid JSON or a
 * results.json that oncosurv study did not write.
 */
import { SpecificationError } from '../../core/errors.js';
import { writeStudyReport } from '../../report/build-report.js';
import { readStudyResults } from '../../report/study-results.js';
import { parseCommandArgs, type CliCommand } from '../command.js';

const HELP = `oncosurv report: rebuild the study report from a study's results.json

Usage:
  oncosurv report DIR [--no-suppress] [--quiet]

DIR is the --out folder of 'oncosurv study'. Nothing is re-estimated: the report is built from
DIR/results.json alone and written to DIR/report.html, DIR/figures/ (SVG and 300-dpi PNG) and
DIR/tables/ (CSV).

Options:
  --no-suppress   show counts below the protocol's suppress_below (red banner on every page;
                  never distribute such a report: the NCDB data-use agreement forbids it)
  --quiet         print nothing on success

Example:
  oncosurv study hcc-conversion --puf liver.dat --out results/
  oncosurv report results/
`;

export const command: CliCommand = {
  name: 'report',
  summary: 'Rebuild report.html, figures and tables from a study folder',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, { 'no-suppress': { type: 'boolean' }, quiet: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new SpecificationError("report: give one study folder, e.g. 'oncosurv report results/'");
    const dir = positionals[0]!;
    const results = readStudyResults(dir);
    const report = await writeStudyReport(dir, results, { suppress: values['no-suppress'] !== true });
    if (values.quiet !== true) process.stdout.write(`${report.path} (${report.figures.length} figures, ${report.tables.length} tables)\n`);
    return 0;
  },
};
