import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'weight',
  summary: 'Propensity-score weights (IPTW: ATE, ATT, ATO)',
  usage: [
    'weight --data FILE --formula "treat ~ x1 + x2" --estimand ATE|ATT|ATO --out weighted.csv',
    '  [--stabilize] [--truncate 0.01,0.99] [--json]',
  ],
  options: {
    data: { type: 'string', value: 'FILE', help: 'CSV or Parquet file', required: true },
    formula: { type: 'string', value: 'F', help: 'treatment (0/1) ~ covariates of the propensity model (logistic regression)', required: true },
    out: { type: 'string', value: 'FILE', help: "the model's rows with all original columns plus ps and weights (CSV)", required: true },
    estimand: { type: 'string', value: 'E', help: 'ATE: treated 1/ps, control 1/(1-ps); ATT: treated 1, control ps/(1-ps);\nATO (overlap): treated 1-ps, control ps', required: true },
    stabilize: { type: 'boolean', help: 'multiply by the marginal probability of the treatment received' },
    truncate: { type: 'string', value: 'LO,HI', help: 'winsorize the weights at these quantiles (R type 7) of all weights' },
    json: {
      type: 'boolean',
      help: 'JSON output:\n{"formula","n","n_dropped","estimand","stabilize","truncate":[lo,hi]|null,\n "weights":{"treated":{"n","min","max","mean","sum"},"control":{...}},\n "propensity_model":{"converged","warnings"},\n "balance":{"estimand","rows":[BalanceRow],"ess":{"treated_before",\n            "control_before","treated_after","control_after"}},"out"}\n(BalanceRow as in oncosurv match --help)',
    },
  },
  epilog: 'Example:\n  oncosurv weight --data lung.csv --formula "treat ~ age + sex" --estimand ATE --out weighted.csv',
});
