/**
 * `oncosurv finegray`: the Fine–Gray subdistribution-hazards model for one cause, R's
 * cmprsk::crr(ftime, fstatus, cov1 = model.matrix(~ rhs)[, -1], failcode = cause), and the same
 * model by survival's route, coxph(Surv(fgstart, fgstop, fgstatus) ~ rhs, weights = fgwt,
 * cluster = id, data = finegray(...)).
 *
 * Prints print(summary(crr)) and, with --coxph-route, the coxph route's coefficient table; or the
 * JSON contract with --json. crr's SEs are the Fine–Gray sandwich (accounting for the estimated censoring
 * distribution); the coxph route's robust SEs treat the weights as known (fine-gray.ts and
 * finegray-expand.ts explain the difference).
 */
import { basename } from 'node:path';
import { defineCommand, parseNumberList, printJson } from '../command.js';
import { spec } from '../specs/finegray.js';
import { SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import { buildCompetingRisksFrame } from '../../stats/competing-risks-frame.js';
import { fineGray, fineGraySummaryRows, type FineGrayFit } from '../../stats/fine-gray.js';
import { fineGrayCox } from '../../stats/finegray-expand.js';
import { coxSummaryRows, type CoxFit } from '../../stats/cox.js';
import { readTableForFormula } from '../../data/read-table.js';
import { formatColumns, formatReal, formatTable, printCoefmatCells, roundR, signif, SIGNIF_LEGEND } from '../format-r.js';

export const command = defineCommand(spec, async ({ values }) => {
  const data = values.data;
  const formula = parseFormula(values.formula);
  const cause = values.cause !== undefined ? parseNumberList(values.cause, '--cause')[0]! : 1;
  if (formula.strata.length > 0 || formula.cluster !== null) {
    throw new SpecificationError('finegray: strata() and cluster() are not supported (crr has neither)', { position: formula.source.search(/strata\(|cluster\(/), source: formula.source });
  }
  if (formula.terms.length === 0) throw new SpecificationError('finegray needs at least one covariate', { position: formula.source.indexOf('~') + 1, source: formula.source });
  const table = await readTableForFormula(data, formula);
  const frame = buildCompetingRisksFrame(formula, table, 'design');
  const code = frame.outcome.causes.indexOf(cause) + 1;
  if (code === 0) {
    const found = frame.outcome.causes.length > 0 ? frame.outcome.causes.join(', ') : 'none';
    throw new SpecificationError(`--cause ${cause}: no rows have this status (causes present: ${found})`, { file: table.source, column: formula.response?.kind === 'surv' ? formula.response.event : undefined, value: String(cause) });
  }
  const fit = fineGray(frame.design!, frame.outcome, code);
  const route = values['coxph-route'] ? fineGrayCox(frame.design!, frame.outcome, code, { cluster: 'id' }) : null;
  const routeFit = route ? { fit: route.fit, rows: route.expansion.row.length } : null;
  if (values.json) printJson(finegrayJson(fit, routeFit, frame.nDropped));
  else process.stdout.write(finegrayText(fit, routeFit?.fit ?? null, formula.source, basename(data), frame.nDropped).join('\n') + '\n');
  return 0;
});

/** The --json contract (snake_case). */
export function finegrayJson(fit: FineGrayFit, route: { fit: CoxFit; rows: number } | null, nDropped: number): unknown {
  return {
    n: fit.n,
    n_dropped: nDropped,
    cause: fit.cause,
    n_event: fit.nEvent,
    n_competing: fit.nCompeting,
    n_censored: fit.nCensored,
    coefficients: fineGraySummaryRows(fit).map((r) => ({ term: r.term, coef: r.coef, se: r.se, z: r.z, p: r.p, hr: r.hr, hr_lower: r.hrLower, hr_upper: r.hrUpper })),
    loglik: fit.loglik,
    loglik_null: fit.loglikNull,
    converged: fit.converged,
    iterations: fit.iterations,
    finegray_coxph: route === null ? null : {
      rows: route.rows,
      coefficients: coxSummaryRows(route.fit).map((r) => ({ term: r.term, coef: r.coef, se: r.se, robust_se: r.robustSe, z: r.z, p: r.p, hr: r.hr, hr_lower: r.hrLower, hr_upper: r.hrUpper })),
      loglik: route.fit.loglik,
    },
  };
}

/** print(summary(crr)) with options(digits = 3), then (with --coxph-route) the finegray + coxph coefficients (digits 4). */
export function finegrayText(fit: FineGrayFit, cox: CoxFit | null, formula: string, dataName: string, nDropped: number): string[] {
  const rows = fineGraySummaryRows(fit);
  const lines = ['Competing Risks Regression', '', 'Call:', `crr(formula = ${formula}, data = ${dataName}, failcode = ${fit.cause}, cencode = 0)`, ''];
  if (!fit.converged) lines.push('crr converged: FALSE', '');
  const names = rows.map((r) => r.term);
  const coefCells = formatColumns([rows.map((r) => r.coef), rows.map((r) => r.hr), rows.map((r) => r.se), rows.map((r) => r.z), rows.map((r) => signif(r.p, 2))], 3);
  lines.push(...formatTable(names, ['coef', 'exp(coef)', 'se(coef)', 'z', 'p-value'], coefCells), '');
  const ciCells = formatColumns([rows.map((r) => r.hr), rows.map((r) => 1 / r.hr), rows.map((r) => r.hrLower), rows.map((r) => r.hrUpper)], 3);
  lines.push(...formatTable(names, ['exp(coef)', 'exp(-coef)', '2.5%', '97.5%'], ciCells), '');
  lines.push(`Num. cases = ${fit.n}${nDropped > 0 ? ` (${nDropped} cases omitted due to missing values)` : ''}`);
  lines.push(`Pseudo Log-likelihood = ${formatReal([signif(fit.loglik, 3)], 3)[0]} `);
  lines.push(`Pseudo likelihood ratio test = ${formatReal([roundR(fit.pseudoLikelihoodRatio.statistic, 2)], 7)[0]}  on ${fit.pseudoLikelihoodRatio.df} df,`, '');
  lines.push(`Events: ${fit.nEvent} from cause ${fit.cause}, ${fit.nCompeting} from competing causes, ${fit.nCensored} censored`);
  if (cox === null) return lines;
  lines.push('');
  lines.push('The same model by survival::finegray() + coxph(weights = fgwt, cluster = id); robust se treats the weights as known:');
  const cr = coxSummaryRows(cox);
  const { cells, stars } = printCoefmatCells([cr.map((r) => r.coef), cr.map((r) => r.hr), cr.map((r) => r.se), cr.map((r) => r.robustSe ?? NaN)], cr.map((r) => r.z), cr.map((r) => r.p), 4);
  lines.push(...formatTable(cr.map((r) => r.term), ['coef', 'exp(coef)', 'se(coef)', 'robust se', 'z', 'Pr(>|z|)', ''], cells.map((c, i) => [...c, stars[i]!])));
  lines.push('---', SIGNIF_LEGEND);
  return lines;
}
