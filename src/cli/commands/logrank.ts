/**
 * `oncosurv logrank`: the log-rank / G-rho test, R's survdiff(Surv(time, status) ~ g + strata(s)).
 *
 * Groups come from the right-hand side variables (R's names), strata() stratifies the test.
 * Prints R's print(survdiff) table or, with --json, the JSON contract.
 */
import { basename } from 'node:path';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson, requireOption } from '../command.js';
import { SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import { buildGroupingFrame } from '../../stats/model-frame.js';
import { logRankTest, type LogRankResult } from '../../stats/survdiff.js';
import { readTableForFormula } from '../../data/read-table.js';
import { formatColumns, formatPval, formatReal, formatTable, roundR } from '../format-r.js';

const HELP = `oncosurv logrank: log-rank / G-rho test of survival curves (R: survdiff)

Usage: oncosurv logrank --data FILE --formula "Surv(time, status) ~ group [+ strata(s)]" [options]

Options:
  --data FILE          .csv or .parquet data file (required)
  --formula F          R formula; right-hand side variables define the groups, strata()
                       variables stratify the test (required)
  --rho R              G-rho family weight S(t)^rho: 0 = log-rank (default), 1 = Peto-Peto
  --json               print the result as JSON instead of R's table
  -h, --help           show this help

Example:
  oncosurv logrank --data lung.csv --formula "Surv(time, status) ~ sex + strata(ph.ecog)"
`;

const OPTIONS = {
  data: { type: 'string' },
  formula: { type: 'string' },
  rho: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const command: CliCommand = {
  name: 'logrank',
  summary: 'Log-rank / G-rho test (R survdiff)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const data = requireOption(values.data as string | undefined, '--data', 'logrank');
    const formula = parseFormula(requireOption(values.formula as string | undefined, '--formula', 'logrank'));
    const rhoText = values.rho as string | undefined;
    const rho = rhoText === undefined ? 0 : Number(rhoText);
    if (rhoText !== undefined && (rhoText.trim() === '' || !Number.isFinite(rho))) throw new SpecificationError('--rho must be a number', { value: rhoText });
    if (formula.terms.length === 0) {
      throw new SpecificationError('logrank needs at least one grouping variable on the right-hand side', { position: formula.source.indexOf('~'), source: formula.source });
    }
    if (formula.cluster !== null) throw new SpecificationError('logrank: cluster() is not supported', { position: formula.source.indexOf('cluster('), source: formula.source });
    const table = await readTableForFormula(data, formula);
    const frame = buildGroupingFrame(formula, table);
    const result = logRankTest(frame.survival, frame.groups!, { rho, strata: frame.strata });
    if (values.json) {
      printJson({ groups: result.groups, n: result.n, observed: result.observed, expected: result.expected, chisq: result.chisq, df: result.df, p: result.p });
    } else {
      process.stdout.write(logrankText(result, formula.source, basename(data), frame.nDropped, rho).join('\n') + '\n');
    }
    return 0;
  },
};

/** print(survdiff): digits = 3, columns formatted separately, Chisq rounded to 1 decimal, p by
 * format.pval with options(digits = 3) in force (so 1 digit). */
export function logrankText(r: LogRankResult, formula: string, dataName: string, nDropped: number, rho: number): string[] {
  const k = r.groups.length;
  const lines = ['Call:', `survdiff(formula = ${formula}, data = ${dataName}${rho !== 0 ? `, rho = ${rho}` : ''})`, ''];
  if (nDropped > 0) {
    const n = Array.from(r.n).reduce((a, b) => a + b, 0);
    lines.push(`n=${n}, ${nDropped} observation${nDropped === 1 ? '' : 's'} deleted due to missingness.`, '');
  }
  const o = Array.from(r.observed);
  const e = Array.from(r.expected);
  const oe2e = o.map((x, i) => (x - e[i]!) ** 2 / e[i]!);
  const oe2v = o.map((x, i) => (x - e[i]!) ** 2 / r.variance[i * k + i]!);
  lines.push(...formatTable(r.groups, ['N', 'Observed', 'Expected', '(O-E)^2/E', '(O-E)^2/V'], formatColumns([Array.from(r.n), o, e, oe2e, oe2v], 3)));
  lines.push('', ` Chisq= ${formatReal([roundR(r.chisq, 1)], 3)[0]}  on ${r.df} degrees of freedom, p= ${formatPval([r.p], 1)[0]} `);
  return lines;
}
