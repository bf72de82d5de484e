/**
 * `oncosurv logistic`: logistic regression (R's glm(family = binomial)) from a CSV/Parquet file
 * and a formula `y ~ x1 + factor(x2)`. Computation is src/stats/logistic.ts; this file reads,
 * calls and formats (summary(glm) layout plus odds ratios and the likelihood-ratio test).
 */
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson, requireOption } from '../command.js';
import { readTable } from '../../data/read-table.js';
import { InputError, SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import { logisticRegression, type LogisticFit } from '../../stats/logistic.js';
import { buildModelFrame } from '../../stats/model-frame.js';

const HELP = `oncosurv logistic: logistic regression, as R's glm(formula, family = binomial)

Usage: oncosurv logistic --data FILE --formula "y ~ x1 + factor(x2)" [--weights COL] [--json]

  --data FILE      CSV or Parquet file
  --formula F      0/1 response (or a two-valued text column: first sorted value = 0) ~ terms
  --weights COL    prior weights (> 0), R's glm(weights = )
  --json           JSON output:
                   {"formula","n","n_dropped","coefficients":[{"term","estimate","se","z","p",
                    "or","or_lower","or_upper","aliased"}],"deviance","null_deviance",
                    "df_residual","df_null","aic","lr_test":{"statistic","df","p"},
                    "iterations","converged","warnings":[...]}
                   (aliased terms have null estimates; OR limits are Wald 95%, confint.default)
Rows with a missing value in any model variable are dropped (na.omit), and counted.
`;

export function logisticJson(fit: LogisticFit, formula: string, n: number, nDropped: number): unknown {
  return {
    formula,
    n,
    n_dropped: nDropped,
    coefficients: fit.names.map((term, j) => ({
      term,
      estimate: fit.coefficients[j],
      se: fit.se[j],
      z: fit.z[j],
      p: fit.p[j],
      or: fit.or[j],
      or_lower: fit.orLower[j],
      or_upper: fit.orUpper[j],
      aliased: fit.aliased[j],
    })),
    deviance: fit.deviance,
    null_deviance: fit.nullDeviance,
    df_residual: fit.dfResidual,
    df_null: fit.dfNull,
    aic: fit.aic,
    lr_test: fit.lrTest,
    iterations: fit.iterations,
    converged: fit.converged,
    warnings: fit.warnings,
  };
}

/** A number the way R's print shows it: 5 significant digits, scientific when very small/large. */
function num(x: number, digits = 5): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NA' : x > 0 ? 'Inf' : '-Inf';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return x.toExponential(digits - 2);
  return String(Number(x.toPrecision(digits)));
}

function pValue(p: number): string {
  if (Number.isNaN(p)) return 'NA';
  return p < 2e-16 ? '< 2e-16' : p < 1e-4 ? p.toExponential(2) : String(Number(p.toPrecision(3)));
}

function stars(p: number): string {
  return Number.isNaN(p) ? '' : p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : p < 0.1 ? '.' : '';
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd());
}

export function formatLogistic(fit: LogisticFit, formula: string, nDropped: number): string {
  const lines = [`Call:  glm(formula = ${formula}, family = binomial)`, '', 'Coefficients:'];
  const coef = [['', 'Estimate', 'Std. Error', 'z value', 'Pr(>|z|)', '']];
  const ors = [['', 'Odds ratio', '2.5 %', '97.5 %']];
  fit.names.forEach((name, j) => {
    coef.push([name, num(fit.coefficients[j]!), num(fit.se[j]!), Number.isFinite(fit.z[j]!) ? fit.z[j]!.toFixed(3) : 'NA', pValue(fit.p[j]!), stars(fit.p[j]!)]);
    ors.push([name, num(fit.or[j]!, 4), num(fit.orLower[j]!, 4), num(fit.orUpper[j]!, 4)]);
  });
  lines.push(...table(coef));
  const nAliased = fit.aliased.filter(Boolean).length;
  if (nAliased > 0) lines.push(`(${nAliased} not defined because of singularities)`);
  lines.push('---', "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1", '');
  lines.push('(Dispersion parameter for binomial family taken to be 1)', '');
  lines.push(`    Null deviance: ${num(fit.nullDeviance)}  on ${fit.dfNull}  degrees of freedom`);
  lines.push(`Residual deviance: ${num(fit.deviance)}  on ${fit.dfResidual}  degrees of freedom`);
  if (nDropped > 0) lines.push(`  (${nDropped} observation${nDropped === 1 ? '' : 's'} deleted due to missingness)`);
  lines.push(`AIC: ${num(fit.aic)}`, '', `Number of Fisher Scoring iterations: ${fit.iterations}`, '');
  lines.push('Odds ratios (Wald 95% CI):', ...table(ors), '');
  lines.push(`Likelihood-ratio test vs intercept-only model: chi-square = ${num(fit.lrTest.statistic)} on ${fit.lrTest.df} df, p ${fit.lrTest.p < 2e-16 ? '' : '= '}${pValue(fit.lrTest.p)}`);
  if (fit.warnings.length > 0) lines.push('', 'Warning messages:', ...fit.warnings.map((w, i) => `${i + 1}: ${w}`));
  return lines.join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'logistic',
  summary: 'Logistic regression (R glm, binomial)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, { data: { type: 'string' }, formula: { type: 'string' }, weights: { type: 'string' }, json: { type: 'boolean' } });
    const data = requireOption(values.data as string | undefined, '--data', 'logistic');
    const formulaText = requireOption(values.formula as string | undefined, '--formula', 'logistic');
    const formula = parseFormula(formulaText);
    if (formula.response?.kind !== 'variable') throw new SpecificationError('the formula needs a 0/1 response on the left: y ~ x1 + x2', { position: 0, source: formulaText });
    const weights = (values.weights as string | undefined) ?? null;
    const table = await readTable(data);
    const frame = buildModelFrame(formula, table, { intercept: true, weights, dropUnusedLevels: true });
    const y = frame.response!;
    const name = formula.response.name;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 0 && y[i] !== 1) throw new InputError('the logistic response must be 0 or 1', { file: table.source, row: frame.rows[i]! + 1, column: name, value: String(y[i]) });
    }
    const fit = logisticRegression(frame.design, y, { weights: frame.weights });
    if (values.json) printJson(logisticJson(fit, formulaText, y.length, frame.nDropped));
    else process.stdout.write(formatLogistic(fit, formulaText, frame.nDropped));
    return 0;
  },
};
