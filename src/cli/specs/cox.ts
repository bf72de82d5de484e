import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'cox',
  summary: 'Cox proportional hazards model (R coxph)',
  usage: ['cox --data FILE --formula "Surv(time, status) ~ covariates" [options]'],
  options: {
    data: { type: 'string', value: 'FILE', help: '.csv or .parquet data file', required: true },
    formula: { type: 'string', value: 'F', help: 'R formula: Surv(time, status) or Surv(start, stop, status) on the left;\nterms with + : * and factor(), plus strata(s) and cluster(id)', required: true },
    ties: { type: 'string', value: 'T', help: 'efron (default, as R) or breslow' },
    weights: { type: 'string', value: 'COL', help: 'column of case weights (> 0); non-integer weights imply --robust, as in R' },
    cluster: { type: 'string', value: 'COL', help: 'cluster column for the robust (sandwich) variance; implies --robust' },
    robust: { type: 'boolean', help: 'robust variance with each row its own cluster' },
    json: { type: 'boolean', help: "print the fit as JSON instead of R's summary" },
  },
  epilog: 'Example:\n  oncosurv cox --data lung.csv --formula "Surv(time, status) ~ age + sex + strata(ph.ecog)"',
});
