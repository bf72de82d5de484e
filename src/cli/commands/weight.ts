/**
 * `oncosurv weight`: propensity scores from a logistic model and inverse-probability-of-
 * treatment weights (ATE, ATT, ATO), writing the data with `ps` and `weights` columns and
 * printing the weights' spread, effective sample sizes and balance. Computation is
 * src/causal/{propensity,weighting,balance}.ts; this file reads, calls, writes and formats.
 */
import type { CliCommand } from '../command.js';
import { parseCommandArgs, parseNumberList, printJson, requireOption } from '../command.js';
import { readTable } from '../../data/read-table.js';
import { SpecificationError } from '../../core/errors.js';
import { balanceTable } from '../../causal/balance.js';
import { fitPropensityModel } from '../../causal/propensity.js';
import { iptwWeights, type Estimand } from '../../causal/weighting.js';
import { balanceJson, formatBalance, formulaCovariates, writeTableCsv } from './match.js';

const HELP = `oncosurv weight: propensity-score weights (inverse probability of treatment weighting)

Usage: oncosurv weight --data FILE --formula "treat ~ x1 + x2" --estimand ATE|ATT|ATO --out weighted.csv
         [--stabilize] [--truncate 0.01,0.99] [--json]

  --data FILE          CSV or Parquet file
  --formula F          treatment (0/1) ~ covariates of the propensity model (logistic regression)
  --estimand E         ATE: treated 1/ps, control 1/(1-ps); ATT: treated 1, control ps/(1-ps);
                       ATO (overlap): treated 1-ps, control ps
  --stabilize          multiply by the marginal probability of the treatment received
  --truncate LO,HI     winsorize the weights at these quantiles (R type 7) of all weights
  --out FILE           the model's rows with all original columns plus ps and weights (CSV)
  --json               JSON output:
                       {"formula","n","n_dropped","estimand","stabilize","truncate":[lo,hi]|null,
                        "weights":{"treated":{"n","min","max","mean","sum"},"control":{...}},
                        "propensity_model":{"converged","warnings"},
                        "balance":{"estimand","rows":[BalanceRow],"ess":{"treated_before",
                                   "control_before","treated_after","control_after"}},"out"}
                       (BalanceRow as in oncosurv match --help)
`;

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

function g4(x: number): string {
  return String(Number(x.toPrecision(4)));
}

export const command: CliCommand = {
  name: 'weight',
  summary: 'Propensity-score weights (IPTW: ATE, ATT, ATO)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, {
      data: { type: 'string' }, formula: { type: 'string' }, estimand: { type: 'string' }, out: { type: 'string' },
      stabilize: { type: 'boolean' }, truncate: { type: 'string' }, json: { type: 'boolean' },
    });
    const data = requireOption(values.data as string | undefined, '--data', 'weight');
    const formula = requireOption(values.formula as string | undefined, '--formula', 'weight');
    const out = requireOption(values.out as string | undefined, '--out', 'weight');
    const estimand = requireOption(values.estimand as string | undefined, '--estimand', 'weight').toUpperCase();
    if (estimand !== 'ATE' && estimand !== 'ATT' && estimand !== 'ATO') throw new SpecificationError('--estimand must be ATE, ATT or ATO', { value: estimand });
    let truncate: [number, number] | null = null;
    if (values.truncate !== undefined) {
      const q = parseNumberList(values.truncate as string, '--truncate');
      if (q.length !== 2) throw new SpecificationError('--truncate takes two quantiles, e.g. 0.01,0.99', { value: String(values.truncate) });
      truncate = [q[0]!, q[1]!];
    }
    const stabilize = values.stabilize === true;

    const table = await readTable(data);
    const model = fitPropensityModel(formula, table);
    const w = iptwWeights(model.ps, model.treated, { estimand: estimand as Estimand, stabilize, truncate });
    const balance = balanceTable(formulaCovariates(formula, table, model.frame.rows), model.treated, w, estimand as Estimand);
    writeTableCsv(out, table, model.frame.rows, [{ name: 'ps', values: model.ps }, { name: 'weights', values: w }]);

    const st = summary(w, model.treated, 1);
    const sc = summary(w, model.treated, 0);
    if (values.json) {
      printJson({
        formula, n: model.treated.length, n_dropped: model.frame.nDropped, estimand, stabilize, truncate,
        weights: { treated: st, control: sc },
        propensity_model: { converged: model.fit.converged, warnings: model.fit.warnings },
        balance: balanceJson(balance, estimand), out,
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
  },
};
