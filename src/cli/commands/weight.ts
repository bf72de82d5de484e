/**
 * `oncosurv weight`: propensity scores from a logistic model and inverse-probability-of-
 * treatment weights (ATE, ATT, ATO), writing the data with `ps` and `weights` columns and
 * printing the weights' spread, effective sample sizes and balance. Computation is
 * src/causal/{propensity,weighting,balance}.ts; this file reads, calls, writes and formats.
 */
import { defineCommand, parseNumberList, printJson } from '../command.js';
import { spec } from '../specs/weight.js';
import { readTable } from '../../data/read-table.js';
import { SpecificationError } from '../../core/errors.js';
import { balanceTable } from '../../causal/balance.js';
import { fitPropensityModel } from '../../causal/propensity.js';
import { iptwWeights, type Estimand } from '../../causal/weighting.js';
import { formulaCovariates } from './match.js';
import { formatBalance, signif4 as g4 } from '../balance-text.js';
import { writeCsv } from '../../data/write-csv.js';
import { balanceJsonWithRawDifference } from '../../causal/balance-json.js';

function summary(w: Float64Array, treated: Uint8Array, group: number): { n: number; min: number; max: number; mean: number; sum: number } {
  let n = 0, min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < w.length; i++) {
    if (treated[i] !== group) continue;
    n++;
    sum += w[i]!;
    if (w[i]! < min) min = w[i]!;
    if (w[i]! > max) max = w[i]!;
  }
  return { n, min, max, mean: sum / n, sum };
}


export const command = defineCommand(spec, async ({ values }) => {
  const data = values.data;
  const formula = values.formula;
  const out = values.out;
  const estimand = values.estimand.toUpperCase();
  if (estimand !== 'ATE' && estimand !== 'ATT' && estimand !== 'ATO') throw new SpecificationError('--estimand must be ATE, ATT or ATO', { value: estimand });
  let truncate: [number, number] | null = null;
  if (values.truncate !== undefined) {
    const q = parseNumberList(values.truncate, '--truncate');
    if (q.length !== 2) throw new SpecificationError('--truncate takes two quantiles, e.g. 0.01,0.99', { value: String(values.truncate) });
    truncate = [q[0]!, q[1]!];
  }
  const stabilize = values.stabilize === true;

  const table = await readTable(data);
  const model = fitPropensityModel(formula, table);
  const w = iptwWeights(model.ps, model.treated, { estimand: estimand as Estimand, stabilize, truncate });
  const balance = balanceTable(formulaCovariates(formula, table, model.frame.rows), model.treated, w, estimand as Estimand);
  await writeCsv(table, out, { rows: model.frame.rows, quote: 'where-needed', extra: [{ name: 'ps', values: model.ps }, { name: 'weights', values: w }] });

  const st = summary(w, model.treated, 1);
  const sc = summary(w, model.treated, 0);
  if (values.json) {
    printJson({
      formula, n: model.treated.length, n_dropped: model.frame.nDropped, estimand, stabilize, truncate,
      weights: { treated: st, control: sc },
      propensity_model: { converged: model.fit.converged, warnings: model.fit.warnings },
      balance: balanceJsonWithRawDifference(balance, estimand), out,
    });
    return 0;
  }
  const lines = [
    `Propensity-score weights, estimand ${estimand}${stabilize ? ', stabilized' : ''}${truncate ? `, truncated at quantiles ${truncate[0]}, ${truncate[1]}` : ''}`,
    `Propensity model: glm(${formula}, family = binomial)${model.frame.nDropped > 0 ? `; ${model.frame.nDropped} rows with missing values dropped` : ''}`,
    '',
    `             n      min      max     mean`,
    `treated  ${String(st.n).padStart(5)}  ${g4(st.min).padStart(7)}  ${g4(st.max).padStart(7)}  ${g4(st.mean).padStart(7)}`,
    `control  ${String(sc.n).padStart(5)}  ${g4(sc.min).padStart(7)}  ${g4(sc.max).padStart(7)}  ${g4(sc.mean).padStart(7)}`,
    '',
    `Balance (${estimand}):`,
  ];
  process.stdout.write(lines.join('\n') + '\n' + formatBalance(balance, 'weighted'));
  if (model.fit.warnings.length > 0) process.stdout.write('\nWarnings:\n' + model.fit.warnings.map((m) => `  ${m}`).join('\n') + '\n');
  process.stdout.write(`\nWeighted data (${model.treated.length} rows) written to ${out}\n`);
  return 0;
});
