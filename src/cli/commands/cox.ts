/**
 * `oncosurv cox`: Cox proportional hazards model, R's coxph(formula, data, ties, weights,
 * cluster, robust), printed as print(summary(fit)) or as the JSON contract with --json.
 *
 * The design matrix comes from the model frame (R's model.matrix without the intercept);
 * strata() codes and cluster() ids come from the formula, --cluster adds a cluster column.
 */
import { basename } from 'node:path';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson, requireOption } from '../command.js';
import { EstimationError, SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import { buildModelFrame } from '../../stats/model-frame.js';
import { coxph, coxSummaryRows, type CoxFit, type CoxTest } from '../../stats/cox.js';
import { readTableForFormula } from '../../data/read-table.js';
import { formatColumns, formatPval, formatReal, formatTable, printCoefmatCells, roundR, SIGNIF_LEGEND } from '../format-r.js';

const HELP = `oncosurv cox: Cox proportional hazards regression (R: coxph)

Usage: oncosurv cox --data FILE --formula "Surv(time, status) ~ covariates" [options]

Options:
  --data FILE          .csv or .parquet data file (required)
  --formula F          R formula: Surv(time, status) or Surv(start, stop, status) on the left;
                       terms with + : * and factor(), plus strata(s) and cluster(id) (required)
  --ties T             efron (default, as R) or breslow
  --weights COL        column of case weights (> 0); non-integer weights imply --robust, as in R
  --cluster COL        cluster column for the robust (sandwich) variance; implies --robust
  --robust             robust variance with each row its own cluster
  --json               print the fit as JSON instead of R's summary
  -h, --help           show this help

Example:
  oncosurv cox --data lung.csv --formula "Surv(time, status) ~ age + sex + strata(ph.ecog)"
`;

const OPTIONS = {
  data: { type: 'string' },
  formula: { type: 'string' },
  ties: { type: 'string' },
  weights: { type: 'string' },
  cluster: { type: 'string' },
  robust: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const command: CliCommand = {
  name: 'cox',
  summary: 'Cox proportional hazards model (R coxph)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const data = requireOption(values.data as string | undefined, '--data', 'cox');
    const formula = parseFormula(requireOption(values.formula as string | undefined, '--formula', 'cox'));
    const ties = (values.ties as string | undefined) ?? 'efron';
    if (ties !== 'efron' && ties !== 'breslow') throw new SpecificationError('--ties must be efron or breslow', { value: ties });
    const weights = (values.weights as string | undefined) ?? null;
    const clusterOpt = (values.cluster as string | undefined) ?? null;
    if (formula.response?.kind !== 'surv') {
      throw new SpecificationError('cox needs a Surv(time, status) response', { position: 0, source: formula.source });
    }
    if (formula.terms.length === 0) {
      throw new SpecificationError('cox needs at least one covariate', { position: formula.source.indexOf('~') + 1, source: formula.source });
    }
    const table = await readTableForFormula(data, formula, [weights, clusterOpt]);
    const frame = buildModelFrame(formula, table, { weights, cluster: clusterOpt });
    const y = frame.survival!;
    let events = 0;
    for (let i = 0; i < y.n; i++) events += y.event[i]!;
    if (events === 0) {
      const why = frame.nDropped > 0 ? ` (${y.n} rows used, ${frame.nDropped} dropped for missing values)` : '';
      throw new EstimationError(`no events: every observation is censored, a Cox model cannot be fitted${why}`, { file: table.source, column: formula.response.event });
    }
    // R's coxph default: robust when there is a cluster or a non-integer case weight (has.rwt).
    const fractionalWeights = frame.weights !== null && frame.weights.some((w) => w !== Math.floor(w));
    const robust = Boolean(values.robust) || frame.cluster !== null || fractionalWeights;
    const fit = coxph(frame.design, y, { ties, strata: frame.strata?.codes ?? null, weights: frame.weights, cluster: frame.cluster, robust });
    if (values.json) printJson(coxJson(fit, frame.nDropped));
    else process.stdout.write(coxText(fit, formula.source, basename(data), frame.nDropped).join('\n') + '\n');
    return 0;
  },
};

const testJson = (t: CoxTest): { statistic: number; df: number; p: number } => ({ statistic: t.statistic, df: t.df, p: t.p });

/** The --json contract (snake_case). */
export function coxJson(fit: CoxFit, nDropped: number): unknown {
  return {
    n: fit.n,
    nevent: fit.nevent,
    n_dropped: nDropped,
    coefficients: coxSummaryRows(fit).map((r) => ({
      term: r.term,
      coef: r.coef,
      se: r.se,
      robust_se: r.robustSe,
      z: r.z,
      p: r.p,
      hr: r.hr,
      hr_lower: r.hrLower,
      hr_upper: r.hrUpper,
    })),
    loglik: fit.loglik,
    tests: {
      likelihood_ratio: testJson(fit.tests.likelihoodRatio),
      wald: testJson(fit.tests.wald),
      score: testJson(fit.tests.score),
      robust_score: fit.tests.robustScore ? testJson(fit.tests.robustScore) : null,
    },
    concordance: { c: fit.concordance.c, se: fit.concordance.se },
    iterations: fit.iterations,
    converged: fit.converged,
    warnings: fit.warnings,
  };
}

/** print(summary(coxph)): options(digits = 4) in force, p-values with 1 digit in the test lines. */
export function coxText(fit: CoxFit, formula: string, dataName: string, nDropped: number): string[] {
  const rows = coxSummaryRows(fit);
  const lines = ['Call:', `coxph(formula = ${formula}, data = ${dataName})`, '', `  n= ${fit.n}, number of events= ${fit.nevent} `];
  if (nDropped > 0) lines.push(`   (${nDropped} observation${nDropped === 1 ? '' : 's'} deleted due to missingness)`);
  lines.push('');
  const robust = fit.robustSe !== null;
  const est = [rows.map((r) => r.coef), rows.map((r) => r.hr), rows.map((r) => r.se)];
  if (robust) est.push(rows.map((r) => r.robustSe ?? NaN));
  const { cells, stars } = printCoefmatCells(est, rows.map((r) => r.z), rows.map((r) => r.p), 4);
  const header = ['coef', 'exp(coef)', 'se(coef)', ...(robust ? ['robust se'] : []), 'z', 'Pr(>|z|)', ''];
  lines.push(...formatTable(rows.map((r) => r.term), header, cells.map((c, i) => [...c, stars[i]!])));
  lines.push('---', SIGNIF_LEGEND, '');
  const ci = formatColumns([rows.map((r) => r.hr), rows.map((r) => 1 / r.hr), rows.map((r) => r.hrLower), rows.map((r) => r.hrUpper)], 4);
  lines.push(...formatTable(rows.map((r) => r.term), ['exp(coef)', 'exp(-coef)', 'lower .95', 'upper .95'], ci), '');
  const f2 = (x: number): string => formatReal([roundR(x, 2)], 4)[0]!;
  const fp = (p: number): string => formatPval([p], 1)[0]!;
  const t = fit.tests;
  lines.push(`Concordance= ${formatReal([roundR(fit.concordance.c, 3)], 4)[0]}  (se = ${formatReal([roundR(fit.concordance.se, 3)], 4)[0]} )`);
  lines.push(`Likelihood ratio test= ${f2(t.likelihoodRatio.statistic)}  on ${t.likelihoodRatio.df} df,   p=${fp(t.likelihoodRatio.p)}`);
  lines.push(`Wald test            = ${f2(t.wald.statistic)}  on ${t.wald.df} df,   p=${fp(t.wald.p)}`);
  const score = `Score (logrank) test = ${f2(t.score.statistic)}  on ${t.score.df} df,   p=${fp(t.score.p)}`;
  lines.push(t.robustScore ? `${score},   Robust = ${f2(t.robustScore.statistic)}  p=${fp(t.robustScore.p)}` : score, '');
  if (robust) {
    lines.push('  (Note: the likelihood ratio and score tests assume independence of', '     observations within a cluster, the Wald and robust score tests do not).');
  }
  for (const w of fit.warnings) lines.push(`Warning: ${w}`);
  return lines;
}
